from __future__ import annotations

import pytest

from rag.models import Filters, Passage
from rag.order import PublicationOrderJudge, parse_order_question

SOURCES = ["Engadget", "The Verge", "The Roar | Sports Writers Blog", "Sporting News"]


def _p(article_id: str, source: str, published_at: str | None, text: str = "t") -> Passage:
    return Passage(
        chunk_id=f"{article_id}#0",
        article_id=article_id,
        text=text,
        start=0,
        end=len(text),
        score=1.0,
        source=source,
        published_at=published_at,
    )


class FakeSearch:
    """Returns canned passages for queries containing a keyword; records the filters it got."""

    def __init__(self, results: dict[str, list[Passage]]) -> None:
        self.results = results
        self.filters: list[Filters | None] = []

    def retrieve(self, query: str, filters: Filters | None = None, top_k: int = 10) -> list[Passage]:
        self.filters.append(filters)
        return next((ps for key, ps in self.results.items() if key in query), [])[:top_k]


ENGADGET = _p("e", "Engadget", "2023-11-20T09:00:00+00:00", "MacBook Air discount")
VERGE = _p("v", "The Verge", "2023-11-24T15:42:21+00:00", "Galaxy Buds 2 discount")
QUESTION = (
    "Did Engadget report a discount on the MacBook Air before The Verge reported a discount on Galaxy Buds?"
)


def _judge(results: dict[str, list[Passage]]) -> PublicationOrderJudge:
    return PublicationOrderJudge(FakeSearch(results), SOURCES, candidates=5)


def test_parses_the_two_reports_and_the_relation():
    parsed = parse_order_question(QUESTION)
    assert parsed is not None
    assert parsed.relation == "before"
    assert parsed.first == "Engadget report a discount on the MacBook Air"
    assert parsed.second == "The Verge reported a discount on Galaxy Buds"


@pytest.mark.parametrize(
    "question",
    [
        "When did Aliyun open its first US data center?",
        # judgements about content: dates cannot settle them
        "Did TechCrunch report consistently on Google before The Verge reported on the lawsuit?",
        "Did the Sporting News fail to report on the match before The Roar reported on Tasmania?",
        "Was the defense reported as worse by Yardbarker after Sporting News highlighted a sack?",
        # a date, not a second report
        "Did Engadget report a discount on the MacBook Air before 2023-11-22?",
        # the events themselves, not reports of them
        "Did Apple launch the new iPad before Google launched the Pixel tablet?",
    ],
)
def test_other_questions_are_left_to_the_model(question):
    assert parse_order_question(question) is None


@pytest.mark.parametrize(
    ("relation", "expected"), [("before", "Yes [1][2]"), ("after", "No [1][2]"), ("prior to", "Yes [1][2]")]
)
def test_verdict_follows_publication_dates(relation, expected):
    question = QUESTION.replace(" before ", f" {relation} ")
    verdict = _judge({"MacBook": [ENGADGET], "Galaxy": [VERGE]}).run(question)
    assert verdict is not None
    assert verdict.text == expected
    assert [p.article_id for p in verdict.passages] == ["e", "v"]
    assert "2023-11-20" in verdict.explanation and "2023-11-24" in verdict.explanation


def test_before_or_after_is_answered_with_the_order_word():
    question = (
        "Was the MacBook Air discount reported by Engadget before or after The Verge reported on Galaxy Buds?"
    )
    verdict = _judge({"MacBook": [ENGADGET], "Galaxy": [VERGE]}).run(question)
    assert verdict is not None and verdict.text == "Before [1][2]"


def test_timezones_are_compared_as_instants():
    late_utc = _p("v", "The Verge", "2023-11-20T10:00:00+08:00")  # 02:00 UTC, before Engadget's 09:00 UTC
    verdict = _judge({"MacBook": [ENGADGET], "Galaxy": [late_utc]}).run(QUESTION)
    assert verdict is not None and verdict.text.startswith("No")


def test_a_side_must_come_from_the_source_it_names():
    wrong_source = _p("x", "Sporting News", "2023-11-24T00:00:00+00:00", "Galaxy Buds 2 discount")
    assert _judge({"MacBook": [ENGADGET], "Galaxy": [wrong_source]}).run(QUESTION) is None
    # ... but a later candidate from the named source is used
    verdict = _judge({"MacBook": [ENGADGET], "Galaxy": [wrong_source, VERGE]}).run(QUESTION)
    assert verdict is not None and verdict.passages[1].article_id == "v"


def test_both_sides_must_be_distinct_dated_reports_at_different_times():
    assert _judge({"MacBook": [ENGADGET], "Galaxy": []}).run(QUESTION) is None
    undated = _p("v", "The Verge", None)
    assert _judge({"MacBook": [ENGADGET], "Galaxy": [undated]}).run(QUESTION) is None
    same_time = _p("v", "The Verge", ENGADGET.published_at)
    assert _judge({"MacBook": [ENGADGET], "Galaxy": [same_time]}).run(QUESTION) is None
    engadget_on_both = (
        "Did Engadget report a discount on the MacBook Air before Engadget reported the MacBook deal?"
    )
    assert _judge({"MacBook": [ENGADGET]}).run(engadget_on_both) is None


def test_filters_reach_every_search():
    search = FakeSearch({"MacBook": [ENGADGET], "Galaxy": [VERGE]})
    filters = Filters(sources=("Engadget", "The Verge"))
    PublicationOrderJudge(search, SOURCES, candidates=5).run(QUESTION, filters)
    assert search.filters == [filters, filters]
