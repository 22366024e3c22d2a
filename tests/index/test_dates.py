"""Relative dates resolved against the publication date, with spans that point at the exact text."""

from __future__ import annotations

from itertools import pairwise

import pytest

from index.dates import interval_days, resolve_dates


def resolved(text: str, published_at: str | None, language: str = "en") -> dict[str, str]:
    """{expression text: resolved date}, after checking every span points at its text."""
    dates = resolve_dates(text, published_at, language)
    for d in dates:
        assert text[d.start : d.end] == d.text
    assert all(a.end <= b.start for a, b in pairwise(dates)), "spans overlap"
    return {d.text: d.resolved for d in dates}


# --------------------------------------------------------------------------------------------- English


def test_seed_article_in_march_is_march_of_the_publication_year() -> None:
    text = "That followed the opening in March of its first overseas data center in Silicon Valley in the US."
    dates = resolve_dates(text, "2015-07-23T08:26:00+08:00", "en")
    assert [(d.text, d.resolved) for d in dates] == [("in March", "2015-03")]
    assert text[dates[0].start : dates[0].end] == "in March"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "An apartment building collapsed on Monday in Magnitogorsk.",
            "2019-01-04",
            {"on Monday": "2018-12-31"},
        ),
        ("Rescuers worked through Monday night.", "2019-01-04", {"Monday": "2018-12-31"}),
        ("Monday's collapse killed 39.", "2019-01-04", {"Monday's": "2018-12-31"}),
        ("The bus crashed on Thursday.", "2019-01-12", {"on Thursday": "2019-01-10"}),
        ("Ford announced it On Friday.", "2019-04-28", {"On Friday": "2019-04-26"}),
        # the same weekday as publication is the publication day itself
        ("He spoke on Friday.", "2019-04-26", {"on Friday": "2019-04-26"}),
        ("They met last Wednesday.", "2019-04-26", {"last Wednesday": "2019-04-24"}),
        ("The vote is next Monday.", "2019-04-26", {"next Monday": "2019-04-29"}),
    ],
)
def test_english_weekdays(text: str, published: str, expected: dict[str, str]) -> None:
    assert resolved(text, published) == expected


def test_english_relative_days_weeks_months_years() -> None:
    text = (
        "Rescuers ended their work yesterday. The mayor speaks today and the council meets tomorrow. "
        "Prices rose last week, fell last month and doubled last year."
    )
    assert resolved(text, "2019-01-04") == {
        "yesterday": "2019-01-03",
        "today": "2019-01-04",
        "tomorrow": "2019-01-05",
        "last week": "2018-12-24/2018-12-30",
        "last month": "2018-12",
        "last year": "2018",
    }


def test_over_the_last_week_is_not_the_previous_calendar_week() -> None:
    assert resolved("Cases doubled over the last week.", "2019-01-04") == {}


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The flight came down last October.", "2019-01-16", {"last October": "2018-10"}),
        ("The plant opened in March.", "2015-07-23", {"in March": "2015-03"}),
        ("Protesters marched on March 23.", "2019-03-28", {"on March 23": "2019-03-23"}),
        ("Sales fell 5% on 23 March.", "2019-03-28", {"on 23 March": "2019-03-23"}),
        ("It began in early November.", "2019-01-16", {"early November": "2018-11"}),
        ("It was founded on December 31.", "2019-01-02", {"on December 31": "2018-12-31"}),
    ],
)
def test_english_months_without_a_year_are_the_most_recent_not_after_publication(
    text: str, published: str, expected: dict[str, str]
) -> None:
    assert resolved(text, published) == expected


def test_year_boundary() -> None:
    text = "The fire started on Sunday and spread last month; it is the worst since last January."
    assert resolved(text, "2019-01-02") == {
        "on Sunday": "2018-12-30",
        "last month": "2018-12",
        "last January": "2018-01",
    }


def test_leap_day() -> None:
    assert resolved("Police made arrests on Saturday.", "2020-03-02") == {"on Saturday": "2020-02-29"}
    assert resolved("The rally on February 29 drew thousands.", "2020-03-05") == {
        "on February 29": "2020-02-29"
    }
    # February 29 in a non-leap publication year goes back to the last leap year
    assert resolved("It happened on February 29.", "2021-06-01") == {"on February 29": "2020-02-29"}


def test_future_forms() -> None:
    text = "The bridge reopens next March. The council will vote on Friday. The talks resume next Monday."
    assert resolved(text, "2019-04-24") == {
        "next March": "2020-03",
        "on Friday": "2019-04-26",
        "next Monday": "2019-04-29",
    }


