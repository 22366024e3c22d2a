"""Keep the context on the question's subject: passages from articles that name what was asked about.

A question that names its subject ("When did Aliyun open its first US data center?") is answered from
an article that names it. As a corpus grows, same-topic articles about other subjects (another
company's data centers) rank high enough to enter the context, and the small generator answers from
them (issue 19: "May", from the filler, where the demo index answered "March 2015"). So when some
retrieved article names one of the question's names, passages from articles that name none of them
are left out.

Why not a llama-index node postprocessor: it needs the whole article (a name is often stated only in
another paragraph: "the company" in the passage, "Aliyun" two paragraphs up), which the nodes lack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from index.cjk import HAN_CHAR
from index.models import Article
from rag.constraints import entities_stated_in, question_constraints
from rag.models import Passage

GetArticles = Callable[[Sequence[str]], dict[str, Article]]

# A longer question, or one naming its sources ("as reported by TechCrunch and The Verge"), gathers
# several reports about several names; it is left to the checks after generation. On the tuning half
# every gold fact this filter cost (51 questions, `python bench/context_cutoff.py`) was in such a question.
MAX_QUESTION_WORDS = 25

# Names whose every distinctive word is this short ("US", "UK", "AI") are too ambiguous to decide
# which article a question is about ("us" is also a pronoun once text is case-folded).
MIN_NAME_LETTERS = 4


class SubjectFilter:
    """Drops passages whose article names none of the question's names, when another article does.

    A name is compared only within one script: a Chinese question's names are not looked for in an
    English article (that passage is kept), nor the reverse. With no names to look for, or no
    retrieved article naming one, the passages are returned unchanged: the checks after generation
    decide then.
    """

    def __init__(self, get_articles: GetArticles, known_sources: Iterable[str] = ()) -> None:
        self._get_articles = get_articles
        self._known_sources = known_sources

    def run(self, question: str, passages: Sequence[Passage]) -> list[Passage]:
        names = subject_names(question, self._known_sources)
        if not names or not passages:
            return list(passages)
        # article id -> names one (True), none (False), can't tell (None)
        verdicts = {
            article_id: names_subject(names, text)
            for article_id, text in article_texts(passages, self._get_articles).items()
        }
        if not any(v is True for v in verdicts.values()):
            return list(passages)
        return [p for p in passages if verdicts[p.article_id] is not False]


def subject_names(question: str, known_sources: Iterable[str] = ()) -> list[tuple[str, ...]]:
    """The names of a short one-subject question that can tell articles apart (names of only short
    words, "US", are left out); none for a long question or one that names its sources."""
    constraints = question_constraints(question, known_sources)
    if constraints.sources or not _short(question):
        return []
    return _telling(constraints.entities)


def _short(question: str) -> bool:
    return len(question.split()) <= MAX_QUESTION_WORDS


def article_texts(passages: Sequence[Passage], get_articles: GetArticles) -> dict[str, str]:
    """Each passage's article as title and whole body, by article id, in passage order (the passage
    itself stands in for an article the store does not hold completely)."""
    articles = get_articles([p.article_id for p in passages])
    out: dict[str, str] = {}
    for p in passages:
        if p.article_id not in out:
            article = articles.get(p.article_id)
            out[p.article_id] = f"{p.title}\n{article.body if article else p.text}"
    return out


def _telling(names: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The names that can tell articles apart: Chinese ones, and those with a word of at least
    MIN_NAME_LETTERS letters."""
    return [n for n in names if HAN_CHAR.search(" ".join(n)) or any(len(w) >= MIN_NAME_LETTERS for w in n)]


def names_subject(names: Sequence[tuple[str, ...]], text: str, question_is_han: bool = False) -> bool | None:
    """True when `text` states one of `names`; False when it states none that could be compared;
    None when every name is in another script than the text. A Latin-letter name in a Chinese
    question ("OpenAI") is compared with Chinese text too: Chinese reports write it the same way."""
    text_is_han = _mostly_han(text)
    comparable = [
        n
        for n in names
        if bool(HAN_CHAR.search(" ".join(n))) == text_is_han or (question_is_han and text_is_han)
    ]
    if not comparable:
        return None
    return any(entities_stated_in(comparable, text))


