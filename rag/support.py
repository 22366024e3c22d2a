"""Lexical support: does a passage sentence state what an answer claims?

Used to check citations after generation and to find the sentence to quote. Words are compared
after NFKC folding and lower-casing; Chinese is compared by characters; dates are compared in ISO
form, so an answer "March 2015" is supported by "in March" once the index resolved it to 2015-03.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from index.calendar import MONTH_ABBREVIATIONS, MONTH_NAMES, month_name, month_number
from index.cjk import HAN_CHAR
from index.date_text import find_dates
from index.dates import interval_days
from index.numbers import numbers_as_digits

STOPWORDS = frozenset(
    (
        "a an the and or of in on at to for by with from as is are was were be been being it its this that "
        "these those he she they them his her their we our you your i which who whom whose what when where "
        "why how did does do has have had not no yes but if than then so such there here into over under "
        "about after before during also per via up out more most some any all each both one said says say "
        "according reported report reports article news"
    ).split()
)

_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+", re.UNICODE)


# A time of day ("5:17 p.m.", "17:17", "5 pm") counts as one token in 24-hour form ("17:17"): read as
# its pieces, "4:17 p.m." would be supported by "5:17 p.m. ... four hours".
_CLOCK = re.compile(
    r"(?<![\d.:])(\d{1,2})(?:[:：](\d{2})(?!\d)(?:\s*([ap])\.?\s?m\b\.?)?|\s*([ap])\.?\s?m\b\.?)",
    re.IGNORECASE,
)


# A percentage counts as its number and as "48%" ("48 percent", "百分之四十八"): an answer "54%" is not
# stated by "54 delegates", while a bare "48" is still stated by "48%".
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)*)\s*(?:%|percent\b|per\s+cent\b)")
_ZH_PERCENT = re.compile(
    r"百分之([零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?|\d+(?:\.\d+)?)"
)


# A fraction counts as one token, "2/3", however it is written ("two-thirds", "2/3", "三分之二",
# "a third"), not as its pieces: "2/3" is stated by "two-thirds of the votes", not by "2" and "3".
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
_FRACTION_WORDS = re.compile(
    rf"(?<![\w.,/])(\d+|an?)[\s-]+({'|'.join(_DENOMINATORS)})s?\b"
)  # after numbers_as_digits and folding: "2-thirds", "a third"
_FRACTION_DIGITS = re.compile(r"(?<![\w./])(\d{1,2})/(\d{1,2})(?![\w/])")
_FRACTION_ZH = re.compile(r"(\d+)\s*分之\s*(\d+)")  # "三分之二" after numbers_as_digits: "3 分之 2"


def _fractions(text: str) -> tuple[set[str], str]:
    """The fractions `text` writes, as "n/d" tokens, and the text without them."""
    found: set[str] = set()

    def keep(numerator: str, denominator: int, whole: str) -> str:
        n = 1 if numerator in ("a", "an") else int(numerator)
        if not 0 < n < denominator <= 10:
            return whole
        found.add(f"{n}/{denominator}")
        return " "

    text = _FRACTION_WORDS.sub(lambda m: keep(m.group(1), _DENOMINATORS[m.group(2)], m.group(0)), text)
    text = _FRACTION_DIGITS.sub(lambda m: keep(m.group(1), int(m.group(2)), m.group(0)), text)
    text = _FRACTION_ZH.sub(lambda m: keep(m.group(2), int(m.group(1)), m.group(0)), text)
    return found, text


# An ordinal counts as one token however it is written ("second", "2nd" -> "2th"): "2nd place" is
# stated by "finished in second place", and read as "2" and "nd" it was not.
_ORDINAL_WORDS = {w: n for n, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}  # fmt: skip
_ORDINAL = re.compile(rf"(?<![\w.,])(?:({'|'.join(_ORDINAL_WORDS)})|(\d+)(?:st|nd|rd|th))\b")


def _ordinals(text: str) -> tuple[set[str], str]:
    """The ordinals `text` (folded, fractions taken out) writes, as "2th" tokens, and the text without them."""
    found: set[str] = set()

    def keep(m: re.Match[str]) -> str:
        found.add(f"{_ORDINAL_WORDS[m.group(1)] if m.group(1) else int(m.group(2))}th")
        return " "

    return found, _ORDINAL.sub(keep, text)


def _clock_token(m: re.Match[str]) -> str:
    hour, minutes, half = int(m.group(1)), m.group(2) or "00", (m.group(3) or m.group(4) or "").lower()
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    return f"{hour:02d}:{minutes}"


def is_number_token(token: str) -> bool:
    """A number or a time of day among `tokens` ("7", "3.9", "17:17"; not an ISO date's "2019-07")."""
    return token[:1].isdigit() and "-" not in token


def fold(text: str) -> str:
    """Unicode-width and case folding shared by every comparison here."""
    return unicodedata.normalize("NFKC", text).lower()


def without_accents(text: str) -> str:
    """The text with its accents dropped ("Matovič" -> "Matovic"), for comparing names as users type them."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def iso_dates(text: str) -> set[str]:
    """ISO forms of the dates in `text`, each also at month granularity ("2019-01-10", "2019-01")."""
    out: set[str] = set()
    for _, _, iso in find_dates(text):
        out.add(iso)
        out.add(iso[:7])
    return out


def date_forms(resolved: str) -> set[str]:
    """The ISO dates a resolved date stands for, at its own precision and its month's: a range of days
    ("2018-07-13/2018-07-17") stands for its first and last day; a week only for itself."""
    if "/" not in resolved:
        return {resolved, resolved[:7]}
    days = interval_days(resolved)
    return {resolved} if days is None else {*days, *(d[:7] for d in days)}


BARE_DAY = re.compile(r"\s*(\d{1,2})\s*[日号號]?\s*")
_FULL_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_number_as_date(claim: str, known_dates: Iterable[str]) -> str:
    """A bare day of the month ("2", "2号") as the one full date among `known_dates` with that day,
    written out ("2 June 2026"); else `claim` unchanged. For a question asking which day: the 1.5B
    answers "几号官宣的" with the day's number, which on its own states no date of the evidence."""
    m = BARE_DAY.fullmatch(claim)
    if m is None:
        return claim
    days = {d for d in known_dates if _FULL_DAY.fullmatch(d) and int(d[8:]) == int(m.group(1))}
    return spoken_date(days.pop()) if len(days) == 1 else claim


def spoken_date(iso: str, language: str = "en") -> str:
    """ "2015-03" -> "March 2015", "2019-01-10" -> "10 January 2019" (Chinese: "2015年3月",
    "2019年1月10日"), a range of days "13 to 17 July 2018" ("2018年7月13日至17日"); anything else
    (a week) unchanged."""
    if (days := interval_days(iso) if "/" in iso else None) is not None:
        return _spoken_range(*days, language)
    parts = iso.split("-")
    try:
        if len(parts) == 3 and 1 <= int(parts[1]) <= 12:
            if language == "zh":
                return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"
            return f"{int(parts[2])} {month_name(int(parts[1]))} {parts[0]}"
        if len(parts) == 2 and 1 <= int(parts[1]) <= 12:
            if language == "zh":
                return f"{parts[0]}年{int(parts[1])}月"
            return f"{month_name(int(parts[1]))} {parts[0]}"
    except ValueError:
        pass
    return iso


def _spoken_range(first: str, last: str, language: str) -> str:
    """Two days written once for what they share: "13 to 17 July 2018", "30 June to 2 July 2019"."""
    if language == "zh":
        start = spoken_date(first, "zh")
        if first[:7] == last[:7]:
            return f"{start}至{int(last[8:])}日"
        end = spoken_date(last, "zh")
        return f"{start}至{end[5:]}" if first[:4] == last[:4] else f"{start}至{end}"
    end = spoken_date(last)
    if first[:7] == last[:7]:
        return f"{int(first[8:])} to {end}"
    if first[:4] == last[:4]:
        return f"{spoken_date(first).rsplit(' ', 1)[0]} to {end}"
    return f"{spoken_date(first)} to {end}"


# A range of days a reply writes from an ISO day: "2019-03-15 to 17", "2019-03-15 – 2019-03-17".
_ISO_RANGE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})\s*(?:to|through|-|–|—)\s*(?:(\d{4}-\d{2}-\d{2})\b|(\d{1,2})\b(?![-:.]\d))"
)


