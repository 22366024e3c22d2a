"""Time words in a question, resolved against the day it is asked: "what happened last week?".

index.dates resolves dates in an article against its publication; here the anchor is the day of
the question (`as_of`, today by default), and the result bounds the search instead of annotating
text. Weeks run Monday to Sunday (as in index.dates); a range is never extended past `as_of`.

| says | searches (as_of = Friday 2024-05-10) |
|---|---|
| today, 今天 / yesterday, 昨天 / the day before yesterday, 前天 | that day |
| this week, 本周 / last week, 上周 | 2024-05-06..05-10 / 2024-04-29..05-05 |
| this month, 本月 / last month, 上个月 | 2024-05-01..05-10 / 2024-04-01..04-30 |
| this year, 今年 / last year, 去年 | 2024-01-01..05-10 / 2023-01-01..12-31 |
| in the past three days, 过去三天, 近三天 (N days/weeks/months/years) | 2024-05-07..05-10 |
| latest, most recent, newest, 最新, 最近, 近期 | no bound: recent articles preferred |

Deliberately not resolved: a year word in a question about someone's age ("今年多大", "how old is
he this year": an article of any year states the age for its day), bare "recent(ly)", "the previous year" and weekday or month names ("in
March"), which news questions mostly use to describe an article's content ("a player's recent
form"), not to say when to search; a possessive ("last week's game") names something in an article
for the same reason, and so does any time word in a question about what an article or post says
("Does the Polygon post discuss ... over the past five years?") unless it says when that was
published ("the article published last week"). Source names are masked first: "Business Today" is
not "today".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from index.calendar import publication_date
from index.cjk import HAN, has_han
from index.numbers import ZH_DIGITS
from rag.models import Filters, Passage, SearchedDates

_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1, "a couple of": 2,
               "couple of": 2, "few": 3, "a few": 3, "several": 5}  # fmt: skip
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

_NOT_POSSESSIVE = r"(?!['’]s\b)"
_EN_WORDS = "|".join(sorted(map(re.escape, _EN_NUMBERS), key=len, reverse=True))
_EN_RULES: list[tuple[str, re.Pattern[str]]] = [
    # "the last week", "past week", "last 3 days": a span ending today; bare "last week" is the calendar week
    ("past", re.compile(
        rf"\b(?:(?:in|over|during|for|within)\s+)?(?:(?:the|this)\s+(?:past|last)\s+(?:(?P<n>\d{{1,3}}|{_EN_WORDS})\s+)?"
        rf"|(?:past|last)\s+(?P<n2>\d{{1,3}}|{_EN_WORDS})\s+|past\s+)(?P<unit>hour|day|week|month|year)s?\b{_NOT_POSSESSIVE}",
        re.I)),
    ("day-2", re.compile(rf"\b(?:on\s+)?the\s+day\s+before\s+yesterday\b{_NOT_POSSESSIVE}", re.I)),
    ("day-1", re.compile(rf"\b(?:yesterday|last\s+night)\b{_NOT_POSSESSIVE}", re.I)),
    ("day-0", re.compile(rf"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b{_NOT_POSSESSIVE}", re.I)),
    ("period", re.compile(rf"\b(?:(?:in|during|from|over)\s+)?(?P<rel>this|last)\s+(?P<unit>week|month|year)\b{_NOT_POSSESSIVE}", re.I)),
    ("recent", re.compile(r"\b(?:latest|most\s+recent(?:ly)?|newest)\b", re.I)),
]  # fmt: skip
_ZH_COUNT = r"(?P<n>\d{1,3}|[零一二两三四五六七八九十]{1,3})"
_ZH_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("past", re.compile(rf"(?:在)?(?:过去|近|最近|这)的?{_ZH_COUNT}(?P<unit>个?小时|天|日|个?(?:星期|礼拜)|周|个?月|年)(?:里|内|来|中|以来)?")),
    ("weekday", re.compile(r"(?P<rel>上|本|这)个?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])")),
    ("period", re.compile(r"(?P<rel>上|本|这)个?(?P<unit>周|星期|礼拜|月)(?![一二三四五六日天底初])")),
    ("year", re.compile(r"(?P<y>前年|去年|今年)(?!\s*\d)")),
    ("day", re.compile(r"(?P<d>前天|昨天|昨日|今天|今日)")),
    ("recent", re.compile(r"最新|最近|近期|近来")),
]  # fmt: skip
_LEAD = re.compile(r"^(?:(?:in|over|during|for|within|from|on)\s+|在)", re.I)  # not part of what is shown
# A question about what an article says: its time words describe content, except "published ..." ones.
_ABOUT_ARTICLE = re.compile(
    r"\b(?:articles?|posts?|pieces?|op-eds?|columns?|editorials?|blog)\b|文章|帖子|社论", re.I
)
_PUBLISHED = re.compile(
    r"(?:published|posted|written|released|发表|发布|刊登|刊发)(?:\s+(?:in|on|during|over|within))?\s*$", re.I
)
_PUBLISHED_AFTER = re.compile(r"\s*(?:内|里|以来)?\s*(?:发表|发布|刊登|刊发)")  # Chinese: 上周发表的文章
_OWNED = re.compile(r"(?:['’]s|\b(?:his|her|their|its|our|my|your))\s+$", re.I)
# An age asked "this year" ("黎智英今年多大？", "How old is he this year?") is a person's age now, which an
# article of any year states for its own day ("现年77岁"): the year words say when to count, not when
# the article was published.
_ASKS_AGE = re.compile(r"\bhow\s+old\b|\bwhat\s+age\b|多大|几岁|多少岁|年龄|年纪", re.I)


@dataclass(frozen=True)
class DatePlan:
    """What one question's time words change: the filters and text to search with, notes for the
    generator, and (for "latest") a re-ranking that prefers recent passages."""

    searched: SearchedDates | None
    filters: Filters | None
    query: str
    prompt_notes: tuple[str, ...] = ()
    recency_weight: float = 0.0
    half_life_days: float = 30.0

    def rerank(self, passages: Sequence[Passage]) -> list[Passage]:
        """Passages re-scored with a bonus that halves every `half_life_days` before the newest one
        (capped at as_of), so "latest" prefers recent reports in an old corpus too; undated get none."""
        if self.searched is None or not self.searched.recency or not passages or self.recency_weight <= 0:
            return list(passages)
        days = [publication_date(p.published_at) for p in passages]
        known = [d for d in days if d is not None and d <= self.searched.as_of]
        if not known:
            return list(passages)
        newest = max(known)
        out = []
        for p, d in zip(passages, days, strict=True):
            age = (newest - d).days if d is not None and d <= self.searched.as_of else None
            bonus = (
                self.recency_weight * 0.5 ** (max(age, 0) / self.half_life_days) if age is not None else 0.0
            )
            out.append(replace(p, score=p.score + bonus))
        return sorted(out, key=lambda p: -p.score)


class QuestionDates:
    """Resolves a question's time words against the day of the question; one public method, `run`."""

    def __init__(
        self, recency_weight: float = 0.1, half_life_days: float = 30.0, enabled: bool = True
    ) -> None:
        self.recency_weight = recency_weight
        self.half_life_days = half_life_days
        self.enabled = enabled  # off: every question searches as if it had no time words (to measure)

    def run(
        self,
        question: str,
        as_of: date,
        filters: Filters | None = None,
        known_sources: Sequence[str] = (),
    ) -> DatePlan:
        """The plan for `question` asked on `as_of`; explicit since/until in `filters` take precedence."""
        found = find_phrases(question, as_of, known_sources) if self.enabled else []
        if not found:
            return DatePlan(None, filters, question)
        searched = _combine(found, as_of)
        bounded = searched.since is not None or searched.until is not None
        explicit = filters is not None and (filters.since is not None or filters.until is not None)
        if bounded and explicit:
            searched = replace(searched, applied=False)
        if bounded and not explicit:
            base = filters or Filters()
            filters = replace(base, since=searched.since, until=searched.until)
        notes = [f"The question was asked on {as_of.isoformat()} ({as_of.strftime('%A')})."]
        for phrase in found:
            if phrase.since is not None:
                span = (
                    phrase.since.isoformat()
                    if phrase.since == phrase.until
                    else f"{phrase.since} to {phrase.until}"
                )
                notes.append(f'"{phrase.text}" means {span}.')
        return DatePlan(
            searched,
            filters,
            _without(question, [p for p in found if p.since is not None]),
            tuple(notes),
            self.recency_weight,
            self.half_life_days,
        )


