"""The two records the whole project shares: an Article read from a source and the Chunks cut from it.

Defined once, here; `rag` and `eval` import them from this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from index.calendar import publication_date


@dataclass(frozen=True)
class ResolvedDate:
    """A relative date expression in an article body and the calendar date it means.

    `start`/`end` are character offsets into the article body (the text there is untouched);
    `resolved` is ISO: "2015-03" for a month, "2018-12-31" for a day, "2015" for a year.
    """

    start: int
    end: int
    text: str
    resolved: str


@dataclass(frozen=True)
class Article:
    """One cleaned news article with the metadata read from its source.

    `body` is the cleaned text that chunks, citations and quotes index into.
    `published_at` is ISO 8601 ("2015-07-23T08:26:00+08:00" or "2019-01-04"), or None when unknown.
    `origin` says where it was read from ("path:line") so that reports can point at it.
    """

    id: str
    title: str
    body: str
    source: str = ""
    url: str = ""
    published_at: str | None = None
    language: str = "en"
    author: str = ""
    category: str = ""
    origin: str = ""
    dates: tuple[ResolvedDate, ...] = field(default=(), compare=False)
    # Things a person may want to know about how the article was read (truncated, re-encoded, ...).
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything stored for the article changes; drives re-ingest decisions."""
        h = hashlib.sha256()
        for part in (self.title, self.body, self.source, self.url, self.published_at or "", self.language):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()[:16]

    @property
    def published_date(self) -> date | None:
        """The calendar date of publication in the article's own time zone."""
        return publication_date(self.published_at)


@dataclass(frozen=True)
class Chunk:
    """A passage of an article: `text == article.body[start:end]`, always.

    `annotated_text` is the same passage with resolved dates written beside their expressions
    ("in March [2015-03]"); it is what gets embedded and what the generator reads, while `text`
    stays verbatim for quoting.
    """

    id: str
    article_id: str
    index: int
    text: str
    start: int
    end: int
    annotated_text: str
    dates: tuple[ResolvedDate, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An input item that was not stored, and why, in words a person can act on.

    `origin` is "path" or "path:line"; `reason` is a short code for counting ("malformed_json",
    "empty_body", "binary_file", "undecodable", "duplicate_id", "too_large", ...); `detail` explains.
    """

    origin: str
    reason: str
    detail: str = ""
