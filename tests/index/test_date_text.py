"""Dates written out in text, read as ISO by the one reader that support, decomposition and eval share."""

from __future__ import annotations

import pytest

from index.date_text import find_dates, rewrite_dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("January 10, 2019", "2019-01-10"),
        ("Jan. 10th, 2019", "2019-01-10"),
        ("10 January 2019", "2019-01-10"),
        ("10th of January, 2019", "2019-01-10"),
        ("2019-01-10", "2019-01-10"),
        ("2019/1/10", "2019-01-10"),
        ("2019.01.10", "2019-01-10"),
        ("2025年11月26日", "2025-11-26"),
        ("2025 年 11 月 26 号", "2025-11-26"),
        ("March 2015", "2015-03"),
        ("march of 2015", "2015-03"),
        ("Sept. 2020", "2020-09"),
        ("2015年3月", "2015-03"),
        ("2015-03", "2015-03"),
        ("２０１５年３月", "2015-03"),  # full-width digits
    ],
)
def test_common_written_forms_are_read(text: str, iso: str) -> None:
    assert [d[2] for d in find_dates(f"It was {text}.")] == [iso]


@pytest.mark.parametrize(
    "text",
    ["no dates here, only 42 cats", "January 32, 2019", "2019-13-01", "in March", "on Monday", "2015-03-"],
)
def test_no_date_is_read_from_text_without_a_complete_valid_one(text: str) -> None:
    assert find_dates(text) == []


def test_spans_index_the_text_itself_and_never_overlap() -> None:
    text = "Wait… the fire of 10 March 2019 (reported 2019年3月12日) and March 2020"
    found = find_dates(text)
    assert [iso for _, _, iso in found] == ["2019-03-10", "2019-03-12", "2020-03"]
    assert [text[s:e] for s, e, _ in found] == ["10 March 2019", "2019年3月12日", "March 2020"]


def test_a_date_inside_chinese_text_is_read() -> None:
    assert find_dates("根据香港政府2026年3月23日修订的细则") == [(6, 16, "2026-03-23")]


def test_days_without_a_year_only_when_asked() -> None:
    text = "on March 10th and 11月26日, then 2 May"
    assert find_dates(text) == []
    assert [iso for _, _, iso in find_dates(text, yearless=True)] == ["--03-10", "--11-26", "--05-02"]


def test_rewrite_replaces_each_date_or_keeps_it_as_written() -> None:
    text = "Between January 10, 2019 and March 2020, prices rose."
    assert rewrite_dates(text, lambda iso: f"<{iso}>") == "Between <2019-01-10> and <2020-03>, prices rose."
    full_only = rewrite_dates(text, lambda iso: iso if len(iso) == 10 else None)
    assert full_only == "Between 2019-01-10 and March 2020, prices rose."
