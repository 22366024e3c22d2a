"""Resolve relative date expressions in an article ("on Monday", "in March", "星期三", "去年") to dates.

News text dates events relative to its publication ("crashed on Thursday"); a question asks for the
calendar date. We find each expression, leave the text untouched and return its span with the date it
means, so chunks can carry "on Thursday [2019-01-10]" for retrieval and generation.

Rules (publication date = P, weeks run Monday to Sunday as in ISO 8601):
- weekday ("Monday", "on Monday", "Monday's", "周三", "星期二"): the most recent such day on or before P;
  "last Monday"/"this past Monday": strictly before P; "next Monday"/"this coming Monday": strictly after;
  "this Monday": that day in P's week; 上周五/本周一/下周二: that day in the previous/same/next week.
- month without a year ("in March", "early March", "3月"): the most recent such month not after P's
  month; "last October": strictly before; "next March": strictly after; "this March": P's year.
- month and day without a year ("on March 23", "23 March", "11月26日"): the most recent such day not
  after P (February 29 goes back to the last leap year); with a weekday beside it ("Friday, March 23",
  "next Wednesday, July 31", "星期五(11月28日)") the year whose calendar matches that weekday, nearest P.
- a year stated after the month ("July 13 to 17 of last year", "in August last year", "December 22, this
  year"): that year, as 去年7月 already is.
- yesterday/today/tomorrow (昨天/今天/明天/前天), last/this/next week, month, year (去年/今年/明年, 上个月).
- a future clause ("will reopen on Monday", "将于6月30日") turns "most recent" into "next, on or after P".
- expressions that carry a year ("March 2015", "23 March 2019", "2019年3月") are left alone.
- names are left alone: "Black Friday", "the Sunday Times", and a capitalised relative day or week
  after a capitalised word ("USA Today", "Kamloops This Week").
- a range of days ("from July 13 to 17", "the September 25–27 poll"): the ISO interval of its first and
  last day, its year found as for its first day.
`resolved` is "YYYY-MM-DD", "YYYY-MM", "YYYY", or for a week or a range of days the ISO interval
"YYYY-MM-DD/YYYY-MM-DD" (`interval_days` tells a range of days from a week).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from index.calendar import MONTH_ABBREVIATIONS, MONTH_NAMES, month_number, publication_date
from index.language import normalize_language
from index.models import ResolvedDate

# ---------------------------------------------------------------------------------------------- shared

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Every English expression contains one of these; every Chinese one one of _ZH_ANCHORS.
_EN_ANCHORS = (
    *"day Day DAY morrow night week month year morning afternoon evening".split(),
    *(name[:3].title() for name in MONTH_NAMES),
)
_ZH_ANCHORS = ("月", "周", "星期", "礼拜", "天", "年", "昨日")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    resolved: str


def resolve_dates(text: str, published_at: str | None, language: str) -> list[ResolvedDate]:
    """Every relative date expression in `text` with the date it means; [] when `published_at` is unknown.

    Offsets index `text` itself (`text[d.start:d.end] == d.text`); spans never overlap.
    """
    pub = publication_date(published_at)
    if pub is None or not text:
        return []
    if normalize_language(language) == "zh":
        windows = _windows(text, _ZH_ANCHORS, margin=32, snap=False)
        blocked = list(_spans(_ZH_WITH_YEAR, text, windows))
        hits = list(_chinese_hits(text, pub, windows))
    else:
        windows = _windows(text, _EN_ANCHORS, margin=48, snap=True)
        blocked = list(_spans(_EN_WITH_YEAR, text, windows))
        hits = list(_english_hits(text, pub, windows))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    chosen: list[ResolvedDate] = []
    last_end = -1
    for hit in hits:
        if hit.start < last_end or any(hit.start < b_end and b_start < hit.end for b_start, b_end in blocked):
            continue
        chosen.append(ResolvedDate(hit.start, hit.end, text[hit.start : hit.end], hit.resolved))
        last_end = hit.end
    return chosen


_Windows = list[tuple[int, int]]


def _windows(text: str, anchors: Sequence[str], margin: int, snap: bool) -> _Windows:
    """Stretches of `text` around the words every date expression contains ("day", "March", "月").

    Scanning whole articles with the full patterns costs ~1 ms per KB; finding anchors with str.find and
    matching only near them is ~30x faster, which matters for corpora of tens of thousands of articles.
    Windows are widened to whitespace (English) so word boundaries behave as in the whole text.
    """
    positions: list[int] = []
    for anchor in anchors:
        i = text.find(anchor)
        while i != -1:
            positions.append(i)
            i = text.find(anchor, i + 1)
    if not positions:
        return []
    positions.sort()
    n = len(text)
    windows: _Windows = []
    for p in positions:
        lo, hi = max(0, p - margin), min(n, p + margin)
        if snap:
            while lo > 0 and not text[lo - 1].isspace():
                lo -= 1
            while hi < n and not text[hi].isspace():
                hi += 1
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def _find(pattern: re.Pattern[str], text: str, windows: _Windows) -> Iterator[re.Match[str]]:
    for lo, hi in windows:
        yield from pattern.finditer(text, lo, hi)


def _spans(pattern: re.Pattern[str], text: str, windows: _Windows) -> Iterator[tuple[int, int]]:
    for m in _find(pattern, text, windows):
        yield m.start(), m.end()


# ------------------------------------------------------------------------------------ date arithmetic


def interval_days(resolved: str) -> tuple[str, str] | None:
    """The first and last day of a range of days ("2018-07-13/2018-07-17"); None for anything else,
    a calendar week (Monday to Sunday: "last week") included, which is read as a week."""
    first, _, last = resolved.partition("/")
    if not last:
        return None
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return None if start.weekday() == 0 and (end - start).days == 6 else (first, last)


def _day(d: date) -> str:
    return d.isoformat()


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _week(d: date) -> str:
    monday = d - timedelta(days=d.weekday())
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _weekday_on_or_before(pub: date, weekday: int) -> date:
    return pub - timedelta(days=(pub.weekday() - weekday) % 7)


def _weekday_on_or_after(pub: date, weekday: int) -> date:
    return pub + timedelta(days=(weekday - pub.weekday()) % 7)


def _resolve_weekday(pub: date, weekday: int, mode: str) -> str:
    """mode: past (on or before P), before (strictly), after (strictly), future (on or after), this week,
    prev_week / next_week (Chinese 上周/下周: that day of the previous / next calendar week)."""
    monday = pub - timedelta(days=pub.weekday())
    if mode == "before":
        d = _weekday_on_or_before(pub - timedelta(days=1), weekday)
    elif mode == "after":
        d = _weekday_on_or_after(pub + timedelta(days=1), weekday)
    elif mode == "future":
        d = _weekday_on_or_after(pub, weekday)
    elif mode == "this_week":
        d = monday + timedelta(days=weekday)
    elif mode == "prev_week":
        d = monday - timedelta(days=7 - weekday)
    elif mode == "next_week":
        d = monday + timedelta(days=7 + weekday)
    else:
        d = _weekday_on_or_before(pub, weekday)
    return _day(d)


def _resolve_month(pub: date, month: int, mode: str) -> str:
    if mode == "before":
        year = pub.year if month < pub.month else pub.year - 1
    elif mode == "after":
        year = pub.year if month > pub.month else pub.year + 1
    elif mode == "future":
        year = pub.year if month >= pub.month else pub.year + 1
    elif mode == "this":
        year = pub.year
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    return _month(year, month)


def _resolve_month_day(pub: date, month: int, day: int, mode: str, weekday: int | None = None) -> str | None:
    """The most recent valid month/day not after P (or the next on/after P in future mode).

    With a weekday given, the year in P-1..P+1 whose calendar puts that day on that weekday, nearest P.
    """
    if weekday is not None:
        matching = []
        for year in (pub.year - 1, pub.year, pub.year + 1):
            d = _safe_date(year, month, day)
            if d is not None and d.weekday() == weekday:
                matching.append(d)
        if matching:
            return _day(min(matching, key=lambda d: abs((d - pub).days)))
    step = 1 if mode in ("future", "after") else -1
    for offset in range(9):  # 8 years reach the previous leap year from any date
        d = _safe_date(pub.year + step * offset, month, day)
        if d is None:
            continue
        if (step < 0 and d <= pub) or (step > 0 and d >= pub):
            return _day(d)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# -------------------------------------------------------------------------------------------- English

_WD = "|".join(_WEEKDAYS)
# Capitalised, as English writes months: "may" and "march" in lower case are a verb, a noun and a walk.
_MON = (
    rf"(?:{'|'.join(m.title() for m in MONTH_NAMES)}|"
    rf"(?:{'|'.join(m.title() for m in MONTH_ABBREVIATIONS)})\.?)"
)
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"

_TO = r"(?:-|–|to|through)"  # a range of days: "July 13 to 17", "September 25–27"

# Expressions that already carry a year: never resolved, and nothing inside them is either.
_EN_WITH_YEAR = re.compile(
    rf"(?:\b(?:{_WD}),?\s+)?(?:"
    rf"\b{_MON}\s+{_DAYNUM}(?:\s*{_TO}\s*{_DAYNUM})?,?\s+{_YEAR}\b"
    rf"|\b{_DAYNUM}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b"
    rf"|\b{_MON},?\s+(?:of\s+)?{_YEAR}\b)"
)

# "on Wednesday, July 31", "next Wednesday, July 31": the weekday settles the year.
_EN_WEEKDAY_DATE = re.compile(
    rf"\b(?:(?:[Oo]n|[Nn]ext|[Tt]his|[Ll]ast|[Cc]oming)\s+)?(?P<wd>{_WD}),?\s+(?:(?P<m1>{_MON})\s+(?P<d1>{_DAYNUM})|(?P<d2>{_DAYNUM})\s+"
    rf"(?:of\s+)?(?P<m2>{_MON}))(?![\w])"
)
_EN_MONTH_DAY = re.compile(
    rf"\b(?:(?P<pre>[Oo]n)\s+)?(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+)?"
    rf"(?:(?P<m1>{_MON})\s+(?P<d1>{_DAYNUM})(?:\s*{_TO}\s*(?P<end>{_DAYNUM}))?"
    rf"|(?P<d2>{_DAYNUM})\s+(?:of\s+)?(?P<m2>{_MON}))"
    rf"(?![\w])(?!,?\s*\d)"
)
_EN_WEEKDAY = re.compile(
    rf"\b(?:(?P<pre>[Oo]n)\s+)?(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his\s+(?:coming|past)|[Tt]his|[Cc]oming|[Pp]ast)\s+)?"
    rf"(?P<wd>{_WD})(?:'s|’s)?(?![\w])"
)
# Months alone only after a word that makes them a time ("in March", "last October"): "May" and
# "March" are also a verb, a noun and a surname.
_EN_MONTH = re.compile(
    rf"\b(?P<mod>[Ii]n|[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate|[Mm]id-|[Ss]ince|[Uu]ntil|[Dd]uring|"
    rf"[Ee]arlier\s+in|[Ll]ater\s+in|[Bb]y|[Ff]rom|[Tt]hrough)\s*(?P<m>{_MON})(?:'s|’s)?(?![\w])(?!\s*\d)"
)
# "July 13 to 17 of last year", "in August last year", "December 22, last year": the year is stated.
_EN_YEAR_AFTER = re.compile(r",?\s+(?:of\s+|in\s+)?(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+year\b")
_YEAR_DELTA = {"last": -1, "this": 0, "next": 1}
_EN_RELATIVE = re.compile(
    r"\b(?:(?P<day>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ll]ast\s+night|[Tt]his\s+morning|"
    r"[Tt]his\s+afternoon|[Tt]his\s+evening)"
    r"|(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<unit>week|month|year))(?:'s|’s)?(?![\w])"
)
# "Black Friday", "Super Tuesday", "the Sunday Times" name a thing, not a date near publication.
_NAMED_DAY_BEFORE = re.compile(
    r"(?:Black|Good|Super|Ash|Cyber|Bloody|Easter|Palm|Holy|Maundy|Fat|Giving)\s+$"
)
_NAMED_DAY_AFTER = re.compile(r"^\s+(?:Times|Telegraph|Mirror|Express|Post|Herald|Night\s+Football)\b")
# "USA Today", "Kamloops This Week": a capitalised relative day, week or month right after a capitalised
# word, in mid-sentence, ends the name of a paper or a programme; it is not a day near publication.
_NAMED_RELATIVE_BEFORE = re.compile(r"\b[A-Z][\w&]*\s+$")
# Only unambiguous markers: "due to the storm" is a cause and "was expected to" looks back; "has until
# October 28" sets a deadline ahead, "had until" one behind.
_FUTURE_EN = re.compile(
    r"\b(?:will|shall|won't|going\s+to|(?:is|are|be)\s+(?:scheduled|set|due|expected|slated)\s+to|"
    r"scheduled\s+for|(?:is|are|be)\s+set\s+for|(?:has|have)\s+until|plans?\s+to|planning\s+to|upcoming)\b|'ll\b"
)
_PAST_EN = re.compile(r"\b(?:said|says|announced|told|was|were|had|did|reported)\b")
_CLAUSE_BREAK = re.compile(r"[.!?;\n]")


def _en_future(text: str, start: int) -> bool:
    """True when the clause before `start` speaks of the future ("will reopen on Monday")."""
    window = text[max(0, start - 100) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    futures = list(_FUTURE_EN.finditer(window))
    return bool(futures) and not _PAST_EN.search(window, futures[-1].end())


# "from June 15", "starting June 15", "until June 15", "through June 15" in a report of June 5 look
# ahead ten days, not back a year: a day such a word opens is read as the next one when that is at
# most _SOON days away (about three months; set by reading, not fitted).
_FORWARD_BEFORE = re.compile(
    r"(?i)\b(?:from|starting|beginning|effective|until|till|through|thru)\s+(?:on\s+)?$"
)
_SOON = 92


# Any other day written without its year, and with nothing saying it is past or ahead, is read as
# the coming one when that is at most _NEAR days after publication: "the election to be held on August
# 9" in a report of August 3, "the Brexit deadline is October 31" in one of October 4, "6月11日开始" in
# one of May 29 are this year's, not last year's. Set by reading, not fitted: in the demo corpus 35
# resolutions change and each is right; at 92 days some written in the past ("In 2019 ... on February 6"
# in a report of January 1) would go wrong.
_NEAR = 31


def _soon_after(pub: date, month: int, day: int, within: int = _SOON) -> str:
    """The mode "future" when the next `month`/`day` on or after P is at most `within` days away."""
    ahead = _resolve_month_day(pub, month, day, "future")
    return "future" if ahead and (date.fromisoformat(ahead) - pub).days <= within else "past"


def _stated_year(text: str, end: int, pub: date) -> int | None:
    """The year a phrase after a month (or a range of its days) states: "of last year" is P's year - 1."""
    m = _EN_YEAR_AFTER.match(text, end)
    return None if m is None else pub.year + _YEAR_DELTA[m["rel"].lower()]


