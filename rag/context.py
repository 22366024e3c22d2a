"""Choose the few passages the generator reads, and the metadata facts it should not guess.

Few passages keep the small model focused and the prompt fast; for before/after questions the
publication order comes from metadata, stated outright, instead of being left to the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from index.calendar import publication_date, publication_moment
from rag.models import Passage

_ORDERING = re.compile(
    r"\b(before|after|earlier|later|first|prior to|preceded|followed|sooner|latest|most recent)\b|之前|之后|先|后|早于|晚于",
    re.IGNORECASE,
)


class ContextSelector:
    """Keeps the best `n` passages, at most two from one article so that two-article questions see both."""

    def __init__(self, n: int, per_article: int) -> None:
        self.n = n
        self.per_article = per_article

    def run(self, question: str, passages: Sequence[Passage]) -> list[Passage]:
        chosen: list[Passage] = []
        per_article: dict[str, int] = {}
        for p in passages:
            if per_article.get(p.article_id, 0) >= self.per_article:
                continue
            chosen.append(p)
            per_article[p.article_id] = per_article.get(p.article_id, 0) + 1
            if len(chosen) == self.n:
                break
        return chosen


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
