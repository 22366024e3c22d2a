"""Give a checked answer the precision of the sentence that supports it.

A small model shortens what it copies: "April 2019" where the article says "yesterday" (resolved at
ingestion to 2019-04-15), "400" where it says "over 400", "60个国家" where it says "60多个国家". After
the citation check has found the sentence that states the answer, this step puts back what the
sentence says about the answer's own date and numbers:

- a date the question asks for ("when", "what day", 哪天) is given at the precision the sentence
  states: the one finer date the sentence gives that agrees with the answer's, or the date of a
  relative day the answer repeats ("on Friday" -> 22 May 2020); "which year"/"哪一年" questions
  keep their year;
- a name is given as the cited article writes it in full ("Vikings" -> "Minnesota Vikings",
  `full_name`, applied after the answer check by `rag.citations.CitationChecker.complete_names`):
  news names a team or a person in full at first mention and shortens it after;
- a number keeps the qualifier the sentence attaches to the same quantity ("over", "at least",
  "约", "多") and, for a bare number in a Chinese answer, its measure word ("4" -> "4月"); across
  languages the qualifier is translated ("more than 1.4 million" -> "超过140万");
- a sum in an English answer keeps the currency the sentence writes it in ("965 billion" from
  "9650亿美元" -> "$965 billion").

(The other direction, a date more precise than the evidence, is cut back by `rag.support.
fit_dates_to_evidence` during the citation check.) Nothing is added that the sentence (or, for a
name, its article) does not state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.calendar import MONTH_NAMES
from index.cjk import HAN_CHAR
from index.dates import interval_days
from index.language import detect_language
from index.models import ResolvedDate
from index.numbers import numbers_as_digits
from rag.constraints import DATE_WORDS, NOT_NAMES, is_generic
from rag.glossary import latin_gloss
from rag.quantities import ZH_AFTER, Quantity, chinese_amount, english_amount, quantities
from rag.support import (
    find_dates,
    fold,
    localize_dates,
    month_day_spans,
    month_days,
    month_part_mentions,
    month_parts,
    spoken_date,
)

# "when", "what day", and a typed "exact date the us went over ..." ("date" as the thing asked; "to
# date" and "up to date" mean "so far")
_ASKS_WHEN = re.compile(
    r"\b(?:when|what\s+(?:day|date|time)|which\s+(?:day|date)|on\s+what)\b|(?<!\bto\s)\bdate\b"
    r"|哪天|哪一天|哪日|什么时候|何时|几号|几月几日|什么日子|日期",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"(?<![\d.,])(1[5-9]\d\d|20\d\d)(?:年)?(?![\d.,])"
)  # a bare year in an answer: "1965", "1965年"
_ASKS_COARSE = re.compile(
    r"\b(?:what|which)\s+(?:year|month|decade|century)\b|哪一?年|哪个月|几月份|哪个世纪", re.I
)

_WRITE = {
    "en": {"more": "more than", "at_least": "at least", "about": "about", "nearly": "nearly",
           "up_to": "up to", "less": "fewer than", "estimated": "an estimated"},
    "zh": {"more": "超过", "at_least": "至少", "about": "约", "nearly": "近", "up_to": "最多",
           "less": "不到", "estimated": "估计"},
}  # fmt: skip
_ZH_UNITS = sorted(
    "平方公里 公里 公斤 小时 分钟 美元 欧元 英镑 港元 人民币 亿 万 个 名 人 次 位 家 座 年代 年 月 日 天 岁 号 届 "
    "项 种 件 条 只 头 辆 艘 架 所 层 栋 户 元 倍 秒 分 米 吨 % ％".split(),
    key=len,
    reverse=True,
)


def _zh_unit(text: str, at: int) -> str:
    """The measure word written at `text[at:]` ("个", "美元", "月"), or ""."""
    return next((u for u in _ZH_UNITS if text.startswith(u, at)), "")


# Questions that ask for several things: "Which towns ...", "Who finished second and third", "哪些国家".
_SEVERAL_EN = re.compile(
    r"\b[Ww](?:hich|hat)\s+(?:(?!(?:is|was|were|are|did|does|do|has|have|had|will|can)\b)[\w-]+\s+)?"
    r"(?!(?:is|was|has|does|this|its|his|us|news|series|species|status|virus|bus|gas|campus)\b)[a-z-]+s\b"
    r"|\bnames\b|\b[Ww]ho\s+else\b|\b[Ww]ho\b.*\band\b"
)
_SEVERAL_ZH = re.compile(r"哪些|哪几|分别|都有谁|有谁")
# An enumeration of names in a sentence: "Carrascal, Cantilan, Madrid, Carmen, Lanuza, and Cortes",
# "Rambo, Katryn and Nakita", "阿曼、新西兰、英国和欧盟".
_NAME_EN = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_LIST_EN = re.compile(rf"{_NAME_EN}(?:,\s+{_NAME_EN})*,?\s+(?:and|or)\s+{_NAME_EN}")
_LIST_ZH = re.compile(
    r"[\u4e00-\u9fff·]{1,12}(?:、[\u4e00-\u9fff·]{1,12})+(?:(?:和|及|以及|与)[\u4e00-\u9fff·]{1,12})?"
)
_SEP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|、|以及|和|及|与|，")


# "Where ...", "In which city ...", "哪里": the answer is a place, at the precision the sentence gives.
_ASKS_WHERE = re.compile(
    r"\b[Ww]here\b|\b(?:[Ww]hich|[Ww]hat)\s+(?:city|town|village|place|region|province|state|county|area)\b"
)
_PLACE_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:de|del|la|le|of|upon|on)?\s*[A-Z][\w'’.-]*){0,3}")


# A question asking which day: "what date", "on what", "哪天", "几号"
ASKS_DAY = re.compile(
    r"(?i)\b(?:what|which)\s+(?:day|date)\b|\bon\s+what\b|哪一?天|哪日|几号|几月几日|什么日子"
)


def asks_which_day(question: str) -> bool:
    """The question asks for a day ("几号官宣的", "on what date"), which a day of the month answers."""
    return bool(ASKS_DAY.search(question))


def asks_year_or_month(question: str) -> bool:
    """The question asks for a year or a month ("哪一年", "in what month"), not a day."""
    return bool(_ASKS_COARSE.search(question))


def asks_for_several(question: str) -> bool:
    """The question asks for several things ("Which towns ...", "哪些国家"), not one."""
    return bool(_SEVERAL_ZH.search(question) or _SEVERAL_EN.search(question))


class AnswerPrecision:
    """Restores the date precision, number qualifiers and units that the supporting sentence states."""

    def run(self, question: str, claim: str, sentence: str, dates: Sequence[ResolvedDate] = ()) -> str:
        """`claim` (one answer sentence, no citation markers) refined against its supporting `sentence`;
        `dates` are the relative dates the index resolved inside that sentence."""
        reader = detect_language(question)
        claim = _reader_quantity(claim, sentence, reader)
        claim = _sharpen_dates(question, claim, sentence, dates, reader)
        claim = _restore_qualifiers(claim, sentence, reader)
        claim = _restore_currency(claim, sentence)
        claim = _keep_month_part(claim, sentence, reader)
        claim = written_for(claim, reader)
        claim = name_for(claim, sentence, reader)
        if asks_for_several(question):
            return _complete_list(question, claim, sentence)
        return _widen_place(claim, sentence) if _ASKS_WHERE.search(question) else claim


def _sharpen_dates(
    question: str, claim: str, sentence: str, dates: Sequence[ResolvedDate], reader: str
) -> str:
    if not _ASKS_WHEN.search(question) or _ASKS_COARSE.search(question):
        return claim
    stated = {d.resolved for d in dates if "/" not in d.resolved or interval_days(d.resolved)} | {
        iso for _, _, iso in find_dates(sentence)
    }
    if len(fold(claim)) != len(claim):
        return claim
    written = find_dates(claim) or [(m.start(), m.end(), m.group(1)) for m in _YEAR.finditer(claim)]
    out, at = [], 0
    for start, end, iso in written:
        finer = {d for d in stated if d.startswith(iso + "-")}
        if len(finer) == 1 and iso not in stated:
            out += [claim[at:start], spoken_date(finer.pop(), reader)]
            at = end
    claim = "".join(out) + claim[at:]
    if written:
        return claim
    if (dated := _with_its_year(claim, stated, reader)) is not None:
        return dated
    # no date written: the answer may repeat the sentence's relative day ("on Friday", "星期三")
    for d in sorted(dates, key=lambda d: -len(d.text)):
        if ("/" in d.resolved and not interval_days(d.resolved)) or len(d.resolved) < 7:
            continue
        core = re.sub(r"(?i)^(?:on|last|this|next|上|本|这)\s*", "", d.text.strip())
        first_day = _RANGE_END.sub("", core)  # "July 13" of "July 13 to 17": the range's first day
        for phrase in dict.fromkeys((d.text.strip(), core, first_day)):
            hit = re.search(re.escape(phrase), claim, re.IGNORECASE) if phrase else None
            if hit:
                return claim[: hit.start()] + spoken_date(d.resolved, reader) + claim[hit.end() :]
    return claim


def _with_its_year(claim: str, stated: set[str], reader: str) -> str | None:
    """A claim that is one day without its year ("November 15", "11月15日") given with the year of the
    one day of that month and day its sentence states ("the army moved on November 15, 2017"), or
    None: the 1.5B drops the year the sentence writes, and a reader cannot tell which year it was."""
    spans = month_day_spans(claim)
    if len(spans) != 1 or claim[: spans[0][0]].strip() or claim[spans[0][1] :].strip(" .。,，"):
        return None
    ((month, day),) = month_days(claim)
    days = {iso for iso in stated if len(iso) == 10 and iso[5:] == f"{month:02d}-{day:02d}"}
    return spoken_date(days.pop(), reader) if len(days) == 1 else None


# A month answered without the part of it its sentence gives: "October 2023" from "rose to the top of
# Spotify's Global Top 50 in late October" is "late October 2023". The part is written as the sentence
# writes it, or in the claim's other language as early/mid-/late and 上旬/中旬/下旬.
_PART_WRITTEN = {
    "en": {"start": "early ", "middle": "mid-", "end": "late "},
    "zh": {"start": "上旬", "middle": "中旬", "end": "下旬"},
}
_MONTH_ALONE_EN = re.compile(
    rf"(?i)(?<!\d\s)(?<![\w-])({'|'.join(MONTH_NAMES)})\b(?!\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?![,.]?\d))"
)
_MONTH_ALONE_ZH = re.compile(
    r"(?<!\d)(\d{1,2})月(?!\s*\d{1,2}\s*[日号])"
)  # a claim with a part returns first


def _keep_month_part(claim: str, sentence: str, reader: str) -> str:
    """`claim` with the part of its one month (no day) that `sentence` gives for that month, if one;
    its dates written for the reader first, as the answer will be (`localize_dates`)."""
    parts = month_part_mentions(sentence)
    if not parts or month_parts(claim):
        return claim
    claim = localize_dates(claim, reader)
    chinese = bool(HAN_CHAR.search(claim))
    alone = list((_MONTH_ALONE_ZH if chinese else _MONTH_ALONE_EN).finditer(claim))
    if len(alone) != 1:
        return claim
    m = alone[0]
    month = int(m.group(1)) if chinese else MONTH_NAMES.index(m.group(1).casefold()) + 1
    given = {(part, written) for k, part, written in parts if k == month}
    if len({part for part, _ in given}) != 1:
        return claim
    part, written = given.pop()
    same = chinese == bool(HAN_CHAR.search(written))
    word = written if same else _PART_WRITTEN["zh" if chinese else "en"][part]
    if chinese:
        return claim[: m.end()] + word + claim[m.end() :]
    return claim[: m.start()] + word.lower() + claim[m.start() :]


_RANGE_END = re.compile(r"\s*(?:-|–|to|through)\s*\d+(?:st|nd|rd|th)?$")
_NUMBER_AND_UNIT = re.compile(r"\s*[\d.,]+\s*[A-Za-z%]*\s*")


def _reader_quantity(claim: str, sentence: str, reader: str) -> str:
    """A Chinese question answered in English with a number and a unit ("4 days") from a Chinese
    sentence ("一连举行4天") is given the sentence's own words for that number ("4天"): the answer
    is written in the question's language, and the sentence says how."""
    if (
        reader != "zh"
        or HAN_CHAR.search(claim)
        or not HAN_CHAR.search(sentence)
        or not _NUMBER_AND_UNIT.fullmatch(claim)
    ):
        return claim
    said = _undated(quantities(claim), claim)
    if len(said) != 1:
        return claim
    same = [e for e in _undated(quantities(sentence), sentence) if e.value == said[0].value]
    if len(same) != 1 or not (unit := _zh_unit(sentence, same[0].end)):
        return claim
    return sentence[same[0].start : same[0].end] + unit


