"""Dates written out in text ("January 10, 2019", "10th March 2015", "2015年3月", "2019/01/10"), read as ISO.

One reader for every place that compares dates in text: citation support (an answer's date against
the evidence's), question decomposition and retrieval boosts (the days a question names), and the
evaluation's answer matching. Resolving *relative* expressions ("in March", "on Monday") against a
publication date is `index.dates`; this module only reads dates that are complete as written.

Forms, most specific first; a span taken by an earlier form is not read again by a later one:
  2019-01-10, 2019/1/10, 2019.01.10 | 2019年1月10日 (or 号) | January 10(th), 2019 | 10(th) (of) January 2019
  | 2019年1月 | January (of) 2019 | 2019-01
and with `yearless`, read as "--MM-DD": 1月10日 | January 10(th) | 10(th) (of) January.
Month names may be abbreviated ("Jan.", "Sept"), in any case. A month outside 1-12 or a day outside
1-31 is no date.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.calendar import MONTH_PATTERN, month_number

_MON = rf"(?P<mon>{MONTH_PATTERN})\.?"
_ORD = r"(?:st|nd|rd|th)?"
_Y, _M, _D = r"(?P<y>\d{4})", r"(?P<mon>\d{1,2})", r"(?P<d>\d{1,2})"
_WITH_YEAR = [
    rf"\b{_Y}[-/.]{_M}[-/.]{_D}\b",
    rf"{_Y}\s*年\s*{_M}\s*月\s*{_D}\s*[日号]",
    rf"\b{_MON}\s+{_D}{_ORD},?\s+{_Y}\b",
    rf"\b{_D}{_ORD}\s+(?:of\s+)?{_MON},?\s+{_Y}\b",
    rf"{_Y}\s*年\s*{_M}\s*月",
    rf"\b{_MON},?\s+(?:of\s+)?{_Y}\b",
    rf"\b{_Y}-(?P<mon>\d{{2}})\b(?!-)",
]
_YEARLESS = [
    rf"(?<!\d){_M}\s*月\s*{_D}\s*[日号]",
    rf"\b{_MON}\s+{_D}{_ORD}\b",
    rf"\b{_D}{_ORD}\s+(?:of\s+)?{_MON}\b",
]
_FORMS = [re.compile(p, re.IGNORECASE) for p in _WITH_YEAR]
_YEARLESS_FORMS = [re.compile(p, re.IGNORECASE) for p in _YEARLESS]


def find_dates(text: str, yearless: bool = False) -> list[tuple[int, int, str]]:
    """The dates written in `text` as (start, end, iso), in text order; spans never overlap.

    `iso` is "YYYY-MM-DD" or "YYYY-MM"; with `yearless`, a day without a year is also read,
    as "--MM-DD". Offsets index `text` itself.
    """
    found: list[tuple[int, int, str]] = []
    for form in _FORMS + (_YEARLESS_FORMS if yearless else []):
        for m in form.finditer(text):
            iso = _iso(m)
            if iso and not any(m.start() < end and start < m.end() for start, end, _ in found):
                found.append((m.start(), m.end(), iso))
    return sorted(found)


def rewrite_dates(text: str, write: Callable[[str], str | None], yearless: bool = False) -> str:
    """`text` with each written date replaced by `write(iso)`; a date is left as written where that is None."""
    out: list[str] = []
    at = 0
    for start, end, iso in find_dates(text, yearless):
        replacement = write(iso)
        if replacement is not None:
            out += [text[at:start], replacement]
            at = end
    out.append(text[at:])
    return "".join(out)


def _iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    mon = groups["mon"]
    month = int(mon) if mon.isdigit() else month_number(mon)
    day = int(groups["d"]) if groups.get("d") else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    year = groups.get("y")
    if year is None:
        return f"--{month:02d}-{day:02d}"
    return f"{int(year):04d}-{month:02d}-{day:02d}" if day is not None else f"{int(year):04d}-{month:02d}"


__all__ = ["find_dates", "rewrite_dates"]
