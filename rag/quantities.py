"""Numbers as a reader means them: "1.4 million" = "140万" = 1400000, "six thousand" = 6000, with the
qualifier the text attaches ("over 400", "至少51", "60多个", "140万以上").

Used to restore a qualifier the answer dropped and to check an answer's numbers against its evidence
(`rag.precision`). Values of words and Chinese numerals come from `index.numbers` (the one reading of
written numbers); this module adds the spans and the qualifiers, which `numbers_as_digits` drops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from index.numbers import numbers_as_digits

# Qualifier kinds and how each language writes them before (and Chinese also after) a number.
_EN_BEFORE = {
    # a negated bound is the opposite bound: "no more than 400" is at most 400
    "no more than": "up_to",
    "not more than": "up_to",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
    "more than": "more",
    "over": "more",
    "just over": "more",
    "well over": "more",
    "upwards of": "more",
    "in excess of": "more",
    "at least": "at_least",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "up to": "up_to",
    "as many as": "up_to",
    "at most": "up_to",
    "fewer than": "less",
    "less than": "less",
    "under": "less",
    "an estimated": "estimated",
    "estimated": "estimated",
}
_ZH_BEFORE = {
    # "不得超过5万美元" (must not exceed) is at most 5万美元, not over it
    "不得超过": "up_to",
    "不能超过": "up_to",
    "不会超过": "up_to",
    "不超过": "up_to",
    "不得多于": "up_to",
    "不少于": "at_least",
    "不低于": "at_least",
    "超过": "more",
    "逾": "more",
    "至少有": "at_least",
    "至少": "at_least",
    "大约有": "about",
    "大约": "about",
    "约有": "about",
    "约": "about",
    "将近": "nearly",
    "接近": "nearly",
    "近": "nearly",
    "最多可达": "up_to",
    "最多": "up_to",
    "多达": "up_to",
    "高达": "up_to",
    "不到": "less",
    "不足": "less",
    "估计有": "estimated",
    "估计": "estimated",
}
_ZH_INSIDE = {"多": "more", "余": "more"}  # "60多个", "6000多万": between the digits and what follows
ZH_AFTER = {"以上": "more", "之多": "more", "左右": "about"}
# Every qualifier, longest first, as one pattern: "around 200", "至少51", "60左右".
QUALIFIER = re.compile(
    r"(?i)(?:\b(?:"
    + "|".join(sorted(map(re.escape, _EN_BEFORE), key=len, reverse=True))
    + r")\b|"
    + "|".join(sorted(map(re.escape, [*_ZH_BEFORE, *ZH_AFTER]), key=len, reverse=True))
    + ")"
)
# How an answer in each language writes a qualifier that comes from evidence in the other one.
# "up to a $1,000 Bonus Bet": an article may follow a qualifier of several words, not "over" or "about"
# ("complained about a $5 fee" is no estimate).
_EN_PHRASES = [q for q in _EN_BEFORE if " " in q and not q.startswith("an ")]
_BEFORE_EN = re.compile(
    r"\b(?:("
    + "|".join(sorted(map(re.escape, _EN_BEFORE), key=len, reverse=True))
    + r")|("
    + "|".join(sorted(map(re.escape, _EN_PHRASES), key=len, reverse=True))
    + r")\s+an?)\s+(?:US\s?)?[$€£]?\s*$",
    re.IGNORECASE,
)
_BEFORE_ZH = re.compile(r"(" + "|".join(sorted(_ZH_BEFORE, key=len, reverse=True)) + r")\s*$")
_SCALES_EN = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALES_ZH = {"万": 10**4, "亿": 10**8}
_NUMBER = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"  # digits, thousands separators allowed
    r"(?:(多|余)?(万|亿)|(多|余)|\s*(thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_NUMBER_WORD = "|".join(
    sorted(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
        "hundred thousand million billion trillion".split(),
        key=len,
        reverse=True,
    )
)
_WORD_NUMBER = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Quantity:
    """A number written in a text: its span (digits and scale word, without a qualifier) and value."""

    start: int
    end: int
    value: Decimal
    kind: str | None  # the qualifier attached to it in the text ("more", "about", ...), if any
    qualifier: str  # that qualifier as written ("over", "至少", "多"); "" if none
    inside: int = -1  # for "60多个"/"6000多万": where the inside qualifier sits (absent: -1)


def quantities(text: str) -> list[Quantity]:
    """The numbers in `text` with their values ("1.4 million", "140万", "six thousand") and qualifiers."""
    found: list[Quantity] = []
    for m in _NUMBER.finditer(text):
        digits = m.group(1).replace(",", "") + (m.group(2) or "")
        try:
            value = Decimal(digits)
        except InvalidOperation:
            continue
        scale = m.group(4) or m.group(6)
        if scale:
            value *= _SCALES_ZH.get(scale) or _SCALES_EN[scale.lower()]
        inside_q = m.group(3) or m.group(5)
        inside = m.start() + len(m.group(1)) + len(m.group(2) or "") if inside_q else -1
        found.append(_qualified(text, m.start(), m.end(), value, inside_q, inside))
    for m in _WORD_NUMBER.finditer(text):
        if any(q.start <= m.start() < q.end for q in found) or m.group(0).lower() in ("one", "some"):
            continue
        found.append(
            _qualified(text, m.start(), m.end(), Decimal(numbers_as_digits(m.group(0)).strip()), None, -1)
        )
    return sorted(found, key=lambda q: q.start)


def _qualified(
    text: str, start: int, end: int, value: Decimal, inside_q: str | None, inside: int
) -> Quantity:
    if inside_q:
        return Quantity(start, end, value, _ZH_INSIDE[inside_q], inside_q, inside)
    before = text[max(0, start - 24) : start]
    if m := _BEFORE_EN.search(before):
        word = m.group(1) or m.group(2)
        return Quantity(start, end, value, _EN_BEFORE[word.lower()], word)
    if m := _BEFORE_ZH.search(before):
        return Quantity(start, end, value, _ZH_BEFORE[m.group(1)], m.group(1))
    after = text[end : end + 4]
    for word, kind in ZH_AFTER.items():
        if after.startswith(word):
            return Quantity(start, end, value, kind, word)
    return Quantity(start, end, value, None, "")


def value_text(value: Decimal) -> str:
    """A quantity's value as one token: "1400000", "47.42"."""
    return format(value.normalize(), "f")