def _restore_qualifiers(claim: str, sentence: str, reader: str) -> str:
    evidence = _undated(quantities(sentence), sentence)
    if HAN_CHAR.search(sentence):
        # "超过十亿人": a number in Chinese numerals, read as digits for its qualifier only (the padded
        # digits "超过 1000000000 人" hold no measure word or inside qualifier to copy)
        digits = numbers_as_digits(sentence)
        known = {e.value for e in evidence}
        evidence += [q for q in _undated(quantities(digits), digits) if q.kind and q.value not in known]
    if not evidence:
        return claim
    # a qualifier is written in the answer's own language ("more than 1.4 million" in a Chinese
    # reply that kept the article's words); a bare number is written for the reader
    reader = detect_language(claim) if any(ch.isalpha() for ch in claim) else reader
    same_language = detect_language(sentence) == reader
    for q in reversed(_undated(quantities(claim), claim)):  # right to left: earlier offsets stay valid
        match = [e for e in evidence if e.value == q.value]
        if q.kind is not None or not match:
            continue
        kinds = {e.kind for e in match}
        if len(kinds) != 1:
            continue  # the sentence qualifies the same number in different ways: leave it
        e = match[0]
        at_end = not claim[q.end :].strip(" 。.，,")
        if e.kind is None:
            # a bare number in a Chinese answer gets the sentence's measure word ("4" -> "4月")
            if (
                reader == "zh"
                and len(match) == 1
                and same_language
                and at_end
                and claim[: q.start].strip() == ""
            ):
                claim = claim[: q.end] + _zh_unit(sentence, e.end) + claim[q.end :]
            continue
        if same_language and reader == "zh" and e.inside >= 0:  # "60多个", "6000多万美元"
            unit = _zh_unit(sentence, e.end) if at_end else ""
            cut = _digits_end(claim, q)
            claim = claim[:cut] + e.qualifier + claim[cut : q.end] + unit + claim[q.end :]
        elif same_language and e.qualifier in ZH_AFTER:  # "140万以上"
            claim = claim[: q.end] + e.qualifier + claim[q.end :]
        else:
            word = e.qualifier.lower() if same_language else _WRITE["zh" if reader == "zh" else "en"][e.kind]
            start = _currency_start(claim, q.start)
            claim = claim[:start] + word + ("" if reader == "zh" else " ") + claim[start:]
    return claim


