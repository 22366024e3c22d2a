"""Calendar facts shared by building, answering and judging: month names, day numbers, publication times.

One table of English month names (full and abbreviated), one YYYYMMDD day number (what Chroma range
filters and BM25's day column store), and one reading of a publication timestamp, so that the
index, retrieval, the prompt and the evaluation agree on what a date is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")
# Every spelling -> month number, lower case ("sept" and "sep" are both September).
MONTHS = {name: n for n, name in enumerate(MONTH_NAMES, start=1)} | {
    short: next(n for n, name in enumerate(MONTH_NAMES, start=1) if name.startswith(short))
    for short in MONTH_ABBREVIATIONS
}
# A regular-expression alternation of every spelling, longest first; match it with re.IGNORECASE.
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))


def month_number(name: str) -> int:
    """1-12 for a month name or abbreviation in any case, with or without a trailing dot ("Sept.")."""
    return MONTHS[name.rstrip(".").lower()]


def month_name(month: int) -> str:
    """The English name of month 3: "March"."""
    return MONTH_NAMES[month - 1].title()


def day_number(day: date | None) -> int:
    """YYYYMMDD as an int (Chroma's $gte/$lte filters compare numbers); 0 when the day is unknown."""
    return day.year * 10_000 + day.month * 100 + day.day if day else 0


def day_from_number(number: int) -> date | None:
    """The date of a YYYYMMDD int; None for 0 (unknown) or a number that is no date."""
    try:
        return date(number // 10_000, number // 100 % 100, number % 100)
    except ValueError:
        return None


def publication_date(published_at: str | None) -> date | None:
    """The calendar day of an ISO 8601 publication timestamp, in the timestamp's own time zone."""
    if not published_at:
        return None
    try:
        return datetime.fromisoformat(published_at.strip()).date()
    except ValueError:
        try:
            return date.fromisoformat(published_at.strip()[:10])
        except ValueError:
            return None


def publication_moment(published_at: str | None) -> datetime | None:
    """A publication timestamp as a point in time that compares across time zones.

    Times with an offset are converted to UTC; times and dates without one are taken as they are
    (naive, so that every result compares with every other). None when unknown or unreadable.
    """
    if not published_at:
        return None
    try:
        moment = datetime.fromisoformat(published_at.strip())
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


__all__ = [
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "MONTH_PATTERN",
    "day_from_number",
    "day_number",
    "month_name",
    "month_number",
    "publication_date",
    "publication_moment",
]
