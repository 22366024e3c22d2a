"""End to end with the packaged models: index a small real corpus, ask, check the cited answer.

Slow (loads the embedding model and the 1.5B generator), so marked `slow`; runs in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.offline import enforce_offline
from index.pipeline import Ingestor
from index.settings import IndexSettings
from rag.assistant import Assistant
from rag.models import ABSTAIN_TEXT, Filters
from rag.settings import RagSettings

DEMO = Path(__file__).resolve().parents[2] / "index" / "demo"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    enforce_offline()
    # Only the index is temporary: the assembled model stays in the shared home, built once.
    settings = RagSettings(index=IndexSettings(index_dir=tmp_path_factory.mktemp("index")))
    report = Ingestor(settings.index).run(
        [DEMO / "chinadaily-2015-07-23-aliyun-data-centers.txt", DEMO / "wikinews_en.jsonl"]
    )
    assert report.stored == 294, report.summary()
    return Assistant.open(settings=settings)


def test_seed_question_is_answered_march_2015_with_the_china_daily_quote(assistant, no_network):
    answer = assistant.ask("When did Aliyun open its first US data center?")
    assert not answer.abstained, answer.notes
    assert "march 2015" in answer.text.lower() or "2015-03" in answer.text, answer.text
    quotes = [c for c in answer.citations if c.source == "China Daily"]
    assert any("in March of its first overseas data center in Silicon Valley" in c.quote for c in quotes)
    article = assistant.index.get_article(quotes[0].article_id)
    assert article is not None and article.body[quotes[0].start : quotes[0].end] == quotes[0].quote
    assert no_network == []


def test_question_the_corpus_cannot_answer_abstains_without_citations(assistant, no_network):
    answer = assistant.ask("Which football club did Aliyun sponsor in 2015?")
    assert answer.abstained, answer.text
    assert answer.text == ABSTAIN_TEXT
    assert answer.citations == []


def test_date_filter_excluding_the_article_leads_to_abstention(assistant):
    from datetime import date

    answer = assistant.ask(
        "When did Aliyun open its first US data center?", filters=Filters(since=date(2016, 1, 1))
    )
    assert answer.abstained
    assert all((p.published_at or "") >= "2016" for p in answer.retrieved)


def test_stream_yields_sources_then_text_then_the_final_answer(assistant):
    from rag.models import Sources

    items = list(assistant.stream("How many customers does Aliyun serve?"))
    assert isinstance(items[0], Sources) and items[0].context
    assert all(isinstance(i, str) for i in items[1:-1]) and len(items) >= 3
    final = items[-1]
    assert "1.4 million" in final.text
    assert {c.chunk_id for c in final.citations} <= {p.chunk_id for p in items[0].context}
    assert final.timings_ms["total"] >= final.timings_ms["first_token"] > final.timings_ms["retrieve"] > 0