# The currency the evidence writes a sum in, as an English answer writes it before the number.
_CURRENCY_BEFORE = re.compile(r"(US\$|HK\$|A\$|C\$|NT\$|\$|€|£|¥)\s*$")
_CURRENCY_AFTER = {"美元": "$", "港元": "HK$", "港币": "HK$", "欧元": "€", "英镑": "£", "日元": "¥",
                   "新台币": "NT$", "澳元": "A$", "加元": "C$"}  # fmt: skip
# "a one million US dollar reward", "2 billion euros": a currency named in English after the sum (not
# "pounds", as often a weight)
_CURRENCY_WORDS = {
    "us dollar": "US$",
    "us dollars": "US$",
    "dollar": "$",
    "dollars": "$",
    "euro": "€",
    "euros": "€",
}
_CURRENCY_WORD_AFTER = re.compile(rf"(?i)\s+({'|'.join(sorted(_CURRENCY_WORDS, key=len, reverse=True))})\b")
_ANY_CURRENCY = re.compile(
    r"[$€£¥]|美元|港元|港币|欧元|英镑|日元|人民币|元|(?i:\b(?:dollars?|euros?|pounds?|yuan|yen|usd)\b)"
)


def _restore_currency(claim: str, sentence: str) -> str:
    """An answer's one number given the currency the sentence writes that sum in: "965 billion" from
    "估值为9650亿美元" becomes "$965 billion", "2.1 billion" from "cost €2.1 billion" "€2.1 billion",
    "1,000,000" from "a one million US dollar reward" "US$1,000,000" (then written for a Chinese
    reader as "100万美元"). Left alone when the answer names any currency or the sentence writes that value
    twice."""
    if HAN_CHAR.search(claim) or _ANY_CURRENCY.search(claim):
        return claim
    said = _undated(quantities(claim), claim)
    if len(said) != 1:
        return claim
    same = [e for e in _undated(quantities(sentence), sentence) if e.value == said[0].value]
    if len(same) != 1:
        return claim
    e = same[0]
    before = _CURRENCY_BEFORE.search(sentence[max(0, e.start - 4) : e.start])
    after = _CURRENCY_WORD_AFTER.match(sentence, e.end)
    symbol = (
        before.group(1)
        if before
        else _CURRENCY_WORDS[after.group(1).lower()]
        if after
        else next((sym for word, sym in _CURRENCY_AFTER.items() if sentence.startswith(word, e.end)), None)
    )
    if symbol is None:
        return claim
    at = said[0].start
    return claim[:at] + symbol + claim[at:]


