"""The chat UI with a fake assistant: rendering and escaping, filters, limits, uploads, and the API."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

import app
from index.models import Skipped
from index.pipeline import IngestReport
from index.store import IndexNotFoundError
from rag.models import ABSTAIN_TEXT, Answer, Citation, Filters, Passage

BODY = (
    "Aliyun said on Wednesday it will open a second US data center. "
    "That followed the opening in March of its first overseas data center in Silicon Valley in the US. "
    "It now serves more than 1.4 million customers."
)
QUOTE = "That followed the opening in March of its first overseas data center in Silicon Valley in the US."


def _passage(
    text: str = BODY, chunk_id: str = "a1:0", article_id: str = "a1", score: float = 0.91, **kw
) -> Passage:
    meta = {
        "title": "Alibaba plans to set up more data centers in overseas",
        "source": "China Daily",
        "url": "https://www.chinadaily.com.cn/business/tech/2015-07/23/content_21390308.htm",
        "published_at": "2015-07-23T08:26:00+08:00",
        "language": "en",
    } | kw
    return Passage(
        chunk_id=chunk_id, article_id=article_id, text=text, start=0, end=len(text), score=score, **meta
    )


def _aliyun_answer(question: str = "When did Aliyun open its first US data center?") -> Answer:
    p = _passage()
    start = BODY.index(QUOTE)
    cite = Citation(
        n=1,
        article_id="a1",
        title=p.title,
        source=p.source,
        url=p.url,
        published_at=p.published_at,
        quote=QUOTE,
        start=start,
        end=start + len(QUOTE),
        chunk_id=p.chunk_id,
    )
    other = _passage("Li Jin said more data centers will open in Singapore.", chunk_id="a1:1", score=0.42)
    return Answer(
        question=question,
        text="Aliyun opened its first US data center in March 2015 [1].",
        abstained=False,
        citations=[cite],
        retrieved=[p, other],
        timings_ms={"retrieve": 12.0, "generate": 900.0},
    )


@dataclass
class FakeAssistant:
    """Streams the Aliyun answer word by word; abstains when the filters exclude mid-2015."""

    calls: list[tuple[str, Filters | None, list]] = field(default_factory=list)

    def _answer(self, question: str, filters: Filters | None) -> Answer:
        if filters and filters.since and filters.since > date(2015, 7, 23):
            return Answer(question=question, text=ABSTAIN_TEXT, abstained=True)
        return _aliyun_answer(question)

    def stream(self, question, filters=None, history=None):
        self.calls.append((question, filters, list(history or [])))
        answer = self._answer(question, filters)
        for word in answer.text.split(" "):
            yield word + " "
        yield answer

    def ask(self, question, filters=None, history=None):
        self.calls.append((question, filters, list(history or [])))
        return self._answer(question, filters)


STATS = {  # the shape of NewsIndex.stats()
    "articles": 3,
    "chunks": 7,
    "sources": {"English Wikinews": 2, "China Daily": 1},
    "languages": {"en": 2, "zh": 1},
    "date_range": ["2015-07-23", "2019-01-04"],
}


def _ui(tmp_path: Path, assistant_factory=None, ingest_fn=None, **settings) -> app.UI:
    ui = app.build_ui(
        assistant_factory=assistant_factory or FakeAssistant,
        ingest_fn=ingest_fn or (lambda paths: IngestReport(read=len(paths), stored=len(paths))),
        stats_fn=lambda: dict(STATS),
        uploads_dir=tmp_path / "home" / "uploads",
        settings=app.AppSettings(**settings),
    )
    ui.loader.wait(10)
    return ui


# --------------------------------------------------------------------------- rendering


def test_sources_show_title_source_date_link_and_marked_quote_in_its_chunk():
    cited, uncited = app.render_sources(_aliyun_answer())
    assert "[1]" in cited and "China Daily" in cited and "2015-07-23" in cited
    assert 'href="https://www.chinadaily.com.cn/' in cited and 'rel="noopener noreferrer"' in cited
    assert f"<mark>{QUOTE}</mark>" in cited
    assert "it will open a second US data center" in cited  # the surrounding chunk text
    assert "Li Jin said more data centers" in uncited and "0.420" in uncited
    assert "Li Jin" not in cited


def test_untrusted_article_text_is_escaped_everywhere():
    evil_body = 'Before <script>alert("x")</script> <img src=x onerror=alert(1)> after.'
    quote = "<img src=x onerror=alert(1)>"
    p = _passage(
        evil_body, title="<script>alert('t')</script>", source="<b>Src</b>", url="javascript:alert(1)"
    )
    start = evil_body.index(quote)
    c = Citation(
        n=1,
        article_id="a1",
        title=p.title,
        source=p.source,
        url=p.url,
        published_at=None,
        quote=quote,
        start=start,
        end=start + len(quote),
        chunk_id=p.chunk_id,
    )
    other = _passage(
        "<script>steal()</script>",
        chunk_id="a2:0",
        article_id="a2",
        title="<i>t</i>",
        url='https://ok.example/"><script>',
    )
    answer = Answer(
        question="q",
        text="x [1]",
        abstained=False,
        citations=[c],
        retrieved=[p, other],
        notes=["<script>n()</script>"],
    )
    cited, uncited = app.render_sources(answer)
    for out in (cited, uncited):
        assert "<script" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
        assert "javascript:" not in out.split("href=")[-1] if "href=" in out else True
    assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in cited
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in cited
    assert "href" not in cited  # a javascript: URL is not a link
    assert "&lt;script&gt;steal()&lt;/script&gt;" in uncited
    assert 'href="https://ok.example' not in uncited  # a URL that breaks out of the attribute is dropped


def test_highlight_falls_back_to_searching_then_to_the_quote_alone():
    assert app.highlight_quote("a <b> c", "<b>", offset=99) == "a <mark>&lt;b&gt;</mark> c"
    assert app.highlight_quote("unrelated", "q & a") == "<mark>q &amp; a</mark>"
    assert app.highlight_quote(None, "q") == "<mark>q</mark>"


def test_abstention_renders_an_empty_sources_note_and_the_filters():
    f = Filters(since=date(2016, 1, 1))
    cited, uncited = app.render_sources(Answer(question="q", text=ABSTAIN_TEXT, abstained=True), f)
    assert "No passage in the corpus answers" in cited and "since 2016-01-01" in cited
    assert "No other passages" in uncited


def test_corpus_status_and_upload_report_are_escaped():
    html = app.render_stats(STATS)
    assert "Articles</dt><dd>3" in html and "2015-07-23 – 2019-01-04" in html
    assert "2: English Wikinews (2), China Daily (1)" in html and "en, zh" in html
    html = app.render_stats({**STATS, "sources": {"<script>x</script>": 1}, "date_range": [None, None]})
    assert "&lt;script&gt;" in html and "<script>" not in html and "Published</dt><dd>unknown" in html
    assert "No index yet" in app.render_stats(None)
    report = IngestReport(
        read=3,
        stored=1,
        unchanged=1,
        skipped=[Skipped("/up/a.jsonl:2", "malformed_json", "Expecting ',' <here>")],
    )
    out = app.render_report(report, [app.Rejected("evil.exe", "unsupported file type")], base=Path("/up"))
    assert "read 3 · stored 1 · unchanged 1 · skipped 1" in out
    assert "a.jsonl:2" in out and "/up/" not in out and "malformed_json" in out and "&lt;here&gt;" in out
    assert "evil.exe" in out and "unsupported file type" in out


# --------------------------------------------------------------------------- inputs


def test_filters_from_widget_values():
    f = app.to_filters(["China Daily", " ", "China Daily"], ["en"], "2015-01-01", "2015-12-31 00:00:00")
    assert f == Filters(
        sources=("China Daily",), languages=("en",), since=date(2015, 1, 1), until=date(2015, 12, 31)
    )
    assert app.to_filters(None, [], "", None).is_empty()
    assert app.to_filters("China Daily").sources == ("China Daily",)
    with pytest.raises(app.UserFacingError, match="must be a date like 2016-01-01"):
        app.to_filters(since="yesterday-ish")
    with pytest.raises(app.UserFacingError, match="date range is empty"):
        app.to_filters(since="2016-01-01", until="2015-01-01")


def test_long_and_empty_questions_get_a_clear_message():
    assert app.check_question("  hi  ", 10) == "hi"
    with pytest.raises(app.UserFacingError, match=r"1,001 characters long; the limit is 1,000"):
        app.check_question("x" * 1001, 1000)
    with pytest.raises(app.UserFacingError, match="Please type a question"):
        app.check_question("   ", 1000)


def test_history_keeps_text_turns_and_drops_app_notices():
    history = [
        {"role": "user", "content": "too long?"},
        {"role": "assistant", "content": app.NOTICE + "Your question is too long"},
        {"role": "user", "content": [{"type": "text", "text": "When did Aliyun open?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "In March 2015 [1]."}]},
    ]
    assert app.history_to_messages(history) == [
        {"role": "user", "content": "When did Aliyun open?"},
        {"role": "assistant", "content": "In March 2015 [1]."},
    ]


def test_auth_comes_from_the_environment_value_only():
    assert app.parse_auth(None) is None and app.parse_auth("") is None
    assert app.parse_auth("ann:s3:cret") == ("ann", "s3:cret")
    for bad in ("nopassword", ":pw", "user:"):
        with pytest.raises(app.UserFacingError):
            app.parse_auth(bad)
    opts = app.launch_options(app.AppSettings(), None)
    assert opts["server_name"] == "127.0.0.1" and opts["share"] is False and opts["auth"] is None


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
    assert app.sanitize_filename(name) == expected


def test_uploads_are_validated_and_copied_into_the_uploads_dir(tmp_path):
    src = tmp_path / "incoming"
    src.mkdir()
    good = src / "my news.jsonl"
    good.write_text('{"title": "t", "body": "b"}\n')
    (src / "run.py").write_text("print('x')")
    (src / "empty.txt").write_text("")
    (src / "big.txt").write_text("x" * 2000)
    uploads = tmp_path / "home" / "uploads"
    files = [str(good), str(src / "run.py"), str(src / "empty.txt"), str(src / "big.txt")]
    staged, rejected = app.stage_uploads(files, uploads, max_bytes=1000, max_files=10)
    assert len(staged) == 1 and staged[0].parent == uploads and staged[0].name.endswith("-my_news.jsonl")
    assert staged[0].read_text() == good.read_text()
    reasons = {r.name: r.reason for r in rejected}
    assert "unsupported file type" in reasons["run.py"]
    assert "empty" in reasons["empty.txt"]
    assert "0.0 MB is over the 0.001 MB limit" in reasons["big.txt"]
    again, _ = app.stage_uploads([str(good)], uploads, max_bytes=1000, max_files=10)
    assert again == staged  # same content, same path: the ingestor sees it unchanged
    _, too_many = app.stage_uploads([str(good)] * 3, uploads, max_bytes=1000, max_files=2)
    assert [r.reason for r in too_many] == ["too many files at once (limit 2)"]


def test_ingest_handler_runs_the_ingestor_on_staged_copies_and_refreshes_status(tmp_path):
    seen: list[list[Path]] = []

    def ingest(paths):
        seen.append(paths)
        return IngestReport(read=2, stored=1, skipped=[Skipped(f"{paths[0]}:2", "empty_body", "no text")])

    ui = _ui(tmp_path, ingest_fn=ingest)
    f = tmp_path / "a.jsonl"
    f.write_text("{}\n{}\n")
    report_html, status_html, sources, _ = ui.handlers["ingest"]([str(f)])
    assert seen and all(p.parent == tmp_path / "home" / "uploads" for p in seen[0])
    assert "stored 1" in report_html and "empty_body" in report_html and "no text" in report_html
    assert "Articles" in status_html and sources["choices"] == ["China Daily", "English Wikinews"]
    report_html, *_ = ui.handlers["ingest"]([])
    assert "choose one or more files" in report_html


# --------------------------------------------------------------------------- chat handler


def test_answer_streams_then_is_replaced_by_the_verified_text_with_sources(tmp_path):
    ui = _ui(tmp_path)
    outs = list(
        ui.handlers["respond"]("When did Aliyun open its first US data center?", [], [], [], None, None)
    )
    texts = [o[0] for o in outs]
    assert any(t.startswith("Aliyun opened") and not t.endswith("[1].") for t in texts[:-1])  # partial
    final_text, cited, uncited = outs[-1]
    assert final_text == "Aliyun opened its first US data center in March 2015 [1]."
    assert "<mark>" in cited and "Li Jin" in uncited


def test_filters_and_history_reach_the_assistant(tmp_path):
    fake = FakeAssistant()
    ui = _ui(tmp_path, assistant_factory=lambda: fake)
    history = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    outs = list(ui.handlers["respond"]("Aliyun?", history, ["China Daily"], [], "2016-01-01", ""))
    _, filters, seen_history = fake.calls[-1]
    assert filters == Filters(sources=("China Daily",), since=date(2016, 1, 1))
    assert seen_history == history
    assert outs[-1][0] == ABSTAIN_TEXT and "since 2016-01-01" in outs[-1][1]


def test_clear_messages_for_long_questions_bad_dates_loading_and_missing_index(tmp_path):
    ui = _ui(tmp_path, max_question_chars=20)
    ((text, *_),) = ui.handlers["respond"]("x" * 25, [], [], [], None, None)
    assert text.startswith(app.NOTICE) and "the limit is 20" in text
    ((text, *_),) = ui.handlers["respond"]("ok?", [], [], [], "31/12/2015", None)
    assert "must be a date like 2016-01-01" in text

    gate = threading.Event()
    slow = _ui(tmp_path, assistant_factory=lambda: gate.wait(10) and FakeAssistant())
    slow.loader.start()
    ((text, *_),) = slow.handlers["respond"]("ok?", [], [], [], None, None)
    assert "still loading" in text
    gate.set()
    assert slow.loader.wait(10) == "ready"

    def missing():
        raise IndexNotFoundError("no index at /x; run `newsrag ingest`")

    none = _ui(tmp_path, assistant_factory=missing)
    ((text, *_),) = none.handlers["respond"]("ok?", [], [], [], None, None)
    assert "There is no index yet" in text and "newsrag ingest" in text

    def broken():
        raise RuntimeError("model file is corrupt")

    failed = _ui(tmp_path, assistant_factory=broken)
    ((text, *_),) = failed.handlers["respond"]("ok?", [], [], [], None, None)
    assert "could not be loaded: RuntimeError: model file is corrupt" in text


# --------------------------------------------------------------------------- over HTTP, through gradio_client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    gradio_client = pytest.importorskip("gradio_client")
    tmp = tmp_path_factory.mktemp("app")
    fake = FakeAssistant()
    ui = _ui(tmp, assistant_factory=lambda: fake)
    settings = app.AppSettings(app_port=_free_port())
    ui.demo.queue(default_concurrency_limit=1).launch(
        **app.launch_options(settings, None), prevent_thread_lock=True
    )
    url = f"http://127.0.0.1:{settings.app_port}/"
    try:
        yield fake, url, gradio_client.Client
    finally:
        ui.demo.close()


def test_api_chat_answers_with_sources_and_applies_filters(served):
    fake, url, client_cls = served
    client = client_cls(url, verbose=False)
    text, cited, _ = client.predict(
        "When did Aliyun open its first US data center?", [], [], None, None, api_name="/chat"
    )
    assert "March 2015 [1]" in text and "<mark>" in cited and "China Daily" in cited
    text, cited, _ = client.predict(
        "When did Aliyun open its first US data center?",
        ["China Daily"],
        [],
        "2016-01-01",
        None,
        api_name="/chat",
    )
    assert text == ABSTAIN_TEXT
    assert fake.calls[-1][1] == Filters(sources=("China Daily",), since=date(2016, 1, 1))
    assert fake.calls[-1][2][0] == {
        "role": "user",
        "content": "When did Aliyun open its first US data center?",
    }

    other = client_cls(url, verbose=False)  # another person: their own, empty conversation
    other.predict("Aliyun?", [], [], None, None, api_name="/chat")
    assert fake.calls[-1][2] == []

    text, *_ = client.predict("x" * 5000, [], [], None, None, api_name="/chat")
    assert "the limit is 1,000" in text


def test_api_ask_returns_the_answer_as_json(served):
    fake, url, client_cls = served
    client = client_cls(url, verbose=False)
    result = client.predict(
        "When did Aliyun open its first US data center?", [], ["en"], None, "2015-12-31", api_name="/ask"
    )
    assert result["answer"].endswith("[1].") and result["citations"][0]["source"] == "China Daily"
    assert fake.calls[-1][1] == Filters(languages=("en",), until=date(2015, 12, 31))
    with pytest.raises(Exception, match="must be a date"):
        client.predict("q", [], [], "soon", None, api_name="/ask")


# --------------------------------------------------------------------------- uploads through the real ingestor


@pytest.mark.slow
def test_upload_goes_through_the_real_ingestor_and_refreshes_the_corpus_status(tmp_path):
    from index.settings import IndexSettings

    settings = IndexSettings(home=tmp_path / "home", index_dir=tmp_path / "index", embed_model="minilm")
    services = app.IndexServices(settings)
    ui = app.build_ui(
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

    report, status, sources, _ = ui.handlers["ingest"]([str(upload), str(binary), str(script)])
    assert "read 1 · stored 1 · unchanged 0 · skipped 2" in report
    assert "malformed_json" in report and "binary_file" in report
    assert "payload.sh" in report and "unsupported file type" in report
    assert "Articles</dt><dd>1" in status and "Harbour Gazette" in sources["choices"]
    assert sorted(p.name.split("-", 1)[1] for p in (settings.home / "uploads").iterdir()) == [
        "my_upload.jsonl",
        "photo.txt",
    ]

    report, *_ = ui.handlers["ingest"]([str(upload)])
    assert "stored 0 · unchanged 1" in report  # re-uploading is safe


def test_basic_auth_from_the_environment_protects_the_app(tmp_path, monkeypatch):
    gradio_client = pytest.importorskip("gradio_client")
    monkeypatch.setenv("NEWSRAG_AUTH", "ann:correct horse")
    settings = app.AppSettings(app_port=_free_port())
    auth = app.parse_auth(settings.auth.get_secret_value())
    ui = _ui(tmp_path)
    ui.demo.queue(default_concurrency_limit=1).launch(
        **app.launch_options(settings, auth), prevent_thread_lock=True
    )
    url = f"http://127.0.0.1:{settings.app_port}/"
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain ValueError/httpx error
            gradio_client.Client(url, verbose=False)
        client = gradio_client.Client(url, auth=("ann", "correct horse"), verbose=False)
        text, *_ = client.predict("Aliyun?", [], [], None, None, api_name="/chat")
        assert "March 2015" in text
    finally:
        ui.demo.close()
