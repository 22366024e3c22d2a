"""The assistant with question-time dates and syndicated copies, on a real (tiny) index: a hashing
embedder and a scripted generator stand in for the models, everything else is the real pipeline."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from fake_llm import ScriptedLLM

from index.models import Article
from index.pipeline import Ingestor
from index.settings import IndexSettings
from index.store import NewsIndex
from rag.assistant import Assistant
from rag.models import Citation, Sources
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings
from rag.syndication import AlsoReportedBy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "index"))
from index_fakes import HashEmbedding  # the index tests' embedder (tests/index), shared

STRIKE = (
    "Dock workers at the northern port voted to accept a new contract on Monday. "
    "The port strike ended after workers accepted a new contract with a four percent raise. "
    "Cranes were moving again by the evening shift, the harbour authority said. "
    "Shipping lines had diverted dozens of vessels during the three-week stoppage. "
    "Union leaders said the agreement protects jobs until the end of the decade."
)
ARTICLES = [
    Article(id="herald", title="Port strike ends", body=STRIKE, source="Harbour Herald",
            url="https://herald.example/strike", published_at="2024-05-06T18:00:00+00:00"),
    Article(id="courier", title="Dockers back at work as strike ends", source="Valley Courier",
            body="By Staff Reporter\n\n" + STRIKE.replace(" the harbour authority said", ""),
            url="https://courier.example/strike", published_at="2024-05-07T07:00:00+00:00"),
    Article(id="april", title="Port strike enters second week", source="Harbour Herald",
            body="The port strike entered its second week with no talks scheduled. Workers picketed the gates "
                 "of the northern port while vessels waited offshore for a berth.",
            url="https://herald.example/april", published_at="2024-04-20"),
]  # fmt: skip


class YesScorer:
    """The answer checks' Yes/No reader, saying a clear yes to real prompts and 0.5 to the calibration's
    content-free ones, so the calibrated P(yes) clears the fitted threshold (the checks are tested elsewhere)."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def distribution(self, messages, labels) -> tuple[float, ...]:
        prompt = str(messages[-1].content)
        if "N/A" in prompt or "[MASK]" in prompt or "Question: \n" in prompt:
            return (0.5, 0.5)
        self.prompts.append(prompt)
        return (0.99, 0.01)


REPLY = "The port strike ended after workers accepted a new contract with a four percent raise [1]"


@pytest.fixture
def scorer() -> YesScorer:
    return YesScorer()


@pytest.fixture
def assistant(tmp_path: Path, scorer: YesScorer) -> Assistant:
    settings = RagSettings(index=IndexSettings(index_dir=tmp_path / "idx", chunk_max_tokens=60))
    report = Ingestor(settings.index, embed_model=HashEmbedding(), progress=False).ingest(ARTICLES)
    assert (report.stored, report.syndicated) == (3, 1)
    index = NewsIndex.open(settings.index, embed_model=HashEmbedding())
    return Assistant(settings, index, HybridRetriever(index, settings), ScriptedLLM(reply=REPLY), scorer)


def test_last_week_searches_the_previous_calendar_week_and_the_answer_says_so(
    assistant: Assistant, scorer: YesScorer
) -> None:
    items = list(assistant.stream("How did the port strike end last week?", as_of=date(2024, 5, 14)))
    sources, answer = items[0], items[-1]
    assert isinstance(sources, Sources)
    assert {p.article_id for p in answer.retrieved} <= {"herald", "courier"}  # April is outside the week
    assert answer.searched_dates is not None
    assert (answer.searched_dates.since, answer.searched_dates.until) == (date(2024, 5, 6), date(2024, 5, 12))
    assert (
        'Searched articles published 2024-05-06 to 2024-05-12 ("last week", as of 2024-05-14).'
        in answer.notes
    )
    (prompt,) = [a for a in assistant._llm.asked if isinstance(a, str)]  # type: ignore[attr-defined]
    assert "The question was asked on 2024-05-14 (Tuesday)." in prompt and '"last week" means' in prompt
    # the answer check judges the question without its time words: the date filter saw to those
    assert scorer.prompts and all("last week" not in p for p in scorer.prompts)
    record = answer.to_json()
    assert record["searched_dates"]["since"] == "2024-05-06" and record["searched_dates"]["phrases"] == [
        "last week"
    ]
    json.dumps(record)  # serialisable as the CLI prints it

    # one copy of the syndicated story in the context; the citation names the other outlet
    assert len({p.group or p.article_id for p in sources.context}) == len(
        {p.article_id for p in sources.context}
    )
    assert {p.article_id for p in sources.context} & {"herald", "courier"} in ({"herald"}, {"courier"})
    assert not answer.abstained and answer.citations, answer.notes
    cited = answer.citations[0]
    other = {"herald": "Valley Courier", "courier": "Harbour Herald"}[cited.article_id]
    assert [o.source for o in cited.also_reported_by] == [other]
    assert record["citations"][0]["also_reported_by"][0]["source"] == other