def numbers_agree(claim: str, evidence: str) -> bool:
    """Every number in `claim` is stated in `evidence`, by value across forms ("140万" = "1.4 million",
    "6,000" = "six thousand"), and every date in it by its ISO form ("2015年3月" = "March 2015")."""
    days = month_day_spans(evidence)  # the "3" of "5月3日" states no count of 3
    have = {e.value for e in quantities(evidence) if not any(s <= e.start < t for s, t in days)}
    if not all(q.value in have for q in _undated(quantities(claim), claim)):
        return False
    stated = {iso for _, _, iso in find_dates(evidence)}
    stated |= {iso[:7] for iso in stated}
    return all(iso in stated for _, _, iso in find_dates(claim))


def _undated(found: list[Quantity], text: str) -> list[Quantity]:
    """Numbers that are not part of a written date ("2015年3月", "March 18, 1965")."""
    # "5月3日" too: its "3" is a day, not a count of anything
    spans = [(s, e) for s, e, _ in find_dates(text)] if len(fold(text)) == len(text) else []
    spans += month_day_spans(text)
    return [q for q in found if not any(s <= q.start < e for s, e in spans)]


def _digits_end(claim: str, q: Quantity) -> int:
    m = re.match(r"[\d,]+(?:\.\d+)?", claim[q.start :])
    return q.start + (m.end() if m else 0)


