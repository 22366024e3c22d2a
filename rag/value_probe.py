"""A yes/no question that claims a number or a day, answered by asking for that value and comparing.

"were 52 sailors lost on the uss grayback?" claims a number. Asked whether it holds, the packaged
1.5B says "Yes" to claims its passages contradict, and its bare "No" scores under the judge's bar
(docs/answering.md, "Yes/no questions by the value they claim"): over rounds 26-34, 36 of 40
questions whose report states another value were abstained. Asked for the value instead ("how many
sailors were lost on the uss grayback?"), the reply faces every check a value answer faces, and the
verdict is a comparison of two values, made here, not by the model: "Yes" when the checked value is
the one claimed (or meets its bound: "more than 100k"), "No" when it is not, each with the value and
its quote. A value the checks refuse, or one that cannot be compared, leaves the abstention as it was.

Only a question with exactly one such value is probed: a count or amount (not a year, which is
mostly the claim's setting: "did swinson keep her seat in the 2019 election?", nor a number in a
name: "fisa 702") or a month and day.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from index.calendar import MONTH_PATTERN, month_number
from index.cjk import HAN_CHAR
from index.date_text import find_dates
from index.numbers import numbers_as_digits
from rag.citations import reply_claim
from rag.decompose import asks_what, is_yes_no_question
from rag.prompt_cache import PromptCache
from rag.prompts import messages_to_chatml
from rag.quantities import Quantity, quantities
from rag.support import tokens
from rag.translate import first_line, max_translation_tokens

log = logging.getLogger(__name__)

# "Did ... in 2016", "2019年": a year sets the claim in time more often than it is the claim.
_YEAR = re.compile(r"^(?:1[89]|20|21)\d\d$")
# A date's year, before its day ("2026年3月3日") or after it ("May 24, 2026").
_YEAR_AROUND = re.compile(r"^(?:19|20)\d\d\s*年\s*|,?\s*(?:19|20)\d\d\s*$")
_EN_MONTH = re.compile(rf"(?i)\b(?P<m>{MONTH_PATTERN})\b")
_ZH_MONTH = re.compile(r"(?P<m>1[0-2]|0?[1-9])\s*月")
# A Chinese numeral counting something ("五年", "两百二十票"), converted to digits; bare Chinese
# numerals elsewhere are words ("一共", "统一").
_ZH_COUNT = re.compile(
    r"(?<![第星周几数])([零一二两三四五六七八九十百千]+)(?=(?:多|余)?(?:万|亿)?"
    r"(?:个|人|名|票|项|年|天|次|岁|位|架|艘|座|家|所|条|枚|件|美元|元|公里|英里|小时|分钟|周|倍|%|％))"
)
# What follows a number of a date or a time of day, or makes it part of a name.
_DATE_OR_TIME_AFTER = re.compile(r"^\s*(?:月|日|号|號|点|時|时|:\d|[ap]\.?m\b|o'clock)", re.IGNORECASE)
_SCALE_SUFFIX = re.compile(r"^([kKmMbB])(?:n\b|\b)")
_SCALE_LETTERS = {"k": Decimal(1000), "m": Decimal(10**6), "b": Decimal(10**9)}
# A number that is part of a name or a label, not a count: "g7", "k2-18b", "3-2", "area 51", "第116届".
_ATTACHED_BEFORE = re.compile(r"(?:[A-Za-z]|[A-Za-z\d]-|\d\s*(?:比|到|至)\s*|第)$")
_ATTACHED_AFTER = re.compile(r"^(?:-\d|\s*(?:比|到|至)\s*\d|[A-Za-z](?![A-Za-z]))")
_NAME_WORD_BEFORE = re.compile(
    r"(?i)\b(?:area|flight|route|highway|interstate|article|section|chapter|page|room|gate|model|version|"
    r"season|episode|no\.|number)\s*$"
)
# A number the question takes as given ("the 6 chinese nationals", "那两个警察", "the april 8 ceasefire"):
# it sets the subject; what the question asks about is elsewhere.
_DETERMINER_BEFORE = re.compile(
    r"(?i)(?:\b(?:the|these|those|this|that|its|his|her|their|our)\s+(?:US\s?)?[$€£]?|\w(?:'s|s'|’s)\s+"
    r"|(?:那|这|该)(?:个|些|份|位|名)?)$"
)
# An age or count that sets the time of the claim: "十岁那场官司".
_COUNT_SETTING_AFTER = re.compile(
    r"^(?:多|余)?[^\s，,。？?\d]{0,2}(?:那场|那次|那年|那会儿|那时|的时候|之前|之后|以前|以后)"
)
_TIME_UNITS = {
    "year": "year", "years": "year", "yr": "year", "yrs": "year", "年": "year",
    "month": "month", "months": "month", "个月": "month",
    "week": "week", "weeks": "week", "周": "week", "星期": "week",
    "day": "day", "days": "day", "天": "day", "日": "day",
    "hour": "hour", "hours": "hour", "小时": "hour",
    "minute": "minute", "minutes": "minute", "分钟": "minute",
}  # fmt: skip
_UNIT_AFTER = re.compile(r"^\s*(个月|小时|分钟|星期|[a-z]+|年|周|天|日)", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|％|percent\b|per\s+cent\b)", re.IGNORECASE)

Verdict = Literal["yes", "no"]
_BOUNDS = frozenset({"more", "at_least", "less", "up_to"})


@dataclass(frozen=True)
class ClaimedValue:
    """The one value a yes/no question claims: a number (with the question's bound) or a month and day."""

    text: str  # as the question writes it: "52", "around 9,000", "march 1"
    number: Decimal | None = None
    bound: str | None = None  # the question's qualifier kind: "more", "about", ... (rag.quantities)
    unit: str | None = None  # a unit of time the number counts, or "%"
    month: int | None = None
    day: int | None = None
    written: str = ""  # the question with Chinese numerals as digits, where `span` points
    span: tuple[int, int] = (0, 0)  # the value with its qualifier in `written`


def claimed_value(question: str) -> ClaimedValue | None:
    """The value a yes/no question claims, when it claims exactly one (a count, amount or day); else None."""
    every_date = _dates(question, given_too=True)
    dates = _dates(question)
    numbers = [q for q in _numbers(question) if not _inside_date(q, every_date)]
    if len(dates) + len(numbers) != 1:
        return None
    if dates:
        start, end, (month, day, text) = dates[0]
        return ClaimedValue(text=text, month=month, day=day, written=question, span=(start, end))
    q, text = numbers[0], _digits_text(question)
    number = _scaled(text, q)
    suffix = text[q.end] if _SCALE_SUFFIX.match(text[q.end :]) else ""  # "100k"
    start, end = q.start, q.end + len(suffix)
    if q.qualifier and text[:start].rstrip().endswith(q.qualifier):
        start = text[:start].rstrip().rfind(q.qualifier)
    elif q.qualifier and text[end:].startswith(q.qualifier):
        end += len(q.qualifier)  # "35万左右"
    return ClaimedValue(
        text=f"{q.qualifier} {text[q.start : q.end]}{suffix}".strip()
        if start == q.start
        else text[start:end],
        number=number,
        bound=q.kind,
        unit=_unit(text, q),
        written=text,
        span=(start, end),
    )


def compare(claim: ClaimedValue, answer: str) -> Verdict | None:
    """ "yes" when the answer's value is the claimed one, "no" when it is another, None when the answer
    states no value of the claim's kind or the two cannot be told apart ("about 500" for "over 480")."""
    text = reply_claim(answer)
    if claim.month is not None:
        return _compare_days(claim, text)
    found = _numbers(text)
    if not found or claim.number is None:
        return None
    head, digits = found[0], _digits_text(text)  # the answer's own value comes first ("29 of 30")
    unit = _unit(digits, head)
    if claim.unit and unit and (claim.unit == "%") != (unit == "%"):
        return None
    if claim.unit in _TIME_UNITS.values() and unit in _TIME_UNITS.values() and claim.unit != unit:
        return None  # "18 months" against "2 years": not compared
    value = _scaled(digits, head)
    # An approximate number is its value ("about 520" for "520" is the number claimed); a bound is a range.
    stated = _interval(value, head.kind) if head.kind in _BOUNDS else (value, value)
    asked = _interval(claim.number, claim.bound)
    if asked[0] <= stated[0] and stated[1] <= asked[1]:
        return "yes"
    if stated[1] < asked[0] or stated[0] > asked[1]:
        return "no"
    return None


def decide(claim: ClaimedValue, answer: str, quotes: Iterable[str]) -> Verdict | None:
    """The verdict of a checked value answer and its quotes: `compare`'s, except that no "No" is given
    when a quote states the claimed value too ("1501 infected and 66 deaths": asked whether 66 died,
    the generator read 1501)."""
    verdict = compare(claim, answer)
    if verdict == "no" and any(states_claimed_value(claim, quote) for quote in quotes):
        return None
    return verdict


def states_claimed_value(claim: ClaimedValue, text: str, given_too: bool = True) -> bool:
    """Whether `text` states the claimed value anywhere (`given_too`: a day in any role)."""
    if claim.month is not None:
        return any((m, d) == (claim.month, claim.day) for _, _, (m, d, _) in _dates(text, given_too))
    digits = _digits_text(text)
    return any(_scaled(digits, q) == claim.number for q in quantities(digits))


def verdict_text(verdict: Verdict, value_answer: str) -> str:
    """The reply: the verdict, then the checked value answer with its citations ("No, 80 [1]")."""
    return f"{'Yes' if verdict == 'yes' else 'No'}, {value_answer.strip()}"


def _interval(value: Decimal, kind: str | None) -> tuple[Decimal, Decimal]:
    """The values a qualified number allows, bounds inclusive ("more than 100" as just above 100)."""
    tiny, big = Decimal("0.000001") * max(value, Decimal(1)), Decimal(10) ** 18
    if kind in ("about", "estimated"):
        return value * Decimal("0.9"), value * Decimal("1.1")
    if kind == "nearly":
        return value * Decimal("0.9"), value
    if kind == "more":
        return value + tiny, big
    if kind == "at_least":
        return value, big
    if kind == "less":
        return Decimal(0), value - tiny
    if kind == "up_to":
        return Decimal(0), value
    return value, value


def _compare_days(claim: ClaimedValue, text: str) -> Verdict | None:
    days = _dates(text)
    if days:
        month, day, _ = days[0][2]
        return "yes" if (month, day) == (claim.month, claim.day) else "no"
    months = [month_number(m.group("m")) for m in _EN_MONTH.finditer(text)]
    months += [int(m.group("m")) for m in _ZH_MONTH.finditer(text)]
    if months and months[0] != claim.month:
        return "no"  # "in February" against "on March 1"
    return None


# A day that sets the time of the claim rather than being it: "as of may 18", "5月18号那会儿".
_SETTING_BEFORE = re.compile(
    r"(?i)\b(?:as\s+of|by|since|before|after|until|till|through|from)\s+$|截至|截止|自|从"
)
_SETTING_AFTER = re.compile(
    r"^\s*(?:那会儿|那时|的时候|时|以来|之前|之后|以前|以后|前|后|起|当天|那天|至今)"
    r"|^\s*[^\s，,。？?\d]{1,4}(?:当天|那天|的时候|之前|之后)"  # "6月25号投票当天": the day of an event
)


def _dates(text: str, given_too: bool = False) -> list[tuple[int, int, tuple[int, int, str]]]:
    """(start, end, (month, day, as written)) of each day written in `text` (`index.date_text`);
    with `given_too`, also those that name an event or set the time ("the april 8 ceasefire", "as of
    may 18"), which are no claimed day."""
    out = []
    for start, end, iso in find_dates(text, yearless=True):
        if iso.count("-") < 2:
            continue  # "2026-06": a month without a day
        if m := _YEAR_AROUND.search(text[start:end]):  # the day without its year: "May 24", "3月3日"
            start, end = (start + m.end(), end) if m.start() == 0 else (start, start + m.start())
        if not given_too and _setting(text, start, end):
            continue
        out.append((start, end, (int(iso[-5:-3]), int(iso[-2:]), text[start:end])))
    return out


def _setting(text: str, start: int, end: int) -> bool:
    """Whether the day at text[start:end] names an event or sets the time, rather than being claimed."""
    before, after = text[:start], text[end:]
    return bool(
        _DETERMINER_BEFORE.search(before) or _SETTING_BEFORE.search(before) or _SETTING_AFTER.match(after)
    )


def _digits_text(text: str) -> str:
    """`text` with Chinese numerals as digits where they count something ("五年", not "一共");
    `rag.quantities` reads English number words itself (and not the "one" of "one of the")."""
    return (
        _ZH_COUNT.sub(lambda m: numbers_as_digits(m.group(1)).strip(), text)
        if HAN_CHAR.search(text)
        else text
    )


def _numbers(text: str) -> list[Quantity]:
    """The counts and amounts of `text`: no year, no part of a date or time, no number in a name."""
    digits = _digits_text(text)
    out = []
    for q in quantities(digits):
        written = digits[q.start : q.end].replace(",", "")
        after, before = digits[q.end :], digits[: q.start]
        if (_YEAR.match(written) and q.kind is None) or q.value == 1:
            continue  # a year sets the claim in time; "one", "一家", "同一天" are rarely the claim
        if _DATE_OR_TIME_AFTER.match(after) or re.match(r"^\s*(?:st|nd|rd|th)\b", after):
            continue  # "March 1", "1月", "10 a.m.", an ordinal
        if _ATTACHED_BEFORE.search(before) or (
            _ATTACHED_AFTER.match(after) and not _SCALE_SUFFIX.match(after)
        ):
            continue
        if _NAME_WORD_BEFORE.search(before) or _quoted(digits, q.start) or _given(before, q):
            continue
        if _COUNT_SETTING_AFTER.match(after) or (
            not before.strip() and re.match(r"^[^\s\d，,]{0,3}的", after)
        ):
            continue  # "十岁那场官司", "14岁的zoe ...": the age sets the claim's subject or time
        if re.search(r"[A-Z][\w.]*\s+$", before) and len(before.split()) > 1:
            continue  # "FISA 702", "Boeing 737" (a capitalised first word is the question's own)
        out.append(q)
    return out


def _given(before: str, q: Quantity) -> bool:
    """Whether a determiner introduces the number: the question takes it as given."""
    return not q.qualifier and bool(_DETERMINER_BEFORE.search(before))


def _quoted(text: str, at: int) -> bool:
    """Whether position `at` is inside quotation marks ("自由250", "Freedom 250")."""
    before = text[:at]
    return any(before.count(o) > before.count(c) for o, c in (("“", "”"), ("「", "」"), ("《", "》"))) or (
        before.count('"') % 2 == 1
    )


def _inside_date(q: Quantity, dates: list[tuple[int, int, tuple[int, int, str]]]) -> bool:
    return any(start <= q.start < end for start, end, _ in dates)


def _scaled(text: str, q: Quantity) -> Decimal:
    """A number's value with a scale letter right after its digits: "100k" is 100,000."""
    m = _SCALE_SUFFIX.match(text[q.end :])
    return q.value * _SCALE_LETTERS[m.group(1).lower()] if m else q.value


def _unit(text: str, q: Quantity) -> str | None:
    """The unit of time a number counts ("5 years" -> "year"), "%" for a share, else None."""
    after = text[q.end :]
    if _PERCENT_AFTER.match(after):
        return "%"
    m = _UNIT_AFTER.match(after)
    return _TIME_UNITS.get(m.group(1).lower()) if m else None


# Chinese asks in place ("是5例吗" -> "是多少例"): the value becomes a question word, the yes/no
# marker goes. A tag question's tail ("，对吧", "是吗") and the A-not-A forms ("是不是", "有没有").
_ZH_TAG = re.compile(r"[，,]?\s*(?:是这样吗|是不是|对不对|是吗|对吗|对吧|是吧|没错吧|吧|吗|呢)?\s*[？?]?\s*$")
_ZH_A_NOT_A = (("是不是", "是"), ("有没有", "有"), ("是否", ""), ("会不会", "会"), ("能不能", "能"))


def chinese_value_question(claim: ClaimedValue) -> str | None:
    """The Chinese question for the claimed value, written in place: "乌干达报告的埃博拉死亡病例是5例吗？"
    -> "乌干达报告的埃博拉死亡病例是多少例？"; a day becomes "哪天"."""
    start, end = claim.span
    if not HAN_CHAR.search(claim.written) or end <= start:
        return None
    asked = "哪天" if claim.month is not None else "多少"
    if claim.written[start:end].startswith(("至少有", "约有", "大约有", "估计有")):
        asked = "有多少"  # the qualifier's "有" is the verb
    text = claim.written[:start] + asked + claim.written[end:]
    text = _ZH_TAG.sub("", text.strip())
    for a_not_a, plain in _ZH_A_NOT_A:
        text = text.replace(a_not_a, plain)
    return text.rstrip("，, ") + "？"


# The English rewrite: one bounded call to the generator, with a worked example (Chinese is
# rewritten in place, above).
WRITER_PROMPT = (
    "You rewrite yes/no questions into the question that asks for the value they state. "
    "Reply with the rewritten question only, on one line."
)
_EXAMPLE = (
    "did the storm that hit the texas coast on monday kill 12 people in houston",
    "12",
    "how many people did the storm that hit the texas coast on monday kill in houston",
)


def _request(question: str, value: str) -> str:
    return f"Question: {question}\nValue: {value}\nAsk for the value instead; keep every other word."


def writer_messages(question: str, value: str) -> list[ChatMessage]:
    example, example_value, rewritten = _EXAMPLE
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=WRITER_PROMPT),
        ChatMessage(role=MessageRole.USER, content=_request(example, example_value)),
        ChatMessage(role=MessageRole.ASSISTANT, content=rewritten),
        ChatMessage(role=MessageRole.USER, content=_request(question, value)),
    ]


