"""Question-time dates: each phrase in English and Chinese against fixed days of the question."""

from __future__ import annotations

from datetime import date

import pytest

from rag.models import Filters, Passage
from rag.question_dates import QuestionDates, resolve_question_dates

FRIDAY = date(2024, 5, 10)  # mid-week, mid-month
MONDAY = date(2025, 1, 6)  # a Monday in the first week of a year: weeks, months and years roll back
D = date.fromisoformat


@pytest.mark.parametrize(
    ("question", "as_of", "since", "until"),
    [
        ("What happened today in Gaza?", FRIDAY, "2024-05-10", "2024-05-10"),
        ("今天加沙发生了什么？", FRIDAY, "2024-05-10", "2024-05-10"),
        ("Who won the vote yesterday?", FRIDAY, "2024-05-09", "2024-05-09"),
        ("昨天谁赢得了投票？", FRIDAY, "2024-05-09", "2024-05-09"),
        ("Who won the vote yesterday?", MONDAY, "2025-01-05", "2025-01-05"),
        ("What was announced the day before yesterday?", FRIDAY, "2024-05-08", "2024-05-08"),
        ("前天宣布了什么？", MONDAY, "2025-01-04", "2025-01-04"),
        ("What did the central bank say this week?", FRIDAY, "2024-05-06", "2024-05-10"),
        ("央行本周说了什么？", FRIDAY, "2024-05-06", "2024-05-10"),
        ("央行这周说了什么？", MONDAY, "2025-01-06", "2025-01-06"),
        ("What did the central bank say last week?", FRIDAY, "2024-04-29", "2024-05-05"),
        ("央行上周说了什么？", FRIDAY, "2024-04-29", "2024-05-05"),
        ("What did the central bank say last week?", MONDAY, "2024-12-30", "2025-01-05"),
        ("央行上个星期说了什么？", MONDAY, "2024-12-30", "2025-01-05"),
        ("上周五发生了什么？", FRIDAY, "2024-05-03", "2024-05-03"),
        ("Which films opened this month?", FRIDAY, "2024-05-01", "2024-05-10"),
        ("本月有哪些电影上映？", FRIDAY, "2024-05-01", "2024-05-10"),
        ("Which films opened last month?", FRIDAY, "2024-04-01", "2024-04-30"),
        ("上个月有哪些电影上映？", MONDAY, "2024-12-01", "2024-12-31"),
        ("How much has the economy grown this year?", FRIDAY, "2024-01-01", "2024-05-10"),
        ("今年经济增长了多少？", FRIDAY, "2024-01-01", "2024-05-10"),
        ("How much did the economy grow last year?", MONDAY, "2024-01-01", "2024-12-31"),
        ("去年经济增长了多少？", MONDAY, "2024-01-01", "2024-12-31"),
        ("What happened in the past three days?", FRIDAY, "2024-05-07", "2024-05-10"),
        ("过去三天发生了什么？", FRIDAY, "2024-05-07", "2024-05-10"),
        ("近三天发生了什么？", MONDAY, "2025-01-03", "2025-01-06"),
        ("最近3天发生了什么？", FRIDAY, "2024-05-07", "2024-05-10"),
        ("Any earthquakes in the last 24 hours?", FRIDAY, "2024-05-09", "2024-05-10"),
        ("Any floods over the past week?", FRIDAY, "2024-05-03", "2024-05-10"),
        ("过去一周有洪水吗？", FRIDAY, "2024-05-03", "2024-05-10"),
        ("What changed over the past two weeks?", MONDAY, "2024-12-23", "2025-01-06"),
        ("What changed in the last 2 months?", FRIDAY, "2024-03-10", "2024-05-10"),
        ("近两个月有什么变化？", FRIDAY, "2024-03-10", "2024-05-10"),
        ("What happened in the past year?", FRIDAY, "2023-05-10", "2024-05-10"),
        ("Compare last week and this week", FRIDAY, "2024-04-29", "2024-05-10"),
        ("What did the article published last week say about rates?", FRIDAY, "2024-04-29", "2024-05-05"),
        ("上周发表的文章对利率说了什么？", FRIDAY, "2024-04-29", "2024-05-05"),
    ],
)
def test_phrases_resolve_against_the_day_of_the_question(
    question: str, as_of: date, since: str, until: str
) -> None:
    got = resolve_question_dates(question, as_of)
    assert got is not None, question
    assert (got.since, got.until, got.recency, got.as_of) == (D(since), D(until), False, as_of)


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("What is the latest on the port strike?", "latest"),
        ("Which is the most recent report on the strike?", "most recent"),
        ("罢工的最新消息是什么？", "最新"),
        ("最近有什么关于罢工的新闻？", "最近"),
        ("近期有哪些关于罢工的报道？", "近期"),
    ],
)
def test_latest_and_recent_ask_for_recent_articles_without_a_bound(question: str, phrase: str) -> None:
    got = resolve_question_dates(question, FRIDAY)
    assert got is not None and got.phrases == (phrase,)
    assert (got.since, got.until, got.recency) == (None, None, True)