def _currency_start(claim: str, at: int) -> int:
    m = re.search(r"(?:US\s?)?[$€£]\s*$", claim[:at])
    return m.start() if m else at


def _complete_list(question: str, claim: str, sentence: str) -> str:
    """When the answer names some items of a list the sentence gives, name all of them.

    The list is an enumeration in the sentence ("A, B, C and D", "A、B、C和D") that holds every item
    the answer names, and more; the answer's run of items is replaced by it. Items are matched as
    written (same language), so an answer naming anything the list does not hold is left alone.
    """
    items = [i.strip(" .。") for i in _SEP.split(claim) if i.strip(" .。")]
    folded = fold(claim)
    found = [_english_list(m.group(0)) for m in _LIST_EN.finditer(sentence)]
    found += [_chinese_list(m.group(0), items) for m in _LIST_ZH.finditer(sentence)]
    for text, listed in found:
        spans = [(at, at + len(x)) for x in listed if (at := folded.find(fold(x))) >= 0]
        if not spans or len(spans) >= len(listed):
            continue
        if not all(any(fold(x) in fold(i) or fold(i) in fold(x) for x in listed) for i in items):
            continue  # the answer names something this list does not hold
        first, last = min(s for s, _ in spans), max(e for _, e in spans)
        return claim[:first] + text + claim[last:]
    return claim


def _widen_place(claim: str, sentence: str) -> str:
    """A place named by the last part of the sentence's "Carmel Valley, California" is given its
    first part too: "California" to "Where did Doris Day die?", cited from "at her home in Carmel
    Valley, California", becomes "Carmel Valley, California". One part, joined by a comma alone (a
    list joins its last item with "and"), and only when the answer is that place alone."""
    place = claim.strip().rstrip(".")
    if not place or not _PLACE_NAME.fullmatch(place):
        return claim
    m = re.search(rf"(?<!, )\b({_PLACE_NAME.pattern}),\s+{re.escape(place)}\b(?!,?\s+(?:and|or)\b)", sentence)
    return claim.replace(place, f"{m.group(1)}, {place}", 1) if m else claim


def _english_list(text: str) -> tuple[str, list[str]]:
    text = text.rstrip(".")
    return text, [i.strip() for i in _SEP.split(text) if i.strip()]


