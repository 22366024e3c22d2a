"""FilterHint: a filter that matches no article says which part and names what the index holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from rag.filter_hint import NO_MATCH, FilterHint
from rag.models import Filters, Passage


@dataclass
class _Keywords:
    published_days: np.ndarray = field(
        default_factory=lambda: np.array([20150723, 0, 20190104, 20201231], dtype=np.int32)
    )


@dataclass
class FakeRetriever:
    known_sources: list[str] = field(
        default_factory=lambda: ["China Daily", "English Wikinews", "The New York Times", "Reuters"]
    )
    known_languages: list[str] = field(default_factory=lambda: ["en", "zh"])
    bm25: _Keywords = field(default_factory=_Keywords)


HINT = FilterHint(FakeRetriever())


def test_an_unknown_source_is_named_with_the_closest_ones():
    text = HINT.run(Filters(sources=("Nope Times",)), [])
    assert text is not None and text.startswith(NO_MATCH)
    assert "no source is called 'Nope Times'" in text and "The New York Times" in text
    text = HINT.run(Filters(sources=("china daly",)), [])
    assert text is not None and "closest sources: China Daily" in text
    text = HINT.run(Filters(sources=("Zzzz",)), [])
    assert text is not None and "`newsrag stats` lists them" in text


def test_unknown_language_and_dates_outside_the_index_are_explained():
    text = HINT.run(Filters(languages=("fr",)), [])
    assert text == f"{NO_MATCH}: no article is in 'fr' (languages in the index: en, zh)."
    text = HINT.run(Filters(since=date(2030, 1, 1)), [])
    assert text == (
        f"{NO_MATCH}: nothing was published since 2030-01-01; the index covers 2015-07-23 to 2020-12-31."
    )
    text = HINT.run(Filters(until=date(2001, 1, 1)), [])
    assert text is not None and "nothing was published until 2001-01-01" in text


def test_a_combination_that_excludes_everything_names_every_part():
    text = HINT.run(Filters(sources=("China Daily",), since=date(2016, 1, 1)), [])
    assert text == (
        f"{NO_MATCH}: no article has source 'China Daily' and a publication date since 2016-01-01; "
        "widen one of them."
    )


def test_no_hint_without_a_filter_or_when_something_was_retrieved():
    passage = Passage(chunk_id="a:0", article_id="a", text="t", start=0, end=1, score=0.5)
    assert HINT.run(None, []) is None
    assert HINT.run(Filters(), []) is None
    assert HINT.run(Filters(sources=("Nope Times",)), [passage]) is None
    # one of the requested sources exists: the sources are not what excluded everything
    text = HINT.run(Filters(sources=("Nope Times", "Reuters"), since=date(2030, 1, 1)), [])
    assert text is not None and "nothing was published since 2030-01-01" in text