def _safe_day(year: int, month: int, day: int) -> str | None:
    d = _safe_date(year, month, day)
    return None if d is None else _day(d)


def _day_number(token: str) -> int:
    return int(token.rstrip("stndrh"))


def _english_hits(text: str, pub: date, windows: _Windows) -> Iterator[_Hit]:
    for m in _find(_EN_WEEKDAY_DATE, text, windows):
        month = month_number(m["m1"] or m["m2"])
        day = _day_number(m["d1"] or m["d2"])
        resolved = _resolve_month_day(pub, month, day, "past", weekday=_WEEKDAYS.index(m["wd"]))
        if resolved:
            yield _Hit(m.start(), m.end(), resolved)

    for m in _find(_EN_MONTH_DAY, text, windows):
        month = month_number(m["m1"] or m["m2"])
        day = _day_number(m["d1"] or m["d2"])
        mod = (m["mod"] or "").lower()
        mode = "after" if mod == "next" else "future" if _en_future(text, m.start()) else "past"
        if mode == "past":  # ahead when soon: "until June 15" within _SOON days, any other within _NEAR
            forward = _FORWARD_BEFORE.search(text, max(0, m.start() - 16), m.start())
            mode = _soon_after(pub, month, day, _SOON if forward else _NEAR)
        year = _stated_year(text, m.end(), pub)
        resolved = _resolve_month_day(pub, month, day, mode) if year is None else _safe_day(year, month, day)
        if resolved and m["end"]:
            last = _safe_day(int(resolved[:4]), month, _day_number(m["end"]))
            resolved = f"{resolved}/{last}" if last and last > resolved else None
        if resolved:
            yield _Hit(m.start(), m.end(), resolved)

    for m in _find(_EN_WEEKDAY, text, windows):
        if _NAMED_DAY_BEFORE.search(
            text, max(0, m.start("wd") - 12), m.start("wd")
        ) or _NAMED_DAY_AFTER.match(text[m.end() : m.end() + 20]):
            continue
        mod = " ".join((m["mod"] or "").lower().split())
        if mod in ("last", "past", "this past"):
            mode = "before"
        elif mod in ("next", "coming", "this coming"):
            mode = "after"
        elif mod == "this":
            mode = "this_week"
        else:
            mode = "future" if _en_future(text, m.start()) else "past"
        yield _Hit(m.start(), m.end(), _resolve_weekday(pub, _WEEKDAYS.index(m["wd"]), mode))

    for m in _find(_EN_MONTH, text, windows):
        mod = " ".join(m["mod"].lower().split())
        if m["m"] == "May" and mod in ("by", "from", "through"):
            continue  # "by May" is as often Theresa May as the month
        if mod == "last":
            mode = "before"
        elif mod == "next":
            mode = "after"
        elif mod == "this":
            mode = "this"
        else:
            mode = "future" if _en_future(text, m.start()) else "past"
        # "in March" keeps its preposition in the span; "since"/"by"/"until" stay outside it.
        start = m.start() if mod in ("in", "last", "next", "this", "early", "late", "mid-") else m.start("m")
        year = _stated_year(text, m.end(), pub) if mod not in ("last", "next", "this") else None
        month = month_number(m["m"])
        yield _Hit(start, m.end(), _resolve_month(pub, month, mode) if year is None else _month(year, month))

    for m in _find(_EN_RELATIVE, text, windows):
        if m.group(0)[0].isupper() and _NAMED_RELATIVE_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue  # "USA Today", "Entertainment Tonight", "Kamloops This Week"
        if m["day"]:
            word = " ".join(m["day"].lower().split())
            offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
            yield _Hit(m.start(), m.end(), _day(pub + timedelta(days=offset)))
            continue
        if re.search(r"\bthe\s+$", text[max(0, m.start() - 8) : m.start()], re.I):
            continue  # "over the last week" is the past seven days, not the previous calendar week
        delta = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
        yield _Hit(m.start(), m.end(), _relative_unit(pub, m["unit"], delta))