def _chinese_list(text: str, named: list[str]) -> tuple[str, list[str]]:
    """The items of "A、B、C和D"; the first and last run into the words around them ("已与阿曼",
    "欧盟完成贸易协议"), so each is cut to the answer's item or, failing that, to one jieba word."""
    import jieba  # already a dependency of the keyword index (rag.bm25)

    parts = text.split("、")
    joiner = ""
    if m := re.search(r"以及|和|及|与", parts[-1]):  # "英国和欧盟": the last two items
        joiner = m.group(0)
        parts[-1:] = [parts[-1][: m.start()], parts[-1][m.end() :]]

    def cut(part: str, keep_end: bool) -> str:
        for n in named:
            if n and (part.endswith(n) if keep_end else part.startswith(n)):
                return n
        words = [w for w in jieba.cut(part) if w.strip()]
        return (words[-1] if keep_end else words[0]) if words else part

    parts[0], parts[-1] = cut(parts[0], True), cut(parts[-1], False)
    if joiner:
        return "、".join(parts[:-1]) + joiner + parts[-1], parts
    return "、".join(parts), parts


# A run of capitalised words in an article: a name, possibly with a title or an opening word before it.
_NAME_RUN = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,4}")
MAX_SHORT_NAME_WORDS = 2  # set, not fitted: a surname or a two-word short form ("Alghasi Mehr")
# A word that ends what comes before the name: a sentence's last word ("Canada."; an initial such as
# "K." does not), or a possessor ("York City's").
_ENDS_A_NAME = re.compile(r"(?:[\w'’-]{2,}\.|['’]s)$")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n\"“]\s*)$")  # read over the few characters before a run


def full_name(claim: str, article: str) -> str:
    """A short name (the whole answer: "Vikings", "Altman") given as the article writes it in full
    ("Minnesota Vikings", "Sam Altman"): the one longer name in the article that ends with it, less
    titles and opening words ("President", "The", "Monday"). Left alone when the article writes
    several ("Donald Trump", "Melania Trump") or none."""
    name = claim.strip().rstrip(".")
    if not _NAME_RUN.fullmatch(name) or len(name.split()) > MAX_SHORT_NAME_WORDS:
        return claim
    words = name.split()
    longer: set[str] = set()
    for m in _NAME_RUN.finditer(article):
        run = [(m.start() + w.start(), w.group(0)) for w in re.finditer(r"\S+", m.group(0))]
        if len(run) <= len(words) or [w for _, w in run[-len(words) :]] != words:
            continue
        extra = run[: -len(words)]
        ends = [k for k, (_, w) in enumerate(extra) if _ENDS_A_NAME.search(w)]
        extra = extra[ends[-1] + 1 :] if ends else extra  # "Canada. SARS-CoV-2", "York City's Cipriani"
        if extra and _opens_sentence(article, extra[0][0]) and not written_as_name(extra[0][1], article):
            extra = extra[1:]  # "Mathematician Richard K. Guy died.": capitalised to open the sentence
        while extra and not all(_part_of_name(w) for _, w in extra):  # "OpenAI CEO Sam" -> "Sam"
            extra = extra[1:]
        if extra:
            longer.add(" ".join([*(w for _, w in extra), *words]))
    return claim.replace(name, longer.pop(), 1) if len(longer) == 1 else claim


def _opens_sentence(text: str, at: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, at - 4) : at]))


def written_as_name(word: str, text: str) -> bool:
    """`word` is capitalised somewhere in `text` other than at a sentence's start: a name's word."""
    return any(not _opens_sentence(text, m.start()) for m in re.finditer(rf"\b{re.escape(word)}\b", text))


def _part_of_name(word: str) -> bool:
    folded = fold(word).strip(".")
    return not (folded in NOT_NAMES or folded in DATE_WORDS or is_generic(folded) or folded in _TITLES)


# Titles and ranks that `rag.constraints` does not count as generic words of names.
_TITLES = frozenset("mr mrs ms dr sen rep gov gen lt col sgt judge justice coach officer".split())


