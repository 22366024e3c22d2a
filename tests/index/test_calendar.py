"""Month names, YYYYMMDD day numbers and publication times: one reading for the whole project."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from index.calendar import (
    MONTH_PATTERN,
    day_from_number,
    day_number,
    month_name,
    month_number,
    publication_date,
    publication_moment,
)


@pytest.mark.parametrize(
    ("name", "number"),
    [("January", 1), ("jan", 1), ("Jan.", 1), ("MAY", 5), ("June", 6), ("jun", 6), ("Sept.", 9), ("sep", 9),
     ("september", 9), ("Dec", 12)],
)  # fmt: skip
def test_month_number_reads_names_and_abbreviations_in_any_case(name: str, number: int) -> None:
    assert month_number(name) == number


def test_month_pattern_matches_every_spelling_whole_and_nothing_else() -> None:
    pattern = re.compile(rf"(?:{MONTH_PATTERN})", re.IGNORECASE)
    for spelling in ["January", "jan", "Sept", "sep", "May", "december"]:
        assert pattern.fullmatch(spelling), spelling
    for other in ["Janu", "Mayday", "Sepp", "Monday"]:
        assert not pattern.fullmatch(other), other
    assert [month_name(n) for n in (1, 3, 12)] == ["January", "March", "December"]


def test_day_numbers_round_trip_and_unknown_days_are_zero() -> None:
    assert day_number(date(2015, 7, 23)) == 20150723
    assert day_number(None) == 0
    assert day_from_number(20150723) == date(2015, 7, 23)
    assert day_from_number(0) is None
    assert day_from_number(20230230) is None  # no such day
    assert day_number(date(2019, 1, 1)) < day_number(date(2019, 1, 2)) < day_number(date(2019, 2, 1))


def test_publication_date_is_the_day_in_the_timestamps_own_zone() -> None:
    assert str(publication_date("2015-07-23T08:26:00+08:00")) == "2015-07-23"
    assert str(publication_date("2023-09-26T05:26:05Z")) == "2023-09-26"
    assert str(publication_date("1987-02-26T15:01:01")) == "1987-02-26"
    assert str(publication_date("2019-01-04")) == "2019-01-04"
    assert publication_date(None) is None
    assert publication_date("yesterday") is None


def test_publication_moment_compares_instants_across_time_zones() -> None:
    beijing = publication_moment("2015-07-23T08:26:00+08:00")  # 00:26 UTC
    london = publication_moment("2015-07-23T01:00:00+00:00")
    new_york = publication_moment("2015-07-22T20:30:00-04:00")  # 00:30 UTC, the day before locally
    assert beijing == datetime(2015, 7, 23, 0, 26)
    assert beijing < new_york < london
    # naive times and bare dates are taken as written and still compare with the others
    assert publication_moment("2015-07-23") == datetime(2015, 7, 23)
    assert publication_moment("2015-07-22") < beijing
    assert publication_moment(None) is None and publication_moment("not a date") is None