def _spoken_iso_ranges(text: str, language: str) -> str:
    """Each range of days written from an ISO day, written once for what its days share."""

    def spoken(m: re.Match[str]) -> str:
        first, last = m.group(1), m.group(2) or f"{m.group(1)[:8]}{int(m.group(3)):02d}"
        try:
            ordered = date.fromisoformat(first) < date.fromisoformat(last)
        except ValueError:
            ordered = False
        return _spoken_range(first, last, language) if ordered else m.group(0)

    return _ISO_RANGE.sub(spoken, text)


def humanize_iso_dates(text: str, language: str = "en") -> str:
    """Write ISO dates ("2015-03") the way a reader expects ("March 2015"; Chinese "2015年3月"), and a
    range of days written from one ("2019-03-15 to 17") as one range ("15 to 17 March 2019")."""
    text = _spoken_iso_ranges(text, language)
    return re.sub(r"\b\d{4}-\d{2}(?:-\d{2})?\b", lambda m: spoken_date(m.group(0), language), text)


def localize_dates(text: str, language: str) -> str:
    """Every full date in `text` written for a reader of `language`: "March 2015" -> "2015年3月" in a
    Chinese answer, "2026年6月24日" -> "24 June 2026" in an English one; ISO dates in either.

    The evidence may be in another language than the question, and the model copies its form; the
    reader should not have to convert. Dates already in the reader's form are left as written.
    """
    text = _spoken_iso_ranges(text, "zh" if language == "zh" else "en")
    if len(fold(text)) != len(text):  # offsets would not line up (rare folds that change length)
        return text
    out, at = [], 0
    for start, end, iso in find_dates(text):
        written = text[start:end]
        chinese_form = "年" in written
        readers_form = chinese_form if language == "zh" else not chinese_form and "-" not in written
        if readers_form:
            continue
        before, weekday = text[at:start], ""
        if language == "zh" and (m := _EN_WEEKDAY_BEFORE.search(before)):  # "Tuesday, 23 June 2026"
            before, weekday = before[: m.start()], f"（{_ZH_WEEKDAYS[m.group(1).lower()]}）"
        out.append(before)
        out.append(spoken_date(iso, "zh" if language == "zh" else "en") + weekday)
        at = end
    out.append(text[at:])
    return "".join(out)