# Units an amount is written with, in Chinese and in English ("" : the bare number says it). A unit
# not listed (元, which is yuan or NT dollars by the article's country; "mph") leaves the answer as is.
_UNITS = (
    ("小时", "hours"), ("天", "days"), ("岁", "years old"), ("年", "years"), ("公里", "km"), ("英里", "miles"),
    ("英尺", "feet"), ("米", "metres"), ("公斤", "kg"), ("吨", "tonnes"), ("磅", "lbs"), ("次", "times"),
    ("人", "people"), ("名", ""), ("个", ""), ("%", "%"),
)  # fmt: skip
_EN_UNIT = {zh: en for zh, en in _UNITS}
_ZH_UNIT = {en: zh for zh, en in _UNITS if en} | {
    "hour": "小时", "day": "天", "year": "年", "mile": "英里", "kilometres": "公里", "kilometers": "公里",
    "meters": "米", "kilograms": "公斤", "tons": "吨", "percent": "%", "per cent": "%", "foot": "英尺", "ft": "英尺",
}  # fmt: skip
_ZH_CURRENCY = {"$": "美元", "US$": "美元", "HK$": "港元", "NT$": "新台币", "€": "欧元", "£": "英镑"}


MAX_GLOSSED_NAME = 12  # characters: a transliterated name with its "·" ("约翰内斯·霍尔茨穆勒" has 10)


def written_for(claim: str, reader: str) -> str:
    """An answer that is one amount written in the other language than the reader's, written in the
    reader's: "不得超过5万美元" to an English question is "up to $50,000", "some 60 thousand" to a
    Chinese one is "约6万". The small generator copies the cited sentence's words, so an answer from a
    report in the other language comes out in that language; names are left as written."""
    found = quantities(claim)
    if len(found) != 1:
        return claim
    q = found[0]
    before, after = claim[: q.start].strip(), claim[q.end :].strip(" 。.")
    if reader == "en" and HAN_CHAR.search(claim):
        return _in_english(q, before, after) or claim
    if reader == "zh" and not HAN_CHAR.search(claim) and re.search("[A-Za-z$€£]", claim):
        return _in_chinese(q, before, after) or claim
    return claim


_LATIN_INITIALS = re.compile(r"^[A-Za-z.]{1,4}[·・]")  # the "JD·" of "JD·万斯"


def name_for(claim: str, sentence: str, reader: str) -> str:
    """An answer that is one Chinese name, to an English question, given first as the cited sentence
    glosses it: "莱拉·贝纳利" is "Leila Benali (莱拉·贝纳利)" where the sentence writes
    "莱拉·贝纳利(Leila Benali)". `sentence` may be the whole cited article, which glosses a name at its
    first mention (`CitationChecker.complete_names`). A name the sentence does not gloss is left as written, and a Chinese
    reader reads a Latin name as Chinese reports write it, as-is."""
    name = claim.strip(" 。.")
    if reader != "en" or len(HAN_CHAR.findall(name)) < 2 or len(name) > MAX_GLOSSED_NAME:
        return claim
    han = _LATIN_INITIALS.sub("", name)  # "JD·万斯" is glossed as "万斯(JD Vance)" too
    if re.search(r"[A-Za-z0-9\s，,、和与及]", han):
        return claim  # not one name: a phrase, a list or an amount
    latin = latin_gloss(name, sentence) or (latin_gloss(han, sentence) if han != name else None)
    return f"{latin} ({name})" if latin else claim


def _in_english(q: Quantity, before: str, after: str) -> str | None:
    if q.qualifier in ZH_AFTER and after.startswith(q.qualifier):
        after = after[len(q.qualifier) :]
    if q.inside >= 0 and after.startswith(q.qualifier):  # "60多个": the 多 sits inside
        after = after[len(q.qualifier) :]
    if before not in ("", q.qualifier):
        return None
    amount = english_amount(q.value)
    if after in _CURRENCY_AFTER:
        body = f"{_CURRENCY_AFTER[after]}{amount}"
    elif not after:
        body = amount
    elif after in _EN_UNIT:
        body = f"{amount} {_EN_UNIT[after]}".strip()
    else:
        return None
    return f"{_WRITE['en'][q.kind]} {body}" if q.kind else body


def _in_chinese(q: Quantity, before: str, after: str) -> str | None:
    currency = next((c for c in sorted(_ZH_CURRENCY, key=len, reverse=True) if before.endswith(c)), "")
    before = before[: len(before) - len(currency)].strip()
    if before.casefold() not in ("", q.qualifier.casefold()) or (currency and after):
        return None
    unit = _ZH_CURRENCY[currency] if currency else _ZH_UNIT.get(after.casefold(), None if after else "")
    if unit is None:
        return None
    return f"{_WRITE['zh'][q.kind] if q.kind else ''}{chinese_amount(q.value)}{unit}"
