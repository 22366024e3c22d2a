"""Give a question typed in lower case the capitals its names have in the retrieved articles.

People type "when did aliyun open its first us data center" or "what did hosni mubarak die of". The
checks that keep answers on the question's subject find names by their capitals (`rag.constraints`:
the subject filter, the translation gate, the cited-subject rule), so a lower-case question had none
and skipped them all. Once the question's passages are retrieved, each run of the question's words
that those passages write as a name of its own (capitalised, with no capitalised word beside it), in
mid-sentence and nearly every time, is given that spelling: "aliyun" -> "Aliyun", "hosni mubarak"
-> "Hosni Mubarak", "us department of justice" -> "US Department of Justice". "new" stays lower case
though the passages say "New York": there it is part of a longer name. Only a question with no
capital after its first letter is changed: one typed with capitals already says what its names are.

Why not a truecasing model: none ships on PyPI with its weights, and the retrieved passages are the
best evidence of how this corpus writes the names the question means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.cjk import HAN_CHAR
from rag.constraints import DATE_WORDS, NOT_NAMES
from rag.english_words import is_english_word

_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Words that may stay lower case inside a name ("Court of Session", "Bill de Blasio").
_LINKS = frozenset("of de del der van von la le da du di al bin and the for on".split())
# A word right after the start of a text, a line break, an end of sentence, a colon or an opening
# quote is capitalised whatever it is; such places tell nothing.
_OPENING = re.compile(r"(?:^|[.!?:;]\s*|\n\s*|[\"“‘(]\s*)$")
LONGEST_NAME = 4  # words
# Question and function words are never respelled ("What" opening a quoted headline); months and
# weekdays are: English writes them with a capital, as the question would have.
_KEEP = NOT_NAMES - DATE_WORDS
_AUXILIARIES = frozenset("is are was were do does did has have had can could will would should".split())
# Set, not fitted: a run is read as a name when at least this share of its mid-sentence occurrences
# in the passages are that name.
MIN_AS_NAME = 0.8


@dataclass(frozen=True)
class _Token:
    text: str
    folded: str
    opening: bool  # sentence-initial: its capital says nothing
    joined: bool  # only spaces between it and the word before (no comma, no full stop)

    @property
    def capital(self) -> bool:
        return self.text[0].isupper()


def typed_in_lower_case(question: str) -> bool:
    """Latin letters and no capital after the first character ("when did aliyun ..." or "When did aliyun
    ..."), but in the acronyms of an English question: "was k2-18b first discovered by nasa's TESS
    telescope?" typed its names in lower case all the same (a Chinese question's Latin words are
    mostly such acronyms, "RIAA还起诉了youtube-dl的开发者？", and stay as typed)."""
    if not _WORD.search(question):
        return False
    if not any(c.isupper() for c in question[1:]):
        return True
    if HAN_CHAR.search(question):
        return False
    words = [m.group(0) for m in _WORD.finditer(question)]
    # each word in lower case, in capitals (an acronym), or the question's first word capitalised
    return all(w.islower() or w.isupper() or (i == 0 and w[1:].islower()) for i, w in enumerate(words))


def truecase(question: str, texts: Iterable[str]) -> str:
    """`question` with each run of its words that `texts` write as a name spelled as they write it;
    a question that has capitals already is returned unchanged."""
    if not typed_in_lower_case(question):
        return question
    words = list(_WORD.finditer(question))
    asked = {w.group(0).casefold() for w in words}
    # where each of the question's words occurs in the texts: (that text's tokens, position)
    found: dict[str, list[tuple[list[_Token], int]]] = {}
    for tokens in map(_tokens, texts):
        for i, token in enumerate(tokens):
            if token.folded in asked:
                found.setdefault(token.folded, []).append((tokens, i))
    spelled: dict[int, str] = _acronyms(words, found)  # question word index -> its spelling
    for n in range(min(LONGEST_NAME, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            if any(k in spelled for k in range(i, i + n)):
                continue
            run = tuple(w.group(0).casefold() for w in words[i : i + n])
            if run[0] in _LINKS or run[-1] in _LINKS or all(w in _KEEP for w in run):
                continue  # "What" opening a quoted headline is not a name
            if (name := _as_name(run, found.get(run[0], []))) is not None:
                spelled.update({i + k: name[k] for k in range(n)})
    if not spelled:
        return question
    out, at = [], 0
    for k, m in enumerate(words):
        if k in spelled:
            out += [question[at : m.start()], spelled[k]]
            at = m.end()
    out.append(question[at:])
    return "".join(out)


def _acronyms(words: list[re.Match[str]], found: dict[str, list[tuple[list[_Token], int]]]) -> dict[int, str]:
    """Question words in a place no question word can take, right after the question's opening
    auxiliary or after "the" ("did who declare ...", "does the who say ..."), that the passages write
    in capitals ("WHO"): there they are the acronym."""
    out: dict[int, str] = {}
    folded = [w.group(0).casefold() for w in words]
    for i in range(1, len(words)):
        if folded[i] not in _KEEP or not ((i == 1 and folded[0] in _AUXILIARIES) or folded[i - 1] == "the"):
            continue
        capitals = [tokens[k].text for tokens, k in found.get(folded[i], []) if tokens[k].text.isupper()]
        if len(folded[i]) > 1 and capitals:
            out[i] = max(set(capitals), key=capitals.count)
    return out


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    end = 0
    for m in _WORD.finditer(text):
        before = text[max(0, m.start() - 3) : m.start()]
        joined = bool(out) and text[end : m.start()].strip(" ") == ""
        out.append(_Token(m.group(0), m.group(0).casefold(), bool(_OPENING.search(before)), joined))
        end = m.end()
    return out


def _surname(run: tuple[str, ...]) -> bool:
    """One word that no English word list holds, ending a longer name: a surname ("babaryka" of "Viktar
    Babaryka", written so once in its article). Ordinary words that end names ("college",
    "headquarters", and so "house" of "White House" or "york" of "New York") are left as typed."""
    return len(run) == 1 and not is_english_word(run[0])


def _as_name(run: tuple[str, ...], starts: list[tuple[list[_Token], int]]) -> tuple[str, ...] | None:
    """How the texts spell `run` when nearly all of its mid-sentence occurrences are a name of its
    own: its words capitalised (links aside), with no capitalised word right before or after it. An
    occurrence inside a longer name ("new" in "New York") counts neither way, unless it is a surname
    ending one (`_surname`); a lower-case one
    ("a new model") counts against. `starts`: where the run's first word occurs."""
    n = len(run)
    named: dict[tuple[str, ...], int] = {}
    lower = 0
    for tokens, i in starts:
        span = tokens[i : i + n]
        if tuple(t.folded for t in span) != run:
            continue
        # a sentence's first word is capitalised anyway; in a run, the words after it still tell
        if span[0].opening and (n == 1 or not all(t.capital or t.folded in _LINKS for t in span[1:])):
            continue
        if not (span[0].capital and all(t.capital or t.folded in _LINKS for t in span)):
            lower += 1
            continue
        before = tokens[i - 1] if i > 0 else None
        after = tokens[i + n] if i + n < len(tokens) else None
        if after and after.joined and after.capital:
            continue  # part of a longer name
        if before and span[0].joined and before.capital and not _surname(run):
            continue  # the end of a longer name ("York" of "New York"), unless a surname
        form = tuple(t.text for t in span)
        named[form] = named.get(form, 0) + 1
    total = sum(named.values())
    if not total or total < MIN_AS_NAME * (total + lower):
        return None
    return max(named, key=lambda f: named[f])
