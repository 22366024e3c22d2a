"""Whether the sentence an answer's value is cited from says anything of what was asked, and whether
the number counts the thing asked.

A small generator answers a question with a value of the right look from a sentence about something
else, and the citation check and the judge pass it, since the value is in the sentence: "20:21" to
"what time was the fire from the fairfield crash put out", from "The company said power was restored
by 20:21 following delays caused by warm weather at the time." (judge P(Yes) 0.95+). A sentence that
states the asked value shares a word with the question ("fire", "crash"), or a word close in meaning
("cops" and "police officers", "died" and "death"), or refers back to what an earlier sentence named
("He was 34", "The man was 45 years old"). Only for a bare value (a number, a date, a time): a name
or a clause has words of its own to be checked by the other rules.

Likewise a count written before a noun far in meaning from what a "how many" question counts answers
it no more: "5" to "how many patients did the opioid doctor smithers have" from "is married and has
five children", "17" to "how many candidates ran ..." from "control of 17 out of 18 of the area's
districts". Word lists cannot tell a user's synonym from another thing ("kids" for "children" is
the same; stop 32's rule refused it), which is why meaning is compared with the embedding model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from index.cjk import HAN_CHAR
from index.numbers import numbers_as_digits
from rag.bm25 import tokenize
from rag.constraints import news_words, value_kind_phrase, verb_after_phrase
from rag.meaning import MIN_WORD_SIMILARITY, Embed, closest
from rag.measures import PEOPLE, after_total, numbers, written_at
from rag.quantities import QUALIFIER, Quantity, quantities
from rag.support import find_dates, without_accents

# What the question asks for, not what it is about: shared with a sentence, it says nothing.
_ASKING = frozenset(
    tokenize("what time when which year day date how many much long old who whom whose where why")
) | frozenset({"时间", "几点", "哪天", "哪年", "多少", "几", "时候", "什么", "谁", "哪里", "为什么"})
# A sentence that refers back names its subject in an earlier one ("He was 34 and ...").
_REFERS_BACK = re.compile(r"(?i)\b(?:he|she|it|they|him|them|the\s+(?:man|woman|boy|girl|guy))\b|他|她|它")
_WORD = re.compile(r"[^\W\d_]+")
_HAN_RUN = re.compile(f"{HAN_CHAR.pattern}+")
# A weekday beside a date states no other thing: "Friday, 22 May 2020", "2026年6月6日（星期六）".
_WEEKDAY = re.compile(
    r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|(?:星期|礼拜)[一二三四五六日天]|周[一二三四五六日]"
)
_HOW_MANY = re.compile(r"(?i)\bhow\s+many\b")
_COMPOUND = re.compile(r"^[-‐‑–]([A-Za-z]+)")
_COUNTED_WORDS = 4  # "452 available district council seats": the thing counted within four words
_VALUE_ONLY = re.compile(
    r"(?i)^[\W\d]*(?:(?:years?|months?|days?|hours?|minutes?|old|aged?|percent|per\s*cent"
    r"|[ap]\.?m\.?|岁|年|月|日|号|周岁|个|名|人|点|分|%)[\W\d]*)*$"
)


def is_bare_value(answer: str) -> bool:
    """A number, a date or a time and nothing else ("around 200", "20:21", "7 January 2020", "45%")."""
    text = QUALIFIER.sub(" ", numbers_as_digits(_WEEKDAY.sub(" ", re.sub(r"\[\d+\]", " ", answer))))
    for start, end, _ in reversed(find_dates(text)):
        text = f"{text[:start]} 0 {text[end:]}"
    return bool(re.search(r"\d", text)) and bool(_VALUE_ONLY.match(text))


class OffTopicValueCheck:
    """Refuses a bare value whose every cited sentence (in the question's script) says nothing of the
    question: no shared word, no word close in meaning, no reference back."""

    def __init__(self, embed: Embed | None, min_similarity: float = MIN_WORD_SIMILARITY) -> None:
        """`embed`: None compares words by their stems alone (more refusals of synonyms)."""
        self._embed = embed
        self._min_similarity = min_similarity

    def run(self, question: str, answer: str, quotes: Sequence[str]) -> bool:
        """True: refuse `answer`, its cited sentences being about something else than `question`."""
        if not is_bare_value(answer):
            return False
        han = bool(HAN_CHAR.search(question))
        same_script = [q for q in quotes if bool(HAN_CHAR.search(q)) == han]
        asked = _words(question, query=True)
        if not same_script or not asked:
            return False
        return all(self._about_else(asked, quote) for quote in same_script)

    def _about_else(self, asked: dict[str, str], quote: str) -> bool:
        if _REFERS_BACK.search(quote):
            return False
        said = _words(quote, query=False)
        if set(asked.values()) & set(said.values()):
            return False
        if self._embed is None or not said:
            return True
        return closest(self._embed, list(asked), list(said)) < self._min_similarity


def _words(text: str, query: bool) -> dict[str, str]:
    """The text's content words (accents folded), each with its stem or Chinese token; no asking words."""
    folded = without_accents(text)
    words: dict[str, str] = {}
    for han in _HAN_RUN.findall(folded):
        for token in tokenize(han, query=query):
            if token not in _ASKING:
                words[token] = token
    for word in _WORD.findall(_HAN_RUN.sub(" ", folded)):  # "UFC" of "白宫UFC赛事" too
        stems = tokenize(word, query=query)
        if stems and stems[0] not in _ASKING:
            words[word.lower()] = stems[0]
    return words


class OtherCountedThingCheck:
    """Refuses a count to an English "how many" question when every cited sentence writing its number
    writes it before words that neither share a stem with nor come close in meaning to the asked
    thing or the question's verb ("flights ... cancelled" / "cancellations"). Counts of people are
    left alone: "seven people died" answers "how many passengers died"."""

    def __init__(self, embed: Embed | None, min_similarity: float = MIN_WORD_SIMILARITY) -> None:
        self._embed = embed
        self._min_similarity = min_similarity

    def run(self, question: str, answer: str, quotes: Sequence[str]) -> bool:
        """True: refuse `answer`, a count of something else than `question` asks to count."""
        if HAN_CHAR.search(question) or not _HOW_MANY.search(question):
            return False
        phrase = value_kind_phrase(news_words(question))
        asked = [*phrase, *filter(None, [verb_after_phrase(question, phrase)])]
        said = numbers(answer)
        if not phrase or set(tokenize(" ".join(phrase))) <= PEOPLE or len(said) != 1:
            return False
        # English sentences only: a Chinese one is read against the question's translation
        found = written_at(said[0].value, [q for q in quotes if not HAN_CHAR.search(q)])
        return bool(found) and all(
            self._counts_else(
                asked, _tally(text, q) or _counted_words(text[q.end :]) or _counted_before(text[: q.start])
            )
            for text, q in found
        )

    def _counts_else(self, asked: list[str], counted: list[str]) -> bool:
        stems = set(tokenize(" ".join(counted)))
        if not counted or stems & PEOPLE or stems & set(tokenize(" ".join(asked))):
            return False
        return self._embed is None or closest(self._embed, asked, counted) < self._min_similarity


# "what % of global covid deaths ..." and "30% of world-wide coronavirus infections": a share is of a
# whole, named after "of"; its last word says what the whole is (deaths, infections).
_ASKS_SHARE_OF = re.compile(
    r"(?i)\bwhat\s+(?:%|percent(?:age)?|per\s+cent|share|proportion|fraction)\s+of\s+(?:the\s+|all\s+)?(.*)"
)
_SHARE_OF = re.compile(
    r"(?i)^\s*(?:%|percent|per\s+cent)\s+of\s+(?:the\s+|all\s+|its\s+|their\s+|his\s+|her\s+)?(.*)", re.S
)
_PERCENT = re.compile(r"%|percent|per\s*cent", re.I)


class ShareOfAnotherWholeCheck:
    """Refuses a percentage to an English "what % of X" question when every cited sentence writing its
    number gives it as a share of another whole: "around 30%" to "what % of global covid deaths was
    the us", from "accounting for around 30% of world-wide coronavirus infections". The wholes are
    compared by their last words ("deaths", "infections"), by stem and then by meaning; a sentence
    that names no whole after the number ("30% said ...") is left alone."""

    def __init__(self, embed: Embed | None, min_similarity: float = MIN_WORD_SIMILARITY) -> None:
        self._embed = embed
        self._min_similarity = min_similarity

    def run(self, question: str, answer: str, quotes: Sequence[str]) -> bool:
        """True: refuse `answer`, a share of another whole than `question` asks about."""
        asked = _ASKS_SHARE_OF.search(question)
        said = numbers(answer)
        if HAN_CHAR.search(question) or not asked or len(said) != 1 or not _PERCENT.search(answer):
            return False
        whole = _whole(asked.group(1))
        found = written_at(said[0].value, [q for q in quotes if not HAN_CHAR.search(q)])
        if not whole or not found:
            return False
        for text, q in found:
            of = _SHARE_OF.match(text[q.end :])
            other = _whole(of.group(1)) if of else ""
            if not other or set(tokenize(other)) & set(tokenize(whole)):
                return False
            if self._embed is not None and closest(self._embed, [whole], [other]) >= self._min_similarity:
                return False
        return True


def _whole(text: str) -> str:
    """The last content word of the noun phrase opening `text`, up to its first function word."""
    words = []
    for token in re.findall(r"[A-Za-z][\w'-]*|\S", text)[:_COUNTED_WORDS]:
        if not re.match("[A-Za-z]", token) or not tokenize(token, query=True):
            break
        words.append(token.lower())
    return words[-1] if words else ""


# "the total number of confirmed deaths ... surpassed 100,000": the thing counted is named before the
# number when nothing counted follows it, after "number of" in the same clause, the number coming
# right after the verb that gives the count.
_NUMBER_OF = re.compile(r"(?i)\b(?:number|total|tally|count)\s+of\s+")
_GIVES_THE_COUNT = re.compile(
    r"(?i)\b(?:surpass(?:ed|es)?|pass(?:ed|es)?|reach(?:ed|es)?|exceed(?:ed|s)?|top(?:ped|s)?|hit|"
    r"(?:rose|climbed|jumped|grew|fell|dropped)\s+to|stood\s+at|(?:is|was|were)(?:\s+now)?)\s+"
    r"(?:(?:about|around|nearly|almost|over|more\s+than|at\s+least)\s+)?$"
)


def _counted_before(before: str) -> list[str]:
    """The words a sentence counts with "number of" before the verb that gives its number (above)."""
    clause = re.split(r"[;:]|,\s+(?:and|but|while)\b", before)[-1]
    if not _GIVES_THE_COUNT.search(clause):
        return []
    found = list(_NUMBER_OF.finditer(clause))
    return _counted_words(clause[found[-1].end() :]) if found else []


# "voted 66 to 27", "won 3-1": a tally counts votes or points; "from 180 to 5" is a range
_TALLY_AFTER = re.compile(r"^\s*(?:to|-|–)\s*\d")
_RANGE_BEFORE = re.compile(r"(?i)\b(?:from|between)\s+$")


def _tally(text: str, q: Quantity) -> list[str]:
    """["votes"] when the number opens a tally ("66 to 27"), else none."""
    if _TALLY_AFTER.match(text[q.end :]) and not _RANGE_BEFORE.search(text[: q.start]):
        return ["votes"]
    return []


def _counted_words(after: str) -> list[str]:
    """The content words written right after a number, past the total it is part of, up to the first
    function word or punctuation: "available district council seats", "districts"; none for "are".
    A number hyphened into a modifier counts the word it is joined to: "party" of "two-party-preferred
    vote", "year" of "12-year-old"."""
    if compound := _COMPOUND.match(after):
        return [compound.group(1).lower()]
    words: list[str] = []
    for token in re.findall(r"[A-Za-z][\w'-]*|\S", after_total(after))[:_COUNTED_WORDS]:
        if not re.match("[A-Za-z]", token) or not tokenize(token, query=True):
            break
        words.append(token.lower())
    return words


# Measures news gives item by item, side by side: "energy prices rose 3.9%, ... airfares 2.7%",
# "能源价格上涨3.9%", each candidate's votes, each unit's revenue. A question asks the measure of one
# item by the word before the measure's noun ("food prices", "食品价格").
_ITEM_MEASURES_EN = frozenset(
    "price prices cost costs rate rates index sales exports imports revenue revenues profit profits "
    "income growth inflation tax taxes tariff tariffs budget spending debt deficit output production "
    "vote votes fares fees wages salary salaries earnings losses toll turnover yield yields".split()
)
_ITEM_MEASURES_ZH = tuple(
    "价格 指数 销量 销售额 出口 进口 收入 营收 利润 关税 税率 票数 预算 支出 债务 产量 涨幅 跌幅 增幅 市值 成本 费用 工资".split()
)
# Words before a measure's noun that say which figure, not which item: "new cases", "total revenue".
_NOT_ITEMS = frozenset(
    "new total overall average annual monthly weekly daily quarterly yearly current latest recent "
    "higher lower high low record net gross official estimated confirmed reported additional full "
    "whole combined cumulative actual expected projected initial final real nominal headline base "
    "basic minimum maximum top key big biggest rising falling its their his her our your the a an "
    "this that these those such same other all some many more most further first second third last "
    "next previous per and or of in on at to for by with from as than year month week day".split()
) | frozenset("的 了 和 与 及 其 该 这 此 各 总 平均 整体 最新 同比 环比 月份 年度 全年 全部 总体".split())
_SAME_PHRASE = 0.78
_CLAUSE_EN = re.compile(r"(?i)[;:,]|\b(?:while|whereas|but)\b")
_CLAUSE_ZH = re.compile(r"[，,；;：:。]")


class SiblingItemCheck:
    """Refuses a bare number when every cited sentence writing it gives it, in its clause, as the
    measure of another item than the one asked: "3.9%" to "美国5月份食品价格涨了多少" (food prices) from
    "能源价格上涨3.9%" (energy prices), the issue's value of the right type for the wrong subject
    (nm-69 of the CI subset). Not when the value's clause names the asked item, or another clause
    does without a number of its own; nor when the other item is a word of the question or one close
    to the asked item in meaning ("share price" and "stock price")."""

    def __init__(self, embed: Embed | None, min_similarity: float = MIN_WORD_SIMILARITY) -> None:
        self._embed = embed
        self._min_similarity = min_similarity

    def run(self, question: str, answer: str, quotes: Sequence[str]) -> bool:
        """True: refuse `answer`, a value every cited sentence gives for a sibling of the asked item."""
        said = numbers(answer)
        if not is_bare_value(answer) or len(said) != 1:
            return False
        han = bool(HAN_CHAR.search(question))
        asked = _asked_items(question, han)
        found = written_at(said[0].value, [q for q in quotes if bool(HAN_CHAR.search(q)) == han])
        if not asked or not found:
            return False
        return all(self._for_sibling(question, text, q, asked, han) for text, q in found)

    def _for_sibling(self, question: str, text: str, q: Quantity, asked: dict[str, str], han: bool) -> bool:
        clause = _clause_of(text, q, han)
        for measure, item in asked.items():
            if _states_item(item, clause, han) or (
                _states_item(item, text, han) and not _own_figure_elsewhere(item, text, q, han)
            ):
                continue
            for other in (o for m, o in _measure_items(clause, han) if m == measure):
                if _states_item(other, question, han):
                    continue  # an item the question names too ("apple's" of "apple's revenue")
                if self._embed is None or not self._same_item(item, other, measure):
                    return True
        return False

    def _same_item(self, item: str, other: str, measure: str) -> bool:
        """Two words for one item: close as words ("gas", "gasoline": 0.73), or as the measure's phrases
        ("share price", "stock price": 0.81, the words 0.58). Siblings stay apart ("food prices",
        "energy prices": 0.55; "democratic votes", "republican votes": 0.71). `_SAME_PHRASE` was set by
        reading such pairs, not fitted on questions."""
        assert self._embed is not None
        if closest(self._embed, [item], [other]) >= self._min_similarity:
            return True
        joiner = "" if HAN_CHAR.search(measure) else " "
        phrases = [f"{item}{joiner}{measure}", f"{other}{joiner}{measure}"]
        return closest(self._embed, phrases[:1], phrases[1:]) >= _SAME_PHRASE


def _asked_items(question: str, han: bool) -> dict[str, str]:
    """{measure noun: the item word before it} for each measure the question asks of a named item."""
    return {measure: item for measure, item in _measure_items(question, han) if item not in _ASKING}


def _measure_items(text: str, han: bool) -> list[tuple[str, str]]:
    """(measure noun, the item word written right before it) for each measure in `text` ("price",
    "energy" of "energy prices"; "价格", "能源" of "能源价格"), leaving out words that say which figure
    rather than which item. English measures are given by their stem ("prices" and "price" alike)."""
    folded = without_accents(text).casefold()
    out = []
    if han:
        import jieba  # loaded already by the Chinese tokenizer

        for measure in _ITEM_MEASURES_ZH:
            for m in re.finditer(re.escape(measure), folded):
                before = [w for w in jieba.lcut(folded[max(0, m.start() - 12) : m.start()]) if w.strip()]
                if (
                    before
                    and HAN_CHAR.search(before[-1])
                    and len(before[-1]) >= 2
                    and before[-1] not in _NOT_ITEMS
                ):
                    out.append((measure, before[-1]))
        return out
    words = re.findall(r"[a-z][a-z'’-]*|\S", folded)
    for before, word in pairwise(words):
        item = re.sub(r"['’]s?$", "", before)
        # a content word, not "is" or "how"
        content = (
            re.fullmatch(r"[a-z][a-z-]+", item) and item not in _NOT_ITEMS and tokenize(item, query=True)
        )
        if word in _ITEM_MEASURES_EN and content:
            out.append((tokenize(word)[0], item))
    return out


def _states_item(item: str, text: str, han: bool) -> bool:
    """Whether `text` names the asked item (Chinese as written; English by stem)."""
    if han:
        return item in text
    return bool(set(tokenize(item)) & set(tokenize(without_accents(text))))


def _own_figure_elsewhere(item: str, text: str, q: Quantity, han: bool) -> bool:
    """Whether a clause of `text` other than the number's names `item` with a number of its own
    ("Apple's revenue grew 10% while Microsoft's revenue grew 12%")."""
    breaks = _CLAUSE_ZH if han else _CLAUSE_EN
    bounds = [0, *(m.end() for m in breaks.finditer(text)), len(text)]
    for start, end in pairwise(bounds):
        if start <= q.start < end:
            continue
        clause = text[start:end]
        if _states_item(item, clause, han) and quantities(clause):
            return True
    return False


def _clause_of(text: str, q: Quantity, han: bool) -> str:
    """The clause of `text` that holds the number at `q`."""
    breaks = _CLAUSE_ZH if han else _CLAUSE_EN
    start = max((m.end() for m in breaks.finditer(text, 0, q.start)), default=0)
    end = next((m.start() for m in breaks.finditer(text, q.end)), len(text))
    return text[start:end]
