"""Whether a word is an ordinary English word, by the word lists the `english-words` package ships.

Used to tell a source's short name that is also a common word ("The Age", "The Verge", "Fortune")
from a coined one ("TechCrunch", "Engadget"): only the first needs a capital to name the source.
Why a packaged list: offline, no model, and a news corpus's own text cannot say which words are
ordinary without reading every article. The lists (Webster's Second, GCIDE; MIT licence) load once,
lazily (~0.1 s, ~260k words).
"""

from __future__ import annotations

from functools import cache


@cache
def _words() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


def is_english_word(word: str) -> bool:
    """`word` (any case) is in the English word lists: "age", "verge", "wired"; not "techcrunch"."""
    return word.casefold() in _words()