@dataclass(frozen=True)
class Phrase:
    """One time expression found in a question, with the range it means (None for "latest")."""

    text: str
    start: int
    end: int
    since: date | None
    until: date | None


def find_phrases(question: str, as_of: date, known_sources: Sequence[str] = ()) -> list[Phrase]:
    """Every time expression of the table above in `question`, in order, non-overlapping."""
    masked = _mask_sources(question, known_sources)
    rules = _ZH_RULES if has_han(masked) else []
    rules = rules + _EN_RULES
    about_article = bool(_ABOUT_ARTICLE.search(masked))
    hits: list[Phrase] = []
    for kind, pattern in rules:
        for m in pattern.finditer(masked):
            if about_article and not (
                _PUBLISHED.search(masked, 0, m.start()) or _PUBLISHED_AFTER.match(masked, m.end())
            ):
                continue
            if kind == "recent" and _OWNED.search(masked, 0, m.start()):
                continue  # "the author's latest book" describes an article, it does not ask for news
            in_years = kind == "year" or (kind == "period" and m.group("unit").casefold() == "year")
            if in_years and _ASKS_AGE.search(masked):
                continue  # "今年多大": the age now, whatever year the article was published
            span = _resolve(kind, m, as_of)
            if span is not None:
                since, until = span
                if since is not None and until is not None:
                    until = min(until, as_of)
                    since = min(since, until)
                said = _LEAD.sub("", question[m.start() : m.end()].strip())
                hits.append(Phrase(said, m.start(), m.end(), since, until))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    chosen: list[Phrase] = []
    for hit in hits:
        if chosen and hit.start < chosen[-1].end:
            continue
        chosen.append(hit)
    return chosen