MIN_KEPT_WORDS = 0.6  # share of the question's other content words the rewrite must keep


def plausible_rewrite(question: str, claim: ClaimedValue, rewrite: str) -> bool:
    """A question asking for a value (not yes/no), without the claimed value, that keeps most of the
    question's other words: a rewrite that drifts would be checked, and answered, about something else."""
    if not rewrite or is_yes_no_question(rewrite) or not asks_what(rewrite):
        return False
    if len(rewrite) > 2 * len(question) + 20:
        return False
    if states_claimed_value(claim, rewrite, given_too=False):
        return False
    claimed = tokens(claim.text)
    wanted = tokens(question) - claimed
    return not wanted or len(wanted & tokens(rewrite)) >= MIN_KEPT_WORDS * len(wanted)


class ValueQuestionWriter:
    """Rewrites a yes/no question into the question for the value it claims, with one bounded call."""

    def __init__(self, llm: LLM, cache: PromptCache | None = None) -> None:
        self._llm = llm
        self._cache = cache

    def run(self, question: str, claim: ClaimedValue) -> str | None:
        """The value question, or None when the reply is no plausible rewrite. A Chinese question is
        rewritten in place, without the generator (it shortened 3 of 5 such questions, dropping names)."""
        if (chinese := chinese_value_question(claim)) is not None:
            if plausible_rewrite(question, claim, chinese):
                return chinese
            log.info("dropped the value question %r written for %r", chinese[:120], question[:80])
            return None
        messages = writer_messages(question, claim.text)
        key = messages_to_chatml(messages, None)
        raw = self._cache.get("value_question", key) if self._cache is not None else None
        if raw is None:
            try:
                raw, cut = first_line(self._llm, messages, max_translation_tokens(question))
                raw = "" if cut else raw
            except Exception as exc:  # a failing generator leaves the abstention as it was
                log.warning("could not rewrite %r as a value question (%s)", question[:80], exc)
                return None
            if self._cache is not None:
                self._cache.put("value_question", key, raw)
        rewrite = raw.strip().strip("\"'“”").strip()
        if not plausible_rewrite(question, claim, rewrite):
            log.info("dropped the value question %r written for %r", rewrite[:120], question[:80])
            return None
        return rewrite
