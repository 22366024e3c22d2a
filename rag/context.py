"""Choose the few passages the generator reads, and the metadata facts it should not guess.

Few passages keep the small model focused and the prompt fast; for before/after questions the
publication order comes from metadata, stated outright, instead of being left to the model.
Reading the prompt is nearly all of an answer's time on a CPU (docs/scale.md), so each passage can
be cut to a window around its sentences that matter (`SentenceWindows`, NEWSRAG_CONTEXT_MODE=windows;
off by default until its accuracy is measured against whole chunks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np

from index.calendar import publication_date, publication_moment
from index.chunking import annotate
from index.sentences import sentence_spans
from rag.bm25 import tokenize
from rag.evidence import not_evidence
from rag.models import Passage

EmbedFn = Callable[[list[str]], np.ndarray]  # texts -> unit-norm vectors, one row each

_ORDERING = re.compile(
    r"\b(before|after|earlier|later|first|prior to|preceded|followed|sooner|latest|most recent)\b|之前|之后|先|后|早于|晚于",
    re.IGNORECASE,
)


class ContextSelector:
    """Keeps the best `n` passages, at most two from one article so that two-article questions see both,
    and one copy of a syndicated story: its other outlets' copies would only repeat it (the
    citation names them instead, rag.syndication).

    A passage scoring under `min_ratio` x the best passage's score is left out: it is about something
    else, and such fillers change as the corpus grows, moving the small generator's answers with them
    (issue 19; the ratio's fit is in rag/settings.py).
    """

    def __init__(
        self, n: int, per_article: int, one_copy_per_story: bool = True, min_ratio: float = 0.0
    ) -> None:
        self.n = n
        self.one_copy_per_story = one_copy_per_story
        self.per_article = per_article
        self.min_ratio = min_ratio

    def run(self, question: str, passages: Sequence[Passage]) -> list[Passage]:
        chosen: list[Passage] = []
        per_article: dict[str, int] = {}
        copy_of: dict[str, str] = {}  # syndicated group -> the article chosen for it
        best = max((p.score for p in passages), default=0.0)
        floor = self.min_ratio * best if best > 0 else float("-inf")
        for p in passages:
            if p.score < floor:
                continue
            group = (p.group if self.one_copy_per_story else "") or p.article_id
            if copy_of.setdefault(group, p.article_id) != p.article_id:
                continue
            if per_article.get(p.article_id, 0) >= self.per_article:
                continue
            chosen.append(p)
            per_article[p.article_id] = per_article.get(p.article_id, 0) + 1
            if len(chosen) == self.n:
                break
        return chosen


class SentenceWindows:
    """Cuts each passage to one window: its `best` highest-scoring sentences, each with its better
    neighbour, and whatever lies between them.

    A sentence scores its cosine to the question (the index's multilingual embedding, so an English
    question finds its Chinese sentence) plus `lexical_weight` x the share of the question's terms it
    contains (names and numbers that embeddings blur). Questions, bylines and captions never count
    as best (`rag.evidence`), though they may be a neighbour. The window is a Passage of the same
    chunk whose text is the verbatim article text it covers, with its own offsets and dates, so that
    quotes and citations stay exact; one window per chunk keeps chunk ids unique.
    """

    def __init__(
        self,
        embed: EmbedFn,
        best: int = 2,
        neighbours: bool = True,
        lexical_weight: float = 0.5,
        cache_size: int = 512,
    ) -> None:
        self._embed = embed
        self.best = best
        self.neighbours = neighbours
        self.lexical_weight = lexical_weight
        self._vectors: dict[str, np.ndarray] = {}  # chunk id -> its sentence vectors (chunks recur)
        self._cache_size = cache_size

    def run(self, question: str, passages: Sequence[Passage]) -> list[Passage]:
        """The passages in the same order, each cut to its window (short ones are kept whole)."""
        split = [sentence_spans(p.text) for p in passages]
        if all(len(spans) < 2 for spans in split):
            return list(passages)
        q_vec = self._embed([question])[0]
        q_terms = set(tokenize(question, query=True))
        out = []
        for p, spans in zip(passages, split, strict=True):
            if len(spans) < 2:
                out.append(p)
                continue
            scores = self._scores(p, spans, q_vec, q_terms)
            lo, hi = self._window(p, spans, scores)
            out.append(_cut(p, spans[lo][0], spans[hi][1]))
        return out

    def _scores(
        self, p: Passage, spans: list[tuple[int, int]], q_vec: np.ndarray, q_terms: set[str]
    ) -> np.ndarray:
        texts = [p.text[s:e] for s, e in spans]
        vecs = self._vectors.get(p.chunk_id)
        if vecs is None or len(vecs) != len(texts):
            vecs = self._embed(texts)
            if len(self._vectors) >= self._cache_size:
                self._vectors.clear()
            self._vectors[p.chunk_id] = vecs
        dense = vecs @ q_vec
        if not q_terms:
            return dense
        lexical = np.array([len(q_terms & set(tokenize(t))) / len(q_terms) for t in texts])
        return dense + self.lexical_weight * lexical

    def _window(self, p: Passage, spans: list[tuple[int, int]], scores: np.ndarray) -> tuple[int, int]:
        """First and last sentence index of the window."""
        candidates = [i for i in range(len(spans)) if not_evidence(p.text[spans[i][0] : spans[i][1]]) is None]
        ranked = sorted(candidates or range(len(spans)), key=lambda i: (-scores[i], i))[: self.best]
        chosen = set(ranked)
        if self.neighbours:
            for i in ranked:
                near = [j for j in (i - 1, i + 1) if 0 <= j < len(spans)]
                chosen.add(max(near, key=lambda j: (scores[j], -j)))  # the better one; ties: the earlier
        return min(chosen), max(chosen)


def _cut(p: Passage, start: int, end: int) -> Passage:
    """The part `p.text[start:end]` as a Passage of its own: article offsets, dates inside it."""
    lo, hi = p.start + start, p.start + end
    dates = tuple(d for d in p.dates if lo <= d.start and d.end <= hi)
    local = [replace(d, start=d.start - p.start, end=d.end - p.start) for d in dates]
    return replace(
        p,
        text=p.text[start:end],
        start=lo,
        end=hi,
        dates=dates,
        annotated_text=annotate(p.text, local, start, end),
    )


def ordering_notes(question: str, passages: Sequence[Passage]) -> list[str]:
    """For questions about order in time, state the passages' publication order from metadata."""
    if not _ORDERING.search(question):
        return []
    dated: list[tuple[datetime, int, Passage]] = []
    seen: set[str] = set()
    for n, p in enumerate(passages, start=1):
        moment = publication_moment(p.published_at)
        if moment is None or p.article_id in seen:
            continue
        seen.add(p.article_id)
        dated.append((moment, n, p))
    if len(dated) < 2:
        return []
    dated.sort(key=lambda x: (x[0], x[1]))  # instants (UTC), so reports from different time zones order right
    order = ", then ".join(f"[{n}] {p.source or p.title} ({_local_day(p)})" for _, n, p in dated)
    return [f"Publication order, earliest first: {order}."]


def _local_day(p: Passage) -> str:
    """The publication day as the article's own time zone has it (what its dateline says)."""
    day = publication_date(p.published_at)
    return day.isoformat() if day else ""