def test_without_time_words_every_date_is_searched(assistant: Assistant) -> None:
    answer = assistant.ask("Did the port strike enter a second week?", as_of=date(2024, 5, 14))
    assert answer.searched_dates is None
    assert "april" in {p.article_id for p in answer.retrieved}


def test_a_week_with_no_articles_leads_to_insufficient_information(assistant: Assistant) -> None:
    answer = assistant.ask("How did the port strike end last week?", as_of=date(2024, 7, 1))
    assert answer.abstained and answer.retrieved == []
    assert any("2024-06-24 to 2024-06-30" in n for n in answer.notes)


BRIDGE = Article(id="bridge", title="River bridge reopens", source="Valley Courier",
                 body="The river bridge reopened to traffic on Monday after a year of repairs. Engineers replaced "
                      "the worn steel cables and the council said tolls would stay unchanged.",
                 url="https://courier.example/bridge", published_at="2024-05-08")  # fmt: skip
# No time words to resolve: a weekday, "the end of the decade" and "second week" describe the articles.
PLAIN_QUESTIONS = [
    "How did the port strike end?",
    "Did the port strike enter a second week?",
    "What did union leaders say the agreement protects until the end of the decade?",
    "Which bridge reopened to traffic on Monday?",
    "码头罢工是怎么结束的？",
]


def _runs(index_dir: Path, questions: list[str], **switches: bool) -> list[tuple]:
    """Everything an answer shows and everything the models were shown, per question (timings left out)."""
    settings = RagSettings(index=IndexSettings(index_dir=index_dir, chunk_max_tokens=60), **switches)
    index = NewsIndex.open(settings.index, embed_model=HashEmbedding())
    llm, scorer = ScriptedLLM(reply=REPLY), YesScorer()
    assistant = Assistant(settings, index, HybridRetriever(index, settings), llm, scorer)
    runs = []
    for question in questions:
        items = list(assistant.stream(question, as_of=date(2024, 5, 14)))
        sources, answer = items[0], items[-1]
        assert isinstance(sources, Sources)
        runs.append((
            [(p.chunk_id, p.score) for p in sources.context],
            [(p.chunk_id, p.score) for p in answer.retrieved],
            answer.text, answer.abstained, answer.citations, answer.notes, answer.searched_dates,
        ))  # fmt: skip
    return [*runs, [str(a) for a in llm.asked], scorer.prompts]


def test_without_time_words_or_copies_the_answers_are_what_they_were_without_either_feature(
    tmp_path: Path,
) -> None:
    """Question-time dates and one copy per story change nothing for questions without time words
    over articles without copies: every answer, citation, note and model prompt is the same as
    with both switched off (how the assistant answered before them)."""
    distinct = [a for a in ARTICLES if a.id != "courier"] + [BRIDGE]
    report = Ingestor(IndexSettings(index_dir=tmp_path / "idx", chunk_max_tokens=60), embed_model=HashEmbedding(),
                      progress=False).ingest(distinct)  # fmt: skip
    assert (report.stored, report.syndicated) == (3, 0)
    on = _runs(tmp_path / "idx", PLAIN_QUESTIONS)
    off = _runs(tmp_path / "idx", PLAIN_QUESTIONS, question_dates=False, one_copy_per_story=False)
    assert on == off
    assert any(not abstained for _, _, _, abstained, *_ in on[: len(PLAIN_QUESTIONS)])  # not all abstentions
    # the comparison can fail: a time word does change the search
    week = ["How did the port strike end last week?"]
    assert _runs(tmp_path / "idx", week) != _runs(tmp_path / "idx", week, question_dates=False)