def cites_subject(
    question: str,
    texts: Sequence[str],
    known_sources: Iterable[str] = (),
    translations: Mapping[str, str] | None = None,
) -> bool | None:
    """Whether an answer's cited articles (`texts`: title and whole body each) name what a short
    question asks about: True when one names one of the question's names, False when every one that
    could be compared names none ("How much was OpenAI's IPO priced at?" answered from a SpaceX
    article), None when there is nothing to compare (no names, a long question, or only articles in
    another script with no translation of the question into theirs).

    An article in another script than the question is compared with the names of the question's
    `translations` ({language: text}) in its script: "木村花哪年出道的" answered from an article on
    Van Halen, whose translation asks of someone that article never names. A Latin name the
    question writes as-is ("Anthropic") still counts when a Chinese article writes it the same way.
    """
    constraints = question_constraints(question, known_sources)
    if constraints.sources or not _short(question):
        return None  # a long or multi-report question: left to the checks after generation
    names = _telling(constraints.entities)
    if not names and not translations:
        return None
    question_is_han = bool(HAN_CHAR.search(question))
    verdicts = []
    for text in texts:
        verdict = names_subject(names, text, question_is_han=question_is_han) if names else None
        if verdict is None and _mostly_han(text) != question_is_han:
            verdict = _names_translated_subject(names, text, translations or {}, known_sources)
        verdicts.append(verdict)
    if any(v is True for v in verdicts):
        return True
    return False if any(v is False for v in verdicts) else None


def _names_translated_subject(
    names: Sequence[tuple[str, ...]],
    text: str,
    translations: Mapping[str, str],
    known_sources: Iterable[str],
) -> bool | None:
    """`names_subject` for an article in another script than the question: True when it writes one
    of the question's Latin names as-is, else the verdict on the names of the question's translation
    into the article's script (None without one, or when that translation names nothing)."""
    text_is_han = _mostly_han(text)
    latin = [n for n in names if not HAN_CHAR.search(" ".join(n))]
    if text_is_han and any(entities_stated_in(latin, text)):
        return True
    translated = next((t for t in translations.values() if t and _mostly_han(t) == text_is_han), None)
    if translated is None:
        return None
    theirs = subject_names(translated, known_sources)
    return names_subject(theirs, text, question_is_han=bool(HAN_CHAR.search(translated))) if theirs else None


def _mostly_han(text: str) -> bool:
    """Chinese text (more Han characters than Latin letters)."""
    han = len(HAN_CHAR.findall(text))
    return han > len(re.findall(r"[A-Za-z]", text))


def uncovered_names(
    question: str,
    passages: Sequence[Passage],
    get_articles: GetArticles,
    language: str,
    known_sources: Iterable[str] = (),
) -> list[tuple[str, ...]]:
    """The question's names that no retrieved article in the question's own `language` states.

    A name that only the corpus's other languages state ("Jimmy Lai" of an English question, when
    only Chinese articles tell of 黎智英) is what a translated search can find; when every name is
    stated in the question's language, the articles the question is about are there already.
    """
    # "TechCrunch" is a source, not a subject
    names = _telling(question_constraints(question, known_sources).entities)
    own = [p for p in passages if (p.language or "").split("-")[0].lower() == language]
    if not names or not own:
        return names
    stated = [False] * len(names)
    for text in article_texts(own, get_articles).values():
        stated = [a or b for a, b in zip(stated, entities_stated_in(names, text), strict=True)]
    return [n for n, found in zip(names, stated, strict=True) if not found]


def needs_translation(
    question: str,
    passages: Sequence[Passage],
    get_articles: GetArticles,
    language: str,
    known_sources: Iterable[str] = (),
) -> bool:
    """Whether searching the question's translation may find what the question's own language lacks:
    a short question (at most MAX_QUESTION_WORDS) with a name no retrieved article in its language
    states. A long multi-report question is not translated: its translation takes 7-13 s on two cores,
    and on the tuning half it changed none of 43 such questions' hits (`bench/crosslingual_bench.py
    --sets seed news nearmiss multihop-rag --split tune --gated-only`)."""
    return _short(question) and bool(
        uncovered_names(question, passages, get_articles, language, known_sources)
    )