def restore_dropped_scale(claim: str, evidence: str) -> str:
    """`claim` with its one bare number given the scale word the evidence writes after the same digits
    ("5000" from "最多可达5000万美元" -> "50 million", "5.7" from "5.7 million barrels" -> "5.7
    million"); else `claim` unchanged.

    A small generator copies the digits and drops 万, 亿 or "million", above all when it answers in
    another language than the evidence's, so "5000" for 5000万 (50 million) is refused as a number the
    evidence does not state. Only when the evidence writes those digits once, and only with a scale
    word, is the claim read that way.
    """
    said = [q for q in quantities(claim) if _NUMBER.fullmatch(claim, q.start, q.end)]
    if len(said) != 1 or said[0].value in {q.value for q in quantities(evidence)}:
        return claim
    digits = value_text(said[0].value)
    written = [
        m
        for m in _NUMBER.finditer(evidence)
        if value_text(Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))) == digits
    ]
    if len(written) != 1 or not (scale := written[0].group(4) or written[0].group(6)):
        return claim
    value = said[0].value * (_SCALES_ZH.get(scale) or _SCALES_EN[scale.lower()])
    return claim[: said[0].start] + english_amount(value) + claim[said[0].end :]


def english_amount(value: Decimal) -> str:
    """A value as English news writes it: "50 million", "1.4 billion", "30,000"."""
    for word, scale in (("trillion", 10**12), ("billion", 10**9), ("million", 10**6)):
        if value >= scale:
            return f"{format((value / scale).normalize(), 'f')} {word}"
    return f"{value.normalize():,f}"


def chinese_amount(value: Decimal) -> str:
    """A value as Chinese news writes it: "6万", "18.5万", "1.4亿", "2300"."""
    for word, scale in (("亿", 10**8), ("万", 10**4)):
        if value >= scale:
            return f"{format((value / scale).normalize(), 'f')}{word}"
    return format(value.normalize(), "f")
