"""The relation check for a question written in Chinese over Chinese passages.

`rag.constraints.check_relation` reads a Latin-script question's lowercase words ("husband", "cause",
"death"); a Chinese question has no case and no spaces, so its relation words are the content words
jieba tags (nouns, verbs, adjectives) less the names it tags, the light, modal and reporting verbs,
and the question words. "伟大的美国州博览会哪天闭幕" asks about 闭幕 (closing): "2026年7月4日" from
a sentence about the anniversary the fair celebrates does not state it. "美国驻港总领事馆说现在住在香港的
美国公民有多少人" asks who lives (住) in Hong Kong: "至少有25万" of Americans *born* there does not.

A word is stated when the evidence writes it, writes its characters in order within one sentence
(Chinese shortens by keeping characters: 世卫 of 世界卫生组织, 强震 of 最强地震), or writes a word as
close in meaning as the English check asks (`rag.meaning.MIN_WORD_SIMILARITY`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.cjk import HAN_CHAR
from rag.constraints import MAX_RELATION_WORDS, RelationCheck
from rag.meaning import MIN_WORD_SIMILARITY, Embed

# jieba's tags for names (people, places, organisations, other proper nouns, abbreviations): the
# name checks of rag.constraints and rag.subject read those.
_NAME_TAGS = ("nr", "ns", "nt", "nz", "eng", "j")
_CONTENT_TAGS = ("n", "v", "a")
# Words that state no relation of their own, as `rag.constraints._NOT_RELATION` for English: light
# and modal verbs (and their A-not-A forms), verbs that report speech, the asking words, time
# adverbs and words for "thing" or "person" that stand for what is asked.
_NOT_RELATION = frozenset(
    "是 有 在 做 干 弄 搞 让 被 把 给 去 来 到 得 过 会 能 要 想 可以 可能 也许 应该 需要 必须 愿意 "
    "不是 没有 不会 不能 是不是 有没有 会不会 能不能 要不要 愿不愿意 可不可以 "
    "说 称 讲 叫 表示 认为 指出 透露 宣布 报道 告诉 提到 回答 "
    "什么 多少 几 哪 哪个 哪些 哪里 哪儿 谁 是否 怎么 怎样 如何 为什么 为何 多久 多长 何时 多大 多远 "
    "已经 现在 当时 目前 最后 最终 一共 总共 到底 究竟 真的 还 又 都 "
    "事 事情 东西 情况 人 时候".split()
)
# The question word (jieba may join it to its measure word: "几艘"), directly before the noun that
# names the kind of value asked ("多少人", "哪个城市", "什么癌症"): the evidence may give the value
# alone, so that noun is excused when unstated.
_ASKS_KIND = re.compile(r"多少|几|什么|哪个|哪些|哪一|哪家|哪位|哪国|哪")
# Verbs of occurring in a "when" or "where" question ("哪天发生的"): it asks only the time or place.
_ASKS_WHEN_OR_WHERE = re.compile(r"哪天|哪一天|哪年|哪一年|哪月|几月|几号|什么时候|何时|哪里|哪儿|在哪")
_OCCURRED = frozenset("发生 举行 举办 进行 出现".split())
_SENTENCE = re.compile(r"[^。！？!?；;\n]+")


def relation_words(question: str, answer: str = "") -> tuple[set[str], set[str]]:
    """The Chinese question's relation words, less the answer's, and those of them it may leave
    unstated (the kind of value asked, a verb of occurring in a when/where question)."""
    import jieba.posseg as pseg  # loads its dictionary once (~0.7 s), only for Chinese questions

    pieces = [p for p in pseg.cut(question) if p.word.strip()]
    words: set[str] = set()
    excusable: set[str] = set()
    for i, piece in enumerate(pieces):
        word, tag = piece.word, piece.flag
        if (
            not HAN_CHAR.search(word)
            or not tag.startswith(_CONTENT_TAGS)
            or tag.startswith(_NAME_TAGS)
            or word in _NOT_RELATION
            or word in answer
        ):
            continue
        words.add(word)
        before = pieces[max(0, i - 2) : i]
        if tag.startswith("n") and any(
            _ASKS_KIND.match(p.word) and all(q.flag in ("m", "q") for q in before[k + 1 :])
            for k, p in enumerate(before)
        ):
            excusable.add(word)
    if _ASKS_WHEN_OR_WHERE.search(question):
        excusable |= words & _OCCURRED
    return words, excusable


def claim_words(question: str) -> set[str]:
    """The Chinese question's words of two or more characters that say what it claims, whatever jieba
    tags them ("反对" may come out an adverb): all but names, function words and those above."""
    import jieba.posseg as pseg  # as above

    return {
        p.word
        for p in pseg.cut(question)
        if len(p.word) >= 2
        and HAN_CHAR.search(p.word)
        and not p.flag.startswith((*_NAME_TAGS, "u", "y", "p", "c", "r", "m", "q", "x"))
        and p.word not in _NOT_RELATION
    }


def check_relation(
    question: str, answer: str, evidence: Sequence[str], embed: Embed | None = None
) -> RelationCheck | None:
    """Which of a Chinese question's relation words the Chinese evidence states (None: the question
    or some evidence is not Chinese, or the question is long; see `rag.constraints.check_relation`)."""
    if not HAN_CHAR.search(question) or not evidence or not all(HAN_CHAR.search(t) for t in evidence):
        return None
    words, excusable = relation_words(question, answer)
    if not words or len(words) > MAX_RELATION_WORDS:
        return None
    unstated = _unstated(words, " ".join(evidence), embed)
    return RelationCheck(frozenset(words), frozenset(unstated), frozenset(unstated & excusable))


def _unstated(words: set[str], text: str, embed: Embed | None) -> set[str]:
    """The words `text` does not state: neither written, nor written in order within a sentence, nor
    as close in meaning to one of its words (the passage cut and embedded once for them all)."""
    sentences = _SENTENCE.findall(text)
    left = {
        w for w in words if w not in text and not (len(w) > 1 and any(_in_order(w, s) for s in sentences))
    }
    if not left or embed is None:
        return left
    import jieba  # as above

    said = sorted({w for w in jieba.cut(text) if HAN_CHAR.search(w)})
    if not said:
        return left
    asked = sorted(left)
    vectors = embed([*asked, *said])
    best = (vectors[: len(asked)] @ vectors[len(asked) :].T).max(axis=1)
    return {w for w, sim in zip(asked, best, strict=True) if sim < MIN_WORD_SIMILARITY}


def _in_order(word: str, sentence: str) -> bool:
    """Every character of `word` in `sentence`, in order (世卫 in 世界卫生组织)."""
    rest = iter(sentence)
    return all(char in rest for char in word)


# A question asking when something happened, and the verb after its time word: the event it asks the
# time of ("哪天闭幕": the closing; "要展到哪天结束": the end).
_ASKS_WHEN = re.compile(r"哪一?天|哪一?年|几月几[日号]|几号|什么时候|何时|哪个月|几月")
# Verbs of phase that come before the event's own verb ("开始生效": the taking effect).
_PHASE = frozenset("开始 继续 正式 首次 再次 重新 终于".split())


def asked_event(question: str) -> str | None:
    """The verb naming the event a Chinese when-question asks the time of, if it follows the time
    word ("伟大的美国州博览会哪天闭幕" -> 闭幕); None for a verb of occurring (发生, 举行: the question
    then asks only the time) or when another noun comes first (the subject: "什么时候政府宣布...")."""
    import jieba.posseg as pseg  # as above

    asks = _ASKS_WHEN.search(question)
    if not asks:
        return None
    pieces = [p for p in pseg.cut(question[asks.end() :]) if HAN_CHAR.search(p.word)]
    for i, piece in enumerate(pieces):
        word, tag = piece.word, piece.flag
        if word in _NOT_RELATION | _PHASE or tag.startswith(("u", "y", "p", "d")):
            continue
        # jieba tags some verbs as nouns ("生效", "关门"): a word closing the question is the event too
        last = all(p.flag.startswith(("u", "y")) for p in pieces[i + 1 :])
        if tag.startswith("v") or (last and tag.startswith("n") and not tag.startswith(_NAME_TAGS)):
            return None if word in _OCCURRED else word
        return None
    return None


def unstated_event(question: str, evidence: Sequence[str], embed: Embed | None = None) -> str | None:
    """The event a Chinese when-question asks the time of, when the Chinese evidence does not state it:
    "2026年7月4日" from a sentence on the anniversary a fair celebrates gives no day the fair closes
    (闭幕), whatever else of the question the passage states. None when it is stated, or there is
    nothing to check (see `asked_event`; `check_relation` for what "stated" means)."""
    if not evidence or not all(HAN_CHAR.search(t) for t in evidence):
        return None
    event = asked_event(question)
    if event is None:
        return None
    return event if _unstated({event}, " ".join(evidence), embed) else None