def resolve_question_dates(
    question: str, as_of: date, known_sources: Sequence[str] = ()
) -> SearchedDates | None:
    """The dates a question asks about, or None when it names no time (see the module table)."""
    found = find_phrases(question, as_of, known_sources)
    return _combine(found, as_of) if found else None


# -- resolution ------------------------------------------------------------------------------------


def _resolve(kind: str, m: re.Match[str], as_of: date) -> tuple[date | None, date | None] | None:
    groups = m.groupdict()
    if kind == "recent":
        return None, None
    if kind.startswith("day-"):
        day = as_of - timedelta(days=int(kind[4:]))
        return day, day
    if kind == "day":
        day = as_of - timedelta(days={"前天": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0}[groups["d"]])
        return day, day
    if kind == "year":
        year = as_of.year - {"前年": 2, "去年": 1, "今年": 0}[groups["y"]]
        return date(year, 1, 1), date(year, 12, 31)
    if kind == "weekday":
        monday = _monday(as_of) - (timedelta(days=7) if groups["rel"] == "上" else timedelta())
        day = monday + timedelta(days=_ZH_WEEKDAYS[groups["wd"]])
        return day, day
    if kind == "period":
        unit = {"周": "week", "星期": "week", "礼拜": "week", "月": "month"}.get(
            groups["unit"], groups["unit"].lower()
        )
        last = groups["rel"].lower() in ("last", "上")
        return _period(unit, last, as_of)
    if kind == "past":
        count = _count(groups.get("n") or groups.get("n2"))
        if count is None or count <= 0:
            return None
        return _past(_unit(groups["unit"]), count, as_of), as_of
    return None


def _period(unit: str, last: bool, as_of: date) -> tuple[date, date]:
    if unit == "week":
        monday = _monday(as_of) - (timedelta(days=7) if last else timedelta())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        first = as_of.replace(day=1)
        if not last:
            return first, as_of
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    year = as_of.year - (1 if last else 0)
    return date(year, 1, 1), date(year, 12, 31)


def _past(unit: str, count: int, as_of: date) -> date:
    """The first day of "the past `count` `unit`s" ending on as_of (which is included)."""
    if unit == "hour":
        return as_of - timedelta(days=math.ceil(count / 24))
    if unit == "day":
        return as_of - timedelta(days=count)
    if unit == "week":
        return as_of - timedelta(days=7 * count)
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    day = min(as_of.day, _days_in_month(year, month + 1))
    return date(year, month + 1, day)


def _unit(raw: str) -> str:
    raw = raw.lower().lstrip("个")
    return {"小时": "hour", "天": "day", "日": "day", "星期": "week", "礼拜": "week", "周": "week",
            "月": "month", "年": "year"}.get(raw, raw)  # fmt: skip


def _count(raw: str | None) -> int | None:
    """1 when no count is given ("the past week"); English words, digits or Chinese numerals."""
    if raw is None:
        return 1
    raw = raw.lower()
    if raw.isdigit():
        return int(raw)
    if raw in _EN_NUMBERS:
        return _EN_NUMBERS[raw]
    if all(c in ZH_DIGITS or c == "十" for c in raw):
        if "十" not in raw:
            return int("".join(str(ZH_DIGITS[c]) for c in raw)) if len(raw) == 1 else None
        tens, _, ones = raw.partition("十")
        return (ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (ZH_DIGITS.get(ones, 0) if ones else 0)
    return None


def _combine(found: Sequence[Phrase], as_of: date) -> SearchedDates:
    """One search for the question: the union of its ranges; recency when it asks for the latest."""
    ranged = [p for p in found if p.since is not None]
    return SearchedDates(
        as_of=as_of,
        phrases=tuple(dict.fromkeys(p.text for p in found)),
        since=min(p.since for p in ranged if p.since) if ranged else None,
        until=max(p.until for p in ranged if p.until) if ranged else None,
        recency=any(p.since is None for p in found),
    )


def _without(question: str, phrases: Sequence[Phrase]) -> str:
    """The question with its time phrases cut out (they match "week" in unrelated passages), or the
    question itself when too little would be left to search with."""
    out, at = [], 0
    for p in phrases:
        out.append(question[at : p.start])
        at = p.end
    out.append(question[at:])
    rest = " ".join("".join(out).split())
    rest = re.sub(r"\s+([?？.,，。])", r"\1", rest)
    words = re.findall(rf"[{HAN}]|\w+", rest)
    return rest if len(words) >= 3 else question


def _mask_sources(question: str, sources: Sequence[str]) -> str:
    """Blank out source names (same length, so offsets hold): "Business Today" names no day."""
    masked = question
    for name in sorted((s for s in sources if s and len(s) >= 3), key=len, reverse=True):
        for m in re.finditer(re.escape(name), masked, re.I):
            masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    return masked


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


__all__ = ["DatePlan", "Phrase", "QuestionDates", "find_phrases", "resolve_question_dates"]
