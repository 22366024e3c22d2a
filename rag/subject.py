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
from functools import lru_cache

from index.cjk import HAN_CHAR
from index.models import Article
from rag.constraints import entities_stated_in, news_words, question_constraints
from rag.english_words import is_english_word
from rag.models import Passage
from rag.support import without_accents

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


# A word typed in lower case ("what date was bill pulte made acting dni") that no English word list
# holds, in any of its inflections, is a name the user did not capitalise: the checks above find names
# by their capitals, so without this "pulte" names nothing and an answer from an article on a state
# "bill" passed. Words of fewer letters are mostly acronyms and chat ("dni", "ppl"), left out. Both
# lengths here are set by reading such words, not fitted to any gold half (bench/typed_names_check.py).
MIN_TYPED_NAME_LETTERS = 4
_TYPED_WORD = re.compile(r"(?<![\w'’.-])[a-z][a-z'’-]*[a-z](?![\w.-]|\.\w)")
_INFLECTIONS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("ers", ""),
    ("ers", "e"),
    ("er", ""),
    ("er", "e"),
    ("est", ""),
)
# a misspelt word of this length or longer one edit from an English word is a typo ("jornal"); shorter
# ones are as often names one edit from a word ("pulte" ~ "pulse"): those count as names
MIN_TYPO_LETTERS = 6


def typed_names(question: str) -> list[tuple[str, ...]]:
    """The words of a Latin-script question typed in lower case that are names by elimination: no English
    word list holds them, nor their stem ("banned", "bikers"), nor a word one edit away when they are
    long ("jornal"). Words with an apostrophe ("didn't") or hyphen, and chat words ("govt"), are not."""
    if HAN_CHAR.search(question):
        return []
    names: list[tuple[str, ...]] = []
    for match in _TYPED_WORD.finditer(news_words(question)):
        word = re.sub(r"['’]s$", "", match.group(0))
        if len(word) < MIN_TYPED_NAME_LETTERS or re.search(r"['’-]", word) or _ordinary(word):
            continue
        if (word,) not in names:
            names.append((word,))
    return names


def _ordinary(word: str) -> bool:
    """An English word, an inflection of one, or (when long) a misspelling of one."""
    if is_english_word(word):
        return True
    if word.endswith("nt") and is_english_word(word[:-2]):  # "hasnt", "didnt": a contraction
        return True
    if _inflected(word) or _compound(word):
        return True
    return len(word) >= MIN_TYPO_LETTERS and any(is_english_word(w) for w in _one_edit(word))


def _inflected(word: str) -> bool:
    """An inflection of an English word: "spies", "died", "using", "banned" (a doubled last consonant)."""
    for suffix, ending in _INFLECTIONS:
        stem = word[: -len(suffix)]
        if not word.endswith(suffix) or len(stem + ending) < 3:
            continue
        doubled = len(stem) > 3 and stem[-1] == stem[-2]
        if is_english_word(stem + ending) or (doubled and is_english_word(stem[:-1])):
            return True
    return False


def _compound(word: str) -> bool:
    """Two English words of at least three letters written as one, as newer words are ("ceasefire",
    "downfield", "mindset"), the second maybe inflected ("sportsbooks")."""
    return any(
        is_english_word(word[:i]) and (is_english_word(word[i:]) or _inflected(word[i:]))
        for i in range(3, len(word) - 2)
    )


def _one_edit(word: str) -> Iterable[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion (a-z) away from `word`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
            yield from (left + c + right[1:] for c in letters)
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
        yield from (left + c + right for c in letters)


def typed_name_stated(name: tuple[str, ...], text: str) -> bool:
    """Whether `text` writes a typed name, however the user spelt it: accents aside ("matovic" for
    Matovič), sharing its first five letters ("rosselo" for Rosselló), one edit away when it is long,
    or as the initials of a name the text writes ("ihme")."""
    typed = without_accents(name[0].casefold())
    words = _plain_words(text)
    if typed in words or typed in _initials(text):
        return True
    if len(typed) < 5:
        return False
    return any(w.startswith(typed[:5]) for w in words) or (
        len(typed) >= MIN_TYPO_LETTERS and bool(words & set(_one_edit(typed)))
    )


# a run of capitalised words joined by the small words names hold ("Institute for Health Metrics and
# Evaluation"), whose initials a user types for it ("ihme")
_NAME_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:(?:of|for|the|and|on|in)\s+)?[A-Z][\w’'-]*){1,6}")


def _initials(text: str) -> set[str]:
    """The lower-case initials of the names `text` writes: "ihme", "cdc"."""
    found: set[str] = set()
    for match in _NAME_RUN.finditer(text):
        letters = "".join(w[0] for w in match.group(0).split() if w[0].isupper()).casefold()
        found.update(letters[i:j] for i in range(len(letters)) for j in range(i + 2, len(letters) + 1))
    return found


@lru_cache(maxsize=16)
def _plain_words(text: str) -> frozenset[str]:
    """The words of an article, case-folded and without accents: cut once for all of a question's typed
    names, and for both checks that read the same cited articles (the answer check and the verdict)."""
    return frozenset(re.findall(r"[a-z0-9]+", without_accents(text.casefold())))


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
    typed = typed_names(question)
    if not names and not typed and not translations:
        return None
    question_is_han = bool(HAN_CHAR.search(question))
    verdicts = []
    for text in texts:
        verdict = _either(
            names_subject(names, text, question_is_han=question_is_han) if names else None,
            _names_typed_subject(typed, text),
        )
        if verdict is None and _mostly_han(text) != question_is_han:
            verdict = _names_translated_subject(names, typed, text, translations or {}, known_sources)
        verdicts.append(verdict)
    if any(v is True for v in verdicts):
        return True
    return False if any(v is False for v in verdicts) else None


def _either(a: bool | None, b: bool | None) -> bool | None:
    """True when either says so, False when one says so and the other has nothing to say."""
    if a is True or b is True:
        return True
    return False if False in (a, b) else None


def _names_typed_subject(typed: Sequence[tuple[str, ...]], text: str) -> bool | None:
    """Whether an article in Latin script writes one of the question's typed names (None: none typed, or
    a Chinese article, which writes only some foreign names in Latin letters)."""
    if not typed or _mostly_han(text):
        return None
    return any(typed_name_stated(name, text) for name in typed)


def _names_translated_subject(
    names: Sequence[tuple[str, ...]],
    typed: Sequence[tuple[str, ...]],
    text: str,
    translations: Mapping[str, str],
    known_sources: Iterable[str],
) -> bool | None:
    """`names_subject` for an article in another script than the question: True when it writes one
    of the question's Latin names as-is (typed in lower case or not), else the verdict on the names of
    the question's translation into the article's script (None without one, or when that translation
    names nothing)."""
    text_is_han = _mostly_han(text)
    latin = [n for n in names if not HAN_CHAR.search(" ".join(n))]
    if text_is_han and (
        any(entities_stated_in(latin, text)) or any(typed_name_stated(t, text) for t in typed)
    ):
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
    # "TechCrunch" is a source, not a subject. Names typed in lower case (`typed_names`) are not asked
    # about here: searching the translations of round twenty-seven's questions naming them found 1 more
    # right answer and 2 wrong ones in Chinese reports (docs/answering.md, stop 49).
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