_ZH_WEEKDAYS = {
    "monday": "星期一",
    "tuesday": "星期二",
    "wednesday": "星期三",
    "thursday": "星期四",
    "friday": "星期五",
    "saturday": "星期六",
    "sunday": "星期日",
}
_EN_WEEKDAY_BEFORE = re.compile(rf"(?i)\b({'|'.join(_ZH_WEEKDAYS)}),?\s*$")


def fit_dates_to_evidence(claim: str, evidence_dates: set[str]) -> str | None:
    """The claim with each date cut to the precision the evidence supports, or None if one is unsupported.

    "20 March 2015" against evidence that only says March 2015 becomes "March 2015": the model
    added a day the article never gave. A date the evidence does not contain at all fails.
    """
    out, at = [], 0
    for start, end, iso in find_dates(claim):
        if iso in evidence_dates:
            continue
        coarser = next((c for c in (iso[:7], iso[:4]) if len(c) < len(iso) and c in evidence_dates), None)
        if coarser is None:
            return None
        out.append(claim[at:start])
        out.append(spoken_date(coarser))
        at = end
    out.append(claim[at:])
    return "".join(out)


def _date_words(iso: str) -> set[str]:
    """Words a reader would use for an ISO date: its year and month name. Not its day number alone:
    "3" is no count that "5月3日" states (a day is stated by its month-day token, "--05-03")."""
    parts = iso.split("-")
    words = {parts[0]}
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        words.add(MONTH_NAMES[int(parts[1]) - 1])
    return words