def test_a_weekday_before_a_month_and_day_settles_its_year_even_after_next_or_last() -> None:
    # 2019-07-31 is a Wednesday, three days after publication: not July 31 of the year before
    text = "His chief of staff resigns effective next Wednesday, July 31. The vote was last Friday, July 26."
    assert resolved(text, "2019-07-28") == {
        "next Wednesday, July 31": "2019-07-31",
        "last Friday, July 26": "2019-07-26",
    }


def test_said_on_a_weekday_stays_in_the_past_even_when_the_sentence_speaks_of_the_future() -> None:
    text = "Alibaba's cloud unit said on Wednesday it will soon open a second data center."
    assert resolved(text, "2015-07-23T08:26:00+08:00") == {"on Wednesday": "2015-07-22"}


def test_expressions_that_carry_a_year_are_left_alone() -> None:
    text = "In March 2015 it opened; on 23 March 2019 it closed; by March 23, 2019 it was gone."
    assert resolved(text, "2020-01-01") == {}


def test_may_the_name_and_named_days_are_not_dates() -> None:
    text = "Theresa May's deal failed. Black Friday sales rose. The Sunday Times reported it. We may go."
    assert resolved(text, "2019-01-16") == {}


def test_a_paper_or_a_programme_named_today_or_this_week_is_not_a_date() -> None:
    text = (
        "Both companies date from the 1970s according to USA Today. Trump. Today it sank; Business Today "
        "said so, Bob Hughes told Kamloops This Week and a source told Entertainment Tonight."
    )
    assert resolved(text, "2019-09-04") == {"Today": "2019-09-04"}  # the sentence's own "Today" only


def test_no_published_date_resolves_nothing() -> None:
    assert resolve_dates("It happened on Monday, yesterday, in March.", None, "en") == []
    assert resolve_dates("它发生在星期一。", "", "zh") == []
    assert resolve_dates("It happened on Monday.", "not a date", "en") == []


# --------------------------------------------------------------------------------------------- Chinese


def test_chinese_weekday_with_explicit_date_in_parentheses() -> None:
    text = "香港政府表示，死亡人数星期五(11月28日)已升到至少128人。发言人星期四(6月5日）发表声明。"
    assert resolved(text, "2025-11-28", "zh-Hans") == {
        "星期五(11月28日)": "2025-11-28",
        "星期四(6月5日）": "2025-06-05",
    }


def test_chinese_weekday_date_picks_the_year_whose_calendar_matches() -> None:
    # 2025-12-29 is a Monday: 星期五(1月2日) is 2026-01-02 (a Friday), after publication.
    assert resolved("会议定于星期五(1月2日)举行。", "2025-12-29", "zh") == {"星期五(1月2日)": "2026-01-02"}


def test_chinese_weekdays_and_weeks() -> None:
    text = "这场火灾发生于周三下午。官员星期二表示，上周五、本周一和下周二都有会议。"
    assert resolved(text, "2025-11-28", "zh") == {
        "周三": "2025-11-26",
        "星期二": "2025-11-25",
        "上周五": "2025-11-21",
        "本周一": "2025-11-24",
        "下周二": "2025-12-02",
    }


def test_chinese_relative_days_months_years() -> None:
    text = "昨天、今天、前天和明天；11月26日；去年、今年、上个月；去年10月；将于12月3日举行。"
    assert resolved(text, "2025-11-28", "zh") == {
        "昨天": "2025-11-27",
        "今天": "2025-11-28",
        "前天": "2025-11-26",
        "明天": "2025-11-29",
        "11月26日": "2025-11-26",
        "去年": "2024",
        "今年": "2025",
        "上个月": "2025-10",
        "去年10月": "2024-10",
        "12月3日": "2025-12-03",
    }


def test_chinese_year_boundary_and_explicit_years() -> None:
    assert resolved("12月30日发生地震。", "2026-01-02", "zh") == {"12月30日": "2025-12-30"}
    assert resolved("2025年11月28日，2026年3月；每周一例会，一周一次。", "2026-01-02", "zh") == {}


def test_chinese_leap_day() -> None:
    assert resolved("警方星期六逮捕了三人，2月29日当天。", "2020-03-02", "zh") == {
        "星期六": "2020-02-29",
        "2月29日": "2020-02-29",
    }


