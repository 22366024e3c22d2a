""" "Also reported by ...": the other outlets' copies of a cited article (index.syndication groups them).

Answering keeps one copy of a syndicated story in the context (rag.context); the citation then names
the others, read from the article records' `dup_group`, so a reader sees how widely it ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rag.models import Citation, OtherReport

_COMPLETE = "complete"


class AlsoReportedBy:
    """Adds the other outlets' copies to each citation; one public method, `run`.

    `index` is an `index.store.NewsIndex` (its `articles` collection of article records is read); an
    index without one (a retrieval test double) names no copies.
    """

    def __init__(self, index: Any, limit: int = 8) -> None:
        self._records = getattr(index, "articles", None)
        self._limit = limit

    def run(self, citations: Sequence[Citation]) -> list[Citation]:
        """The citations, each with `also_reported_by` filled (other sources only, oldest first)."""
        if not citations or self._records is None:
            return list(citations)
        cited = list(dict.fromkeys(c.article_id for c in citations))
        got = self._records.get(ids=cited, include=["metadatas"])
        groups = {
            article_id: str((meta or {}).get("dup_group") or "")
            for article_id, meta in zip(got["ids"], got["metadatas"], strict=True)
        }
        wanted = sorted({g for g in groups.values() if g})
        if not wanted:
            return list(citations)
        where = {"dup_group": wanted[0]} if len(wanted) == 1 else {"dup_group": {"$in": wanted}}
        members = self._records.get(where=where, include=["metadatas"])
        by_group: dict[str, list[OtherReport]] = {}
        for article_id, meta in zip(members["ids"], members["metadatas"], strict=True):
            meta = meta or {}
            if meta.get("status") != _COMPLETE:
                continue
            by_group.setdefault(str(meta.get("dup_group")), []).append(
                OtherReport(
                    article_id=article_id,
                    source=str(meta.get("source") or ""),
                    title=str(meta.get("title") or ""),
                    url=str(meta.get("url") or ""),
                    published_at=str(meta.get("published_at") or "") or None,
                )
            )
        out = []
        for c in citations:
            others = [
                o
                for o in by_group.get(groups.get(c.article_id, ""), [])
                if o.article_id != c.article_id and o.source.casefold() != c.source.casefold()
            ]
            others.sort(key=lambda o: (o.published_at or "9999", o.source))
            first: dict[str, OtherReport] = {}  # one report per outlet, its earliest
            for o in others:
                first.setdefault(o.source.casefold(), o)
            picked = tuple(first.values())[: self._limit]
            out.append(replace(c, also_reported_by=picked) if picked else c)
        return out


__all__ = ["AlsoReportedBy"]
