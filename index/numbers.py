"""Numbers written in words, as digits: "fifteen" -> 15, "2.5 million" -> 2500000, "三十二" -> 32.

One reading of written numbers for every comparison of text: the eval's strict matching and the
citation check's claim support (an answer "15" is stated by "all aged fifteen", "10" by "十年").
"""

from __future__ import annotations

import re
from decimal import Decimal

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", *_SCALES], key=len, reverse=True))
_NUMBER_RUN = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+(?:and[\s-]+)?)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)
_SCALED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion|万|亿)", re.IGNORECASE)

ZH_DIGITS = {  # Chinese numerals, also read by rag.question_dates
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_ZH_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def _fmt_number(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}" if value == value.to_integral_value() else str(value)


def _english_number(run: str) -> str:
    words = [w for w in re.split(r"[\s-]+", run.lower()) if w and w != "and"]
    total, current = 0, 0
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALES[w]
            current = 0
    return str(total + current)


def _zh_number(run: str, prefix: str = "") -> str:
    """Chinese numerals to digits: 三十二 -> 32, 十 -> 10, 一百万 -> 1000000, 二〇一九 -> 2019."""
    if not prefix and len(run) > 1 and all(c in ZH_DIGITS for c in run):
        return "".join(str(ZH_DIGITS[c]) for c in run)  # digit by digit, as in years
    total, section = Decimal(0), Decimal(0)
    number = Decimal(prefix) if prefix else Decimal(0)
    for c in run:
        if c in ZH_DIGITS:
            number = Decimal(ZH_DIGITS[c])
        elif c in _ZH_UNITS:
            section += (number or 1) * _ZH_UNITS[c]
            number = Decimal(0)
        else:
            section += number
            total = (total + section) * _ZH_BIG[c] if c == "亿" else total + section * _ZH_BIG[c]
            section, number = Decimal(0), Decimal(0)
    return _fmt_number(total + section + number)


def numbers_as_digits(text: str) -> str:
    """`text` with number words (English and Chinese, scale words too) written as digits and
    thousands separators dropped; everything else unchanged. Digits are padded with spaces."""
    text = re.sub(
        r"(\d+(?:\.\d+)?)([零〇一二两三四五六七八九十百千万亿]+)",
        lambda m: (
            " " + _zh_number(m.group(2), m.group(1)) + " " if m.group(2)[0] in "十百千万亿" else m.group(0)
        ),
        text,
    )
    text = _ZH_RUN.sub(lambda m: " " + _zh_number(m.group(0)) + " ", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    text = _SCALED.sub(
        lambda m: _fmt_number(Decimal(m.group(1)) * (_SCALES.get(m.group(2).lower()) or _ZH_BIG[m.group(2)])),
        text,
    )
    return _NUMBER_RUN.sub(lambda m: _english_number(m.group(0)), text)