@pytest.mark.parametrize(
    ("text", "published", "language", "expected"),
    [
        ("Schools closed due to heavy snow on Monday.", "2019-01-09", "en", "2019-01-07"),
        ("The bridge is expected to reopen on Monday.", "2019-01-09", "en", "2019-01-14"),
        ("It was expected to reopen on Monday.", "2019-01-09", "en", "2019-01-07"),
        # a deadline ahead, or an event set for a day, is the next such day; so is a day "until" opens
        # when it is ten days ahead, even told in the past tense (a year back was never meant)
        ("The governor has until October 28 to release plans.", "2019-10-18", "en", "2019-10-28"),
        ("The vote is set for October 28.", "2019-10-18", "en", "2019-10-28"),
        ("The governor had until October 28 to release plans.", "2019-10-18", "en", "2019-10-28"),
        ("The governor had until October 8 to release plans.", "2019-10-18", "en", "2019-10-08"),
        ("法官星期一将他判处五天监禁。", "2026-05-29", "zh", "2026-05-25"),
        ("会议将于星期五举行。", "2026-05-27", "zh", "2026-05-29"),
        ("会议星期五将举行。", "2026-05-27", "zh", "2026-05-29"),
    ],
)
def test_only_clear_future_markers_look_forward(
    text: str, published: str, language: str, expected: str
) -> None:
    assert list(resolved(text, published, language).values()) == [expected]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # the most recent March 20 would be 2020's: the phrase after it says the year before
        (
            "It started on March 20, last year.",
            "2020-06-01",
            {"on March 20": "2019-03-20", "last year": "2019"},
        ),
        (
            "Two were arrested in January of last year.",
            "2019-05-15",
            {"in January": "2018-01", "last year": "2018"},
        ),
        # the most recent June would be the year before's
        (
            "A ruling is expected in June of this year.",
            "2019-02-01",
            {"in June": "2019-06", "this year": "2019"},
        ),
        ("It opens on March 3 next year.", "2019-05-15", {"on March 3": "2020-03-03", "next year": "2020"}),
    ],
)
def test_a_year_stated_after_a_month_sets_its_year(
    text: str, published: str, expected: dict[str, str]
) -> None:
    assert resolved(text, published) == expected


def test_a_range_of_days_is_the_interval_of_its_first_and_last_day() -> None:
    assert resolved("The ship sailed from July 13 to 17 of last year.", "2019-09-08") == {
        "July 13 to 17": "2018-07-13/2018-07-17",
        "last year": "2018",
    }
    assert resolved("in the September 25–27 Zogby poll", "2020-09-30") == {
        "September 25–27": "2020-09-25/2020-09-27"
    }
    assert (
        resolved("It ran from March 15 to 17, 2019, in Toronto.", "2019-03-20") == {}
    )  # the year is written
    assert interval_days("2018-07-13/2018-07-17") == ("2018-07-13", "2018-07-17")
    assert interval_days("2018-12-24/2018-12-30") is None  # Monday to Sunday: a week ("last week")
    assert interval_days("2018-07-13") is None


def test_a_day_that_from_until_or_through_opens_is_the_next_one_when_it_is_soon() -> None:
    def resolved(text: str, published: str) -> list[str]:
        return [d.resolved for d in resolve_dates(text, published, "en")]

    # announced on June 4 for "from June 15": ten days ahead, not a year back
    assert resolved(
        "Shapps announced that from June 15, face coverings would be compulsory.", "2020-06-05"
    ) == ["2020-06-15"]
    assert resolved("Parliament is suspended until October 14.", "2019-08-29") == ["2019-10-14"]
    # "through": a delivery deadline five days after a report of December 18 (The Verge, 2023)
    assert resolved("Prime members get One-Day Delivery through December 23rd.", "2023-12-18") == [
        "2023-12-23"
    ]
    # a day already past this year stays this year's; without the word it is read back as before
    assert resolved("The ban ran from June 1 to the end of the month.", "2020-06-20") == ["2020-06-01"]
    assert resolved("Parliament met on October 14.", "2019-08-29") == ["2018-10-14"]


def test_a_day_without_its_year_a_month_or_less_ahead_is_the_coming_one() -> None:
    def resolved(text: str, published: str, language: str = "en") -> list[str]:
        return [d.resolved for d in resolve_dates(text, published, language)]

    # nothing says past or ahead: within 31 days after publication it is this year's, not last year's
    assert resolved("The election to be held on August 9 is contested.", "2020-08-03") == ["2020-08-09"]
    assert resolved("Qtly div 22 cts. Pay April 15. Record March 31.", "1987-03-19") == [
        "1987-04-15",
        "1987-03-31",
    ]
    assert resolved("世界杯赛事从6月11日开始。", "2026-05-29", "zh") == ["2026-06-11"]
    # a day just past stays this year's; one more than a month ahead is still read as last year's
    assert resolved("The vote on August 1 was close.", "2020-08-03") == ["2020-08-01"]
    assert resolved("Parliament met on October 14.", "2019-09-12") == ["2018-10-14"]
    # a stated year wins
    assert resolved("The vote on August 9, 2019 was close.", "2020-08-03") == []