# A day written without its year ("September 28", "28th of Sept.", "9月28日") is one token, "--09-28"
# (ISO 8601's month and day), as a full date is its ISO form: read as a month and a day number, "9月
# 28日" was stated by "Yesterday [28 August] ... suspend Parliament for parts of September".
_MONTH = "|".join((*MONTH_NAMES, *MONTH_ABBREVIATIONS))
_MONTH_DAY = re.compile(
    rf"(?i)\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.,]?\d)"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?"
    r"|(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
)


# A Chinese weekday; "周" only where no count follows ("每周一次" is once a week).
_ZH_WEEKDAY = re.compile(r"(?:星期|礼拜)([一二三四五六日天])|周([一二三四五六日天])(?![次年个岁])")
_WEEKDAY_NAMES = dict(
    zip(
        "一二三四五六日天",
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "sunday"),
        strict=True,
    )
)


def _month_day(m: re.Match[str]) -> tuple[int, int] | None:
    """The (month, day) a `_MONTH_DAY` match writes, None when it is no day of the calendar."""
    if m.group(1):
        month, day = month_number(m.group(1)), int(m.group(2))
    elif m.group(4):
        month, day = month_number(m.group(4)), int(m.group(3))
    else:
        month, day = int(m.group(5)), int(m.group(6))
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


