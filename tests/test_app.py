"""The chat UI with a fake assistant: inputs, streaming with sources first, concurrency, uploads,
and the HTTP API through gradio_client."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest
from app_fakes import FakeAssistant, free_port, make_ui

import app
from index.models import Skipped
from index.pipeline import IngestReport
from index.store import IndexNotFoundError
from rag.models import ABSTAIN_TEXT, Filters
from ui.chat import to_display
from ui.inputs import NOTICE, UserFacingError, check_question, history_to_messages, to_filters
from ui.loading import AnswerSlots
from ui.settings import AppSettings, answer_concurrency
from ui.uploads import sanitize_filename, stage_uploads

QUESTION = "When did Aliyun open its first US data center?"

# --------------------------------------------------------------------------- inputs


def test_filters_from_widget_values():
    f = to_filters(["China Daily", " ", "China Daily"], ["en"], "2015-01-01", "2015-12-31 00:00:00")
    assert f == Filters(
        sources=("China Daily",), languages=("en",), since=date(2015, 1, 1), until=date(2015, 12, 31)
    )
    assert to_filters(None, [], "", None).is_empty()
    assert to_filters("China Daily").sources == ("China Daily",)
    with pytest.raises(UserFacingError, match="must be a date like 2016-01-01"):
        to_filters(since="yesterday-ish")
    with pytest.raises(UserFacingError, match="date range is empty"):
        to_filters(since="2016-01-01", until="2015-01-01")


def test_long_and_empty_questions_get_a_clear_message():
    assert check_question("  hi  ", 10) == "hi"
    with pytest.raises(UserFacingError, match=r"1,001 characters long; the limit is 1,000"):
        check_question("x" * 1001, 1000)
    with pytest.raises(UserFacingError, match="Please type a question"):
        check_question("   ", 1000)


def test_history_keeps_text_turns_and_drops_app_notices():
    history = [
        {"role": "user", "content": "too long?"},
        {"role": "assistant", "content": NOTICE + "Your question is too long"},
        {"role": "user", "content": [{"type": "text", "text": "When did Aliyun open?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "In March 2015 [1]."}]},
    ]
    assert history_to_messages(history) == [
        {"role": "user", "content": "When did Aliyun open?"},
        {"role": "assistant", "content": "In March 2015 [1]."},
    ]


def test_the_chat_shows_what_was_typed_as_text():
    typed = "<img src=x onerror=alert(1)> & *not bold*"
    shown = to_display([{"role": "user", "content": typed}])
    assert shown == [{"role": "user", "content": "&lt;img src=x onerror=alert(1)&gt; &amp; *not bold*"}]


# --------------------------------------------------------------------------- uploads


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        (".bashrc", "upload.bashrc"),
        ("<script>alert(1)</script>.jsonl", "script.jsonl"),
        ("a b;rm -rf ~.json", "a_b_rm_-rf.json"),
        ("x" * 200 + ".txt", "x" * 64 + ".txt"),
        ("新闻 2015.TXT", "2015.txt"),
        ("", "upload"),
    ],
)
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_uploads_are_validated_and_copied_into_the_uploads_dir(tmp_path):
    src = tmp_path / "incoming"
    src.mkdir()
    good = src / "my news.jsonl"
    good.write_text('{"title": "t", "body": "b"}\n')
    (src / "run.py").write_text("print('x')")
    (src / "empty.txt").write_text("")
    (src / "big.txt").write_text("x" * 3000)
    uploads = tmp_path / "home" / "uploads"
    files = [str(good), str(src / "run.py"), str(src / "empty.txt"), str(src / "big.txt")]
    staged, rejected = stage_uploads(files, uploads, max_bytes=2048, max_files=10)
    assert len(staged) == 1 and staged[0].parent == uploads and staged[0].name.endswith("-my_news.jsonl")
    assert staged[0].read_text() == good.read_text()
    reasons = {r.name: r.reason for r in rejected}
    assert "unsupported file type" in reasons["run.py"]
    assert "empty" in reasons["empty.txt"]
    assert reasons["big.txt"] == "2.9 KB is too large: at most 2.0 KB per file"
    again, _ = stage_uploads([str(good)], uploads, max_bytes=2048, max_files=10)
    assert again == staged  # same content, same path: the ingestor sees it unchanged
    _, too_many = stage_uploads([str(good)] * 3, uploads, max_bytes=2048, max_files=2)
    assert [r.reason for r in too_many] == ["too many files at once (limit 2)"]


def test_ingest_handler_runs_the_ingestor_on_staged_copies_and_refreshes_status(tmp_path):
    seen: list[list[Path]] = []

    def ingest(paths):
        seen.append(paths)
        return IngestReport(read=2, stored=1, skipped=[Skipped(f"{paths[0]}:2", "empty_body", "no text")])

    ui = make_ui(tmp_path, ingest_fn=ingest)
    f = tmp_path / "a.jsonl"
    f.write_text("{}\n{}\n")
    report_html, status_html, sources, _ = ui.handlers.ingest([str(f)])
    assert seen and all(p.parent == tmp_path / "home" / "uploads" for p in seen[0])
    assert "stored 1" in report_html and "empty_body" in report_html and "no text" in report_html
    assert "Articles" in status_html and sources["choices"] == ["China Daily", "English Wikinews"]
    report_html, *_ = ui.handlers.ingest([])
    assert "choose one or more files" in report_html


# --------------------------------------------------------------------------- chat handlers


def test_sources_come_first_then_the_text_streams_then_cards_are_marked(tmp_path):
    ui = make_ui(tmp_path)
    outs = list(ui.handlers.answer(QUESTION, [], [], [], None, None))
    texts, panels = [o[0] for o in outs], [o[1] for o in outs]
    first_cards = next(i for i, p in enumerate(panels) if "nr-card" in p)
    first_words = next(i for i, t in enumerate(texts) if t.startswith("Aliyun"))
    assert first_cards < first_words and texts[first_cards] == "…"
    assert "nr-pending" in panels[first_cards] and "<mark>" not in panels[first_cards]
    assert any(t.startswith("Aliyun opened") and not t.endswith("[1].") for t in texts[:-1])  # partial
    final_text, cited, uncited = outs[-1]
    assert final_text == "Aliyun opened its first US data center in March 2015 [1]."
    assert "nr-cited" in cited and "<mark>" in cited and "nr-not-cited" in cited and "Cloud race" in cited
    assert "Li Jin" in uncited


def test_the_question_shows_at_once_the_box_keeps_its_placeholder_and_history_grows(tmp_path):
    ui = make_ui(tmp_path)
    h = ui.handlers
    box, shown, pending = h.take_question("<b>hi</b>", [])
    assert box == {"__type__": "update", "value": "", "interactive": False}  # placeholder untouched
    assert shown == [{"role": "user", "content": "&lt;b&gt;hi&lt;/b&gt;"}] and pending == "<b>hi</b>"
    *_, (display, history, cited, _) = h.respond(QUESTION, [], [], [], None, None)
    assert history == [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "Aliyun opened its first US data center in March 2015 [1]."},
    ]
    assert display == to_display(history) and "nr-cited" in cited


def test_filters_and_history_reach_the_assistant(tmp_path):
    fake = FakeAssistant()
    ui = make_ui(tmp_path, assistant_factory=lambda: fake)
    history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    outs = list(ui.handlers.answer("Aliyun?", history, ["China Daily"], [], "2016-01-01", ""))
    _, filters, seen_history = fake.calls[-1]
    assert filters == Filters(sources=("China Daily",), since=date(2016, 1, 1))
    assert seen_history == history
    assert outs[-1][0] == ABSTAIN_TEXT and "since 2016-01-01" in outs[-1][1]


def test_a_source_filter_that_matches_nothing_names_the_closest(tmp_path):
    ui = make_ui(tmp_path)
    *_, (text, cited, _) = ui.handlers.answer(QUESTION, [], ["Nope Times"], [], None, None)
    assert text == ABSTAIN_TEXT
    assert "No article matches the filter" in cited and "closest sources: China Daily" in cited


def test_clear_messages_for_long_questions_bad_dates_loading_and_missing_index(tmp_path):
    ui = make_ui(tmp_path, max_question_chars=20)
    ((text, *_),) = ui.handlers.answer("x" * 25, [], [], [], None, None)
    assert text.startswith(NOTICE) and "the limit is 20" in text
    ((text, *_),) = ui.handlers.answer("ok?", [], [], [], "31/12/2015", None)
    assert "must be a date like 2016-01-01" in text

    gate = threading.Event()
    # the gate's timeout only ends a stuck thread: building the UI took over 10 s on a loaded machine
    slow = make_ui(tmp_path, assistant_factory=lambda: gate.wait(120) and FakeAssistant())
    slow.loader.start()
    ((text, *_),) = slow.handlers.answer("ok?", [], [], [], None, None)
    assert "still loading" in text
    gate.set()
    assert slow.loader.wait(60) == "ready"

    def missing():
        raise IndexNotFoundError("no index at /x; run `newsrag ingest`")

    none = make_ui(tmp_path, assistant_factory=missing)
    ((text, *_),) = none.handlers.answer("ok?", [], [], [], None, None)
    assert "There is no index yet" in text and "newsrag ingest" in text

    def broken():
        raise RuntimeError("model file is corrupt")

    failed = make_ui(tmp_path, assistant_factory=broken)
    ((text, *_),) = failed.handlers.answer("ok?", [], [], [], None, None)
    assert "could not be loaded: RuntimeError: model file is corrupt" in text


# --------------------------------------------------------------------------- concurrency


def test_concurrency_is_one_in_process_and_the_remote_capacity_otherwise(caplog):
    assert answer_concurrency(AppSettings(), "llamacpp") == 1
    assert answer_concurrency(AppSettings(app_concurrency=8), "llamacpp") == 1
    assert "ignored" in caplog.text
    assert answer_concurrency(AppSettings(), "openai") == 4
    assert answer_concurrency(AppSettings(app_concurrency=6), "ollama") == 6


def test_slots_let_n_answers_run_and_an_ingest_waits_for_all_of_them():
    slots = AnswerSlots(2)
    assert slots.try_acquire() and slots.try_acquire() and not slots.try_acquire()
    entered = threading.Event()

    def exclusive():
        with slots.exclusive():
            entered.set()

    worker = threading.Thread(target=exclusive)
    worker.start()
    slots.release()
    assert not entered.wait(0.2)  # one answer still running
    slots.release()
    assert entered.wait(5)
    worker.join(5)
    assert slots.try_acquire() and slots.try_acquire()  # every slot came back


# --------------------------------------------------------------------------- over HTTP, through gradio_client


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    gradio_client = pytest.importorskip("gradio_client")
    tmp = tmp_path_factory.mktemp("app")
    fake = FakeAssistant()
    ui = make_ui(tmp, assistant_factory=lambda: fake, app_port=free_port())
    ui.launch()
    url = f"http://127.0.0.1:{ui.settings.app_port}/"
    try:
        yield fake, url, gradio_client.Client
    finally:
        ui.demo.close()


def test_api_chat_answers_with_sources_and_applies_filters(served):
    fake, url, client_cls = served
    client = client_cls(url, verbose=False)
    text, cited, _ = client.predict(QUESTION, [], [], None, None, api_name="/chat")
    assert "March 2015 [1]" in text and "<mark>" in cited and "China Daily" in cited
    text, cited, _ = client.predict(QUESTION, ["China Daily"], [], "2016-01-01", None, api_name="/chat")
    assert text == ABSTAIN_TEXT
    assert fake.calls[-1][1] == Filters(sources=("China Daily",), since=date(2016, 1, 1))
    assert fake.calls[-1][2][0] == {"role": "user", "content": QUESTION}

    other = client_cls(url, verbose=False)  # another person: their own, empty conversation
    other.predict("Aliyun?", [], [], None, None, api_name="/chat")
    assert fake.calls[-1][2] == []

    text, *_ = client.predict("x" * 5000, [], [], None, None, api_name="/chat")
    assert "the limit is 1,000" in text
    client.predict("Aliyun last week?", [], [], None, None, "2024-05-14", api_name="/chat")
    assert fake.as_of_seen[-1] == date(2024, 5, 14)  # the "As of" box; optional for older clients


def test_api_ask_returns_the_answer_as_json_with_its_notes(served):
    fake, url, client_cls = served
    client = client_cls(url, verbose=False)
    result = client.predict(QUESTION, [], ["en"], None, "2015-12-31", api_name="/ask")
    assert result["answer"].endswith("[1].") and result["citations"][0]["source"] == "China Daily"
    assert fake.calls[-1][1] == Filters(languages=("en",), until=date(2015, 12, 31))
    result = client.predict(QUESTION, ["Nope Times"], [], None, None, api_name="/ask")
    assert result["answer"] == ABSTAIN_TEXT and "closest sources: China Daily" in result["notes"][0]
    with pytest.raises(Exception, match="must be a date"):
        client.predict("q", [], [], "soon", None, api_name="/ask")


class MeetingAssistant(FakeAssistant):
    """Answers only when two questions are inside `stream` at the same time."""

    def __init__(self, wait_s: float) -> None:
        super().__init__()
        self.meeting = threading.Barrier(2, timeout=wait_s)

    def stream(self, question, filters=None, history=None):
        self.meeting.wait()  # BrokenBarrierError (an error notice) if questions ran one after the other
        yield from super().stream(question, filters, history)


@pytest.mark.parametrize(("capacity", "met"), [(2, True), (1, False)])
def test_the_capacity_decides_how_many_clients_are_answered_at_once(tmp_path, capacity, met):
    gradio_client = pytest.importorskip("gradio_client")
    fake = MeetingAssistant(wait_s=20 if met else 2)
    ui = make_ui(tmp_path, assistant_factory=lambda: fake, concurrency=capacity, app_port=free_port())
    ui.launch()
    url = f"http://127.0.0.1:{ui.settings.app_port}/"
    try:
        clients = [gradio_client.Client(url, verbose=False) for _ in range(2)]
        jobs = [c.submit(QUESTION, [], [], None, None, api_name="/chat") for c in clients]
        answers = [job.result(timeout=60)[0] for job in jobs]
    finally:
        ui.demo.close()
    if met:
        assert all("March 2015" in a for a in answers), answers
    else:  # the second question waited in the queue until the first gave up waiting for it
        assert any("Something went wrong" in a for a in answers), answers


# --------------------------------------------------------------------------- uploads through the real ingestor


@pytest.mark.slow
def test_upload_goes_through_the_real_ingestor_and_refreshes_the_corpus_status(tmp_path):
    from index.settings import IndexSettings
    from ui.layout import build_ui

    settings = IndexSettings(home=tmp_path / "home", index_dir=tmp_path / "index", embed_model="minilm")
    services = app.IndexServices(settings)
    ui = build_ui(
        assistant_factory=FakeAssistant,
        ingest_fn=services.ingest,
        stats_fn=services.stats,
        uploads_dir=settings.home / "uploads",
    )
    services.loader = ui.loader
    assert "No index yet" in ui.corpus.get()[1]

    good = {
        "id": "u1",
        "title": "<script>alert(1)</script> Harbour bridge approved",
        "source": "Harbour Gazette",
        "published_at": "2021-03-04",
        "language": "en",
        "body": "The city council approved a new bridge on Monday after a two-year debate. "
        "Construction is expected to start in May, and the bridge should open in 2023.",
    }
    upload = tmp_path / "my upload.jsonl"
    upload.write_text(json.dumps(good) + '\n{"id": "u2", "title": "Broken line"\n', encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    script = tmp_path / "payload.sh"
    script.write_text("rm -rf /")

    report, status, sources, _ = ui.handlers.ingest([str(upload), str(binary), str(script)])
    assert "read 1 · stored 1 · unchanged 0 · skipped 2" in report
    assert "malformed_json" in report and "binary_file" in report
    assert "payload.sh" in report and "unsupported file type" in report
    assert "Articles</dt><dd>1" in status and "Harbour Gazette" in sources["choices"]
    assert sorted(p.name.split("-", 1)[1] for p in (settings.home / "uploads").iterdir()) == [
        "my_upload.jsonl",
        "photo.txt",
    ]

    report, *_ = ui.handlers.ingest([str(upload)])
    assert "stored 0 · unchanged 1" in report  # re-uploading is safe
