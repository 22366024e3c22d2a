"""Why a filter matched no article, and the names in the index the user probably meant.

A filter that excludes every article makes retrieval return nothing at once; without a hint the
user only sees "Insufficient information." and cannot tell a typo from a real gap in the corpus.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date
from typing import Protocol

import numpy as np

from index.language import normalize_language
from rag.models import Filters, Passage

NO_MATCH = "No article matches the filter"  # every hint starts so; the CLI and UI look for it


class _Keywords(Protocol):
    published_days: np.ndarray  # int YYYYMMDD per chunk, 0 when unknown


class IndexFacts(Protocol):
    """What the retriever knows about the index (HybridRetriever has all three)."""

    known_sources: list[str]
    known_languages: list[str]
    bm25: _Keywords


class FilterHint:
    """Explains an empty filtered retrieval; `None` when the filter is not the reason."""

    def __init__(self, facts: IndexFacts, suggestions: int = 3) -> None:
        self._facts = facts  # read at each call: the retriever's lists change after an ingest
        self._suggestions = suggestions

    def run(self, filters: Filters | None, retrieved: Sequence[Passage]) -> str | None:
        if filters is None or filters.is_empty() or retrieved:
            return None
        for reason in (self._sources, self._languages, self._dates):
            text = reason(filters)
            if text:
                return f"{NO_MATCH}: {text}"
        return f"{NO_MATCH}: no article has {_describe(filters)}; widen one of them."

    def _sources(self, filters: Filters) -> str | None:
        known = self._facts.known_sources
        folded = {s.casefold().strip() for s in known}
        unknown = [s for s in filters.sources if s.casefold().strip() not in folded]
        if not unknown or len(unknown) < len(filters.sources):
            return None  # at least one requested source exists: the sources are not the problem
        closest = self._closest(unknown, known)
        names = ", ".join(f"'{s}'" for s in unknown)
        hint = f"closest sources: {', '.join(closest)}" if closest else "`newsrag stats` lists them"
        return f"no source is called {names} ({hint})."

    def _closest(self, wanted: Sequence[str], known: Sequence[str]) -> list[str]:
        by_fold = {k.casefold(): k for k in known}
        found: list[str] = []
        for name in wanted:
            key = name.casefold().strip()
            found += [k for f, k in by_fold.items() if key and (key in f or f in key)]
            found += [by_fold[f] for f in difflib.get_close_matches(key, list(by_fold), n=5, cutoff=0.5)]
        return list(dict.fromkeys(found))[: self._suggestions]

    def _languages(self, filters: Filters) -> str | None:
        known = self._facts.known_languages
        have = {normalize_language(k) or k for k in known}
        if not filters.languages or any((normalize_language(x) or x) in have for x in filters.languages):
            return None
        names = ", ".join(f"'{x}'" for x in filters.languages)
        return f"no article is in {names} (languages in the index: {', '.join(sorted(known)) or 'none'})."

    def _dates(self, filters: Filters) -> str | None:
        days = np.asarray(self._facts.bm25.published_days)
        days = days[days > 0]
        if not (filters.since or filters.until):
            return None
        if filters.since and filters.until and filters.since > filters.until:
            return f"the date range is empty ({filters.since} is after {filters.until})."
        if days.size == 0:
            return "no article in the index has a publication date."
        first, last = _date(int(days.min())), _date(int(days.max()))
        if (filters.since and filters.since > last) or (filters.until and filters.until < first):
            return f"nothing was published {_range(filters)}; the index covers {first} to {last}."
        return None


def _date(day: int) -> date:
    return date(day // 10000, day // 100 % 100, day % 100)


def _range(filters: Filters) -> str:
    if filters.since and filters.until:
        return f"between {filters.since} and {filters.until}"
    return f"since {filters.since}" if filters.since else f"until {filters.until}"


def _describe(filters: Filters) -> str:
    parts = []
    if filters.sources:
        parts.append("source " + " or ".join(f"'{s}'" for s in filters.sources))
    if filters.languages:
        parts.append("language " + " or ".join(f"'{x}'" for x in filters.languages))
    if filters.since or filters.until:
        parts.append(f"a publication date {_range(filters)}")
    return " and ".join(parts)