def month_day_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` writes a day without its year ("jan 7", "5月3日")."""
    return [m.span() for m in _MONTH_DAY.finditer(text) if _month_day(m)]


def month_days(text: str) -> set[tuple[int, int]]:
    """The days `text` writes without their year, as (month, day): "jan 7" -> (1, 7), "6月19日" -> (6, 19)."""
    return {md for m in _MONTH_DAY.finditer(text) if (md := _month_day(m))}


def tokens(text: str, resolved: Iterable[str] = ()) -> set[str]:
    """Content tokens: words minus stopwords, Chinese characters one by one, numbers as digits
    ("fifteen", "十五" -> "15"), percentages also with their sign ("48%"), fractions as one token
    ("two-thirds" -> "2/3"), plus date words.

    `resolved` adds the ISO dates the index attached to the text, and the words they stand for. A
    date written in the text counts by what it means (ISO form, year, month name, day), not by its
    pieces, so "2015年3月" and "March 2015" have the same tokens; so does a number, by its value
    ("140万" and "1.4 million" are "1400000", "six thousand" and "6,000" are "6000").
    """
    dates = _with_range_starts(text, find_dates(text))
    t = text
    for start, end, _ in reversed(dates):  # a date counts by what it means, not by its pieces
        t = t[:start] + " " + t[end:]
    days = {f"--{month:02d}-{day:02d}" for month, day in month_days(t)}
    t = _MONTH_DAY.sub(lambda m: " " if _month_day(m) else m.group(0), t)
    # "星期四" is Thursday, not a 4 ("4天" was supported by "世卫组织星期四召开会议")
    t = _ZH_WEEKDAY.sub(lambda m: f" {_WEEKDAY_NAMES[m.group(1) or m.group(2)]} ", t)
    clocks = {_clock_token(m) for m in _CLOCK.finditer(t)}  # "5:17 p.m." is one time, "17:17"
    t = _ZH_PERCENT.sub(lambda m: numbers_as_digits(m.group(1)).strip() + "%", _CLOCK.sub(" ", t))
    t = fold(numbers_as_digits(t))
    percents = {m.group(1).replace(",", "") + "%" for m in _PERCENT.finditer(t)}
    t = _PERCENT.sub(lambda m: f" {m.group(1)} ", t)  # "percent" is read into "48%", not a word of its own
    fractions, t = _fractions(t)
    ordinals, t = _ordinals(t)
    out = {w for w in _WORD.findall(t) if w not in STOPWORDS and not HAN_CHAR.search(w)} | clocks
    out |= percents | fractions | ordinals | days
    out |= {w.replace(",", "") for w in out if "," in w}
    out |= set(HAN_CHAR.findall(t))
    for iso in set(resolved) | {iso for _, _, iso in dates}:
        for form in date_forms(iso):
            out.add(form)
            out |= _date_words(form)
            if len(form) == 10:
                out.add(f"--{form[5:]}")
    return out


# "15 to 17 March 2019", as `spoken_date` writes a range: the first day is written before the date
_RANGE_START = re.compile(r"(?<!\d)(\d{1,2})\s*(?:to|through|-|–|—)\s*$", re.IGNORECASE)


def _with_range_starts(text: str, dates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """`dates` with the first day of each "D to D Month YYYY" range as a date of its own, so that its
    number is read as that day ("15" of "15 to 17 March 2019"), not as a number the evidence lacks."""
    out = []
    for start, end, iso in dates:
        m = _RANGE_START.search(text[:start]) if len(iso) == 10 else None
        if m and 1 <= int(m.group(1)) < int(iso[8:]):
            out.append((m.start(), m.end(), f"{iso[:8]}{int(m.group(1)):02d}"))
        out.append((start, end, iso))
    return out


def lexical_support(claim: str, evidence: str, evidence_dates: Iterable[str] = ()) -> float:
    """Share of the claim's content tokens that the evidence contains (1.0 = all of them)."""
    claim_tokens = tokens(claim)
    if not claim_tokens:
        return 0.0
    evidence_tokens = tokens(evidence, evidence_dates)
    return len(claim_tokens & evidence_tokens) / len(claim_tokens)


# A part of a month: "early June", "the end of May", "mid-October", "5月底", "10月下旬". 中 only as 中旬:
# "5月中国..." is May, then China.
_MONTH_PART_EN = re.compile(
    rf"(?i)\b(beginning|start|early|mid|middle|end|late)(?:\s+of)?[\s-]+({'|'.join(MONTH_NAMES)})\b"
)
_MONTH_PART_ZH = re.compile(r"(?<!\d)(\d{1,2})\s*月(初|上旬|中旬|底|末|下旬)")
_PART_OF_MONTH = {
    **dict.fromkeys(("beginning", "start", "early", "初", "上旬"), "start"),
    **dict.fromkeys(("mid", "middle", "中旬"), "middle"),
    **dict.fromkeys(("end", "late", "底", "末", "下旬"), "end"),
}


def month_part_mentions(text: str) -> list[tuple[int, str, str]]:
    """(month, part, the part as written) for each part of a month a text writes, in English ("late ",
    "end of ", "mid-": the words before the month) or Chinese ("底", "下旬": the words after 月)."""
    found = [
        (
            MONTH_NAMES.index(m.group(2).casefold()) + 1,
            _PART_OF_MONTH[m.group(1).casefold()],
            text[m.start() : m.start(2)],
        )
        for m in _MONTH_PART_EN.finditer(text)
    ]
    digits = numbers_as_digits(text)
    return found + [
        (int(m.group(1)), _PART_OF_MONTH[m.group(2)], m.group(2)) for m in _MONTH_PART_ZH.finditer(digits)
    ]


def month_parts(text: str) -> set[tuple[int, str]]:
    """The (month, part) pairs a text writes, in English or Chinese ("start", "middle" or "end")."""
    return {(month, part) for month, part, _ in month_part_mentions(text)}