@pytest.mark.parametrize(
    "question",
    [
        "When did Aliyun open its first US data center?",
        "Does the CBSSports.com article reflect on last week's game?",  # names something in an article
        "Between Chris Hammer's latest book and the Polygon article, which came first?",
        "Which company, recently scrutinized by TechCrunch, faces antitrust claims?",
        "What did the report by Business Today say about Mossad?",  # a source name, masked below
        "Which AI tool reached 100 million users per day in March?",
        # MultiHop-RAG style: time words inside a description of what an article says
        "Does the Polygon post discuss the trend of streaming platforms over the past five years?",
        "Does The Age article suggest an improvement compared to the previous year?",
        "Based on a New York Times article discussing the latest developments in finance, who?",
        "这篇文章是否提到去年的选举？",
        "那篇文章说了什么？",
        # an age "this year" is the age now, which an article of any year states for its day
        "黎智英今年多大？",
        "How old is Jimmy Lai this year?",
    ],
)
def test_descriptions_of_article_content_and_source_names_are_not_time_scopes(question: str) -> None:
    sources = ["Business Today | Latest Stock Market And Economy News India", "Business Today"]
    assert resolve_question_dates(question, FRIDAY, known_sources=sources) is None


def test_a_plan_filters_the_search_cuts_the_phrase_from_the_query_and_explains_it() -> None:
    plan = QuestionDates().run(
        "What did the Fed say last week about rates?", FRIDAY, Filters(sources=("Reuters",))
    )
    assert plan.filters == Filters(sources=("Reuters",), since=D("2024-04-29"), until=D("2024-05-05"))
    assert plan.query == "What did the Fed say about rates?"
    assert plan.prompt_notes == (
        "The question was asked on 2024-05-10 (Friday).",
        '"last week" means 2024-04-29 to 2024-05-05.',
    )
    assert plan.searched is not None
    assert (
        plan.searched.describe()
        == 'Searched articles published 2024-04-29 to 2024-05-05 ("last week", as of 2024-05-10).'
    )
    assert plan.searched.to_json() == {"as_of": "2024-05-10", "phrases": ["last week"], "since": "2024-04-29",
                                       "until": "2024-05-05", "recency": False, "applied": True}  # fmt: skip
    day = QuestionDates().run("昨天发生了什么？", FRIDAY).searched
    assert (
        day is not None
        and day.describe() == 'Searched articles published on 2024-05-09 ("昨天", as of 2024-05-10).'
    )


def test_an_explicit_date_filter_wins_and_the_answer_says_so() -> None:
    given = Filters(since=D("2020-01-01"))
    plan = QuestionDates().run("What happened last week?", FRIDAY, given)
    assert plan.filters is given
    assert plan.searched is not None and not plan.searched.applied
    assert "were not applied" in plan.searched.describe()


def test_no_time_words_change_nothing() -> None:
    plan = QuestionDates().run("Who is the CEO of OpenAI?", FRIDAY, None)
    assert (plan.searched, plan.filters, plan.query, plan.prompt_notes) == (
        None,
        None,
        "Who is the CEO of OpenAI?",
        (),
    )


def _p(article_id: str, score: float, published_at: str | None) -> Passage:
    return Passage(chunk_id=f"{article_id}#0", article_id=article_id, text="t", start=0, end=1, score=score,
                   published_at=published_at)  # fmt: skip


def test_latest_prefers_recent_passages_relative_to_the_newest_one_and_never_after_as_of() -> None:
    plan = QuestionDates(recency_weight=0.1, half_life_days=30).run(
        "What is the latest on the strike?", FRIDAY
    )
    passages = [
        _p("old", 0.60, "2015-03-01"),
        _p("newer", 0.56, "2015-06-01"),  # the newest before as_of: full bonus
        _p("undated", 0.58, None),
        _p("future", 0.59, "2024-06-01"),  # published after the day of the question: no bonus
    ]
    ranked = plan.rerank(passages)
    assert [p.article_id for p in ranked] == ["newer", "old", "future", "undated"]
    assert ranked[0].score == pytest.approx(0.66)
    assert ranked[1].score == pytest.approx(0.60 + 0.1 * 0.5 ** (92 / 30))
    assert QuestionDates().run("Who won?", FRIDAY).rerank(passages) == passages


def test_switched_off_time_words_are_left_alone() -> None:
    plan = QuestionDates(enabled=False).run("What happened last week?", FRIDAY, None)
    assert (plan.searched, plan.filters, plan.query) == (None, None, "What happened last week?")