def test_with_copies_only_the_context_loses_the_second_copy_and_time_words_still_change_nothing(
    assistant: Assistant,
) -> None:
    index_dir = assistant.settings.index.index_dir
    on = _runs(index_dir, PLAIN_QUESTIONS)
    assert on == _runs(index_dir, PLAIN_QUESTIONS, question_dates=False)
    (context, *_), *_ = _runs(index_dir, PLAIN_QUESTIONS[:1], one_copy_per_story=False)
    both = {cid.split("#")[0] for cid, _ in context}
    assert {"herald", "courier"} <= both  # without the switch both copies fill the context
    assert len({cid.split("#")[0] for cid, _ in on[0][0]} & {"herald", "courier"}) == 1


def test_also_reported_by_skips_the_cited_outlet_and_unfinished_records(tmp_path: Path) -> None:
    import chromadb

    records = chromadb.PersistentClient(path=str(tmp_path / "c")).get_or_create_collection("arts")
    metas = [
        ("a", "g", "Wire One", "complete", "2024-05-02"),
        ("b", "g", "Wire Two", "complete", "2024-05-01"),
        ("c", "g", "Wire One", "complete", "2024-05-03"),  # the cited outlet's own second copy
        ("d", "g", "Wire Three", "pending", "2024-05-01"),  # half-written by a killed ingest
        ("e", "h", "Wire Four", "complete", "2024-05-01"),  # another story
    ]
    records.add(
        ids=[m[0] for m in metas],
        embeddings=[[1.0, 0.0]] * len(metas),
        metadatas=[
            {"dup_group": g, "source": s, "status": st, "published_at": d, "title": i.upper()}
            for i, g, s, st, d in metas
        ],
    )

    class Index:
        articles = records

    cited = Citation(n=1, article_id="a", title="A", source="Wire One", url="", published_at=None,
                     quote="q", start=0, end=1)  # fmt: skip
    (got,) = AlsoReportedBy(Index()).run([cited])
    assert [(o.article_id, o.source, o.title) for o in got.also_reported_by] == [("b", "Wire Two", "B")]


@pytest.mark.slow
def test_real_models_answer_last_week_from_a_followed_feed(tmp_path: Path, no_network: list[str]) -> None:
    """End to end with the packaged models: a feed file of demo Wikinews reports, then "last week"
    asked on two days: one week holds the report, the other none (an honest abstention)."""
    from datetime import UTC, datetime
    from email.utils import format_datetime
    from html import escape

    from index.offline import enforce_offline
    from index.refresh import FeedRefresher

    enforce_offline()
    rows = [
        json.loads(line)
        for line in (Path(__file__).resolve().parents[2] / "index/demo/wikinews_en.jsonl").open()
    ][:12]
    items = "".join(
        f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(r['published_at']).replace(hour=12, tzinfo=UTC))}</pubDate>"
        f"<content:encoded><![CDATA[{''.join(f'<p>{escape(p)}</p>' for p in r['body'].splitlines() if p.strip())}]]>"
        "</content:encoded></item>"
        for r in rows
    )
    feed = tmp_path / "wikinews.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                    f"<channel><title>English Wikinews</title>{items}</channel></rss>", encoding="utf-8")  # fmt: skip
    settings = RagSettings(index=IndexSettings(index_dir=tmp_path / "idx"))
    assert FeedRefresher(settings.index, progress=False).run([str(feed)]).ingest.stored == len(rows)
    assistant = Assistant.open(settings=settings)

    question = "How many people died when the apartment building in Magnitogorsk collapsed last week?"
    answer = assistant.ask(question, as_of=date(2019, 1, 10))
    assert not answer.abstained and "39" in answer.text, answer.notes
    assert all("2018-12-31" <= (p.published_at or "")[:10] <= "2019-01-06" for p in answer.retrieved)
    later = assistant.ask(question, as_of=date(2019, 3, 1))
    assert later.abstained and later.retrieved == []
    assert later.searched_dates is not None and later.searched_dates.since == date(2019, 2, 18)
    assert no_network == []


def test_a_cached_answer_is_not_replayed_on_another_day(assistant: Assistant) -> None:
    """The answer cache keys on the day of the question: "last week" moves with it."""
    question = "How did the port strike end last week?"
    first = assistant.ask(question, as_of=date(2024, 5, 14))
    assert not first.abstained
    assert assistant.ask(question, as_of=date(2024, 5, 14)).text == first.text  # replayed
    later = assistant.ask(question, as_of=date(2024, 7, 1))
    assert later.abstained and later.searched_dates is not None
    assert later.searched_dates.since == date(2024, 6, 24)