def _relative_unit(pub: date, unit: str, delta: int) -> str:
    if unit == "week":
        return _week(pub + timedelta(days=7 * delta))
    if unit == "month":
        return _month(*_add_months(pub.year, pub.month, delta))
    return f"{pub.year + delta:04d}"


# -------------------------------------------------------------------------------------------- Chinese

_ZH_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEKDAY = r"(?:(?:星期|礼拜)[一二三四五六日天]|周[一二三四五六日])"
_LP, _RP = r"[(（]", r"[)）]"
_ZH_MD = r"(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"

_ZH_WITH_YEAR = re.compile(
    rf"(?:{_ZH_WEEKDAY}\s*{_LP}\s*)?\d{{4}}\s*年(?:\s*\d{{1,2}}\s*月(?:份|\s*\d{{1,2}}\s*[日号])?)?"
    rf"(?:\s*{_RP})?(?:\s*{_LP}\s*{_ZH_WEEKDAY}\s*{_RP})?"
)
_ZH_WEEKDAY_DATE = re.compile(
    rf"(?:[上本这下]个?)?(?P<wd1>{_ZH_WEEKDAY})\s*{_LP}\s*{_ZH_MD}\s*{_RP}"
    rf"|(?P<m2>\d{{1,2}})\s*月\s*(?P<d2>\d{{1,2}})\s*[日号]\s*{_LP}\s*(?P<wd2>{_ZH_WEEKDAY})\s*{_RP}"
)
_ZH_REL_YEAR_MONTH = re.compile(
    r"(?P<y>前年|去年|今年|明年)\s*(?P<m>\d{1,2})\s*月(?:份|\s*(?P<d>\d{1,2})\s*[日号])?"
)
_ZH_MONTH_DAY = re.compile(rf"(?<![\d年.\-/]){_ZH_MD}")
_ZH_MONTH = re.compile(r"(?<![\d年.\-/])(?P<m>\d{1,2})\s*月(?:份|底|初|[上中下]旬)?(?!\s*\d)(?![球亮光饼])")
# 每周一 ("every Monday") and 一周一次 ("once a week") are not dates.
_ZH_WEEKDAY_ONLY = re.compile(
    rf"(?<![每几数两\d一二三四五六七八九十])(?P<mod>上个?|本|这个?|下个?)?(?P<wd>{_ZH_WEEKDAY})"
)
_ZH_DAY_WORDS = {"前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "明天": 1}
_ZH_DAY = re.compile(r"(?<![之此以提])(?P<w>前天|昨天|昨日|今天|明天)(?![气空然津堂])")
_ZH_PERIOD = re.compile(
    r"(?:(?P<wk>[上本这下])个?(?:星期|礼拜|周)(?![一二三四五六日天])"
    r"|(?P<mo>[上本这下])个?月(?![底初中份]?\d)|(?P<yr>前年|去年|今年|明年))"
)
_ZH_DELTA = {"上": -1, "本": 0, "这": 0, "下": 1, "前年": -2, "去年": -1, "今年": 0, "明年": 1}
# 将 alone is also the object marker of past sentences ("星期一将他判处…"), so only its future combinations.
_ZH_FUTURE = re.compile(
    r"即将|定于|预计|计划于|打算|将(?:于|在|会|要|举行|召开|访问|前往|出席|发布|公布|开始|启动|进行|宣布|抵达|"
    r"迎来|举办|投票|生效|实施|开幕|上任|就职)"
)
_ZH_CLAUSE_BREAK = re.compile(r"[。！？；\n，,]")


def _zh_future(text: str, start: int, end: int) -> bool:
    """将 and friends right before the expression ("将于6月30日") or right after it ("周五将举行")."""
    before = text[max(0, start - 8) : start]
    breaks = list(_ZH_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = text[end : end + 3]
    return bool(_ZH_FUTURE.search(before) or _ZH_FUTURE.match(after.lstrip()))


def _zh_weekday(token: str) -> int:
    return _ZH_WD[token[-1]]


def _chinese_hits(text: str, pub: date, windows: _Windows) -> Iterator[_Hit]:
    for m in _find(_ZH_WEEKDAY_DATE, text, windows):
        weekday = _zh_weekday(m["wd1"] or m["wd2"])
        month, day = int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
        resolved = _resolve_month_day(pub, month, day, "past", weekday=weekday)
        if resolved:
            yield _Hit(m.start(), m.end(), resolved)

    for m in _find(_ZH_REL_YEAR_MONTH, text, windows):
        year = pub.year + {"前年": -2, "去年": -1, "今年": 0, "明年": 1}[m["y"]]
        month = int(m["m"])
        if not 1 <= month <= 12:
            continue
        if m["d"]:
            d = _safe_date(year, month, int(m["d"]))
            if d is not None:
                yield _Hit(m.start(), m.end(), _day(d))
        else:
            yield _Hit(m.start(), m.end(), _month(year, month))

    for m in _find(_ZH_MONTH_DAY, text, windows):
        month, day = int(m["m"]), int(m["d"])
        mode = "future" if _zh_future(text, m.start(), m.end()) else _soon_after(pub, month, day, _NEAR)
        resolved = _resolve_month_day(pub, month, day, mode)
        if resolved:
            yield _Hit(m.start(), m.end(), resolved)

    for m in _find(_ZH_MONTH, text, windows):
        month = int(m["m"])
        if 1 <= month <= 12:
            mode = "future" if _zh_future(text, m.start(), m.end()) else "past"
            yield _Hit(m.start(), m.end(), _resolve_month(pub, month, mode))

    for m in _find(_ZH_WEEKDAY_ONLY, text, windows):
        mod = (m["mod"] or "")[:1]
        if mod == "上":
            mode = "prev_week"
        elif mod in ("本", "这"):
            mode = "this_week"
        elif mod == "下":
            mode = "next_week"
        else:
            mode = "future" if _zh_future(text, m.start(), m.end()) else "past"
        yield _Hit(m.start(), m.end(), _resolve_weekday(pub, _zh_weekday(m["wd"]), mode))

    for m in _find(_ZH_DAY, text, windows):
        yield _Hit(m.start(), m.end(), _day(pub + timedelta(days=_ZH_DAY_WORDS[m["w"]])))

    for m in _find(_ZH_PERIOD, text, windows):
        unit = "week" if m["wk"] else "month" if m["mo"] else "year"
        delta = _ZH_DELTA[m["wk"] or m["mo"] or m["yr"]]
        yield _Hit(m.start(), m.end(), _relative_unit(pub, unit, delta))
