"""What the answering side returns: an Answer with its Citations and retrieved Passages.

Defined once, here; `eval` and `app.py` read these, nobody redefines them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from index.models import ResolvedDate

ABSTAIN_TEXT = "Insufficient information."


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some sources, languages or a publication date range (inclusive)."""

    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def is_empty(self) -> bool:
        return not (self.sources or self.languages or self.since or self.until)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its article metadata and the score that ranked it."""

    chunk_id: str
    article_id: str
    text: str
    start: int
    end: int
    score: float
    title: str = ""
    source: str = ""
    url: str = ""
    published_at: str | None = None
    language: str = ""
    annotated_text: str = ""
    dates: tuple[ResolvedDate, ...] = ()  # resolved relative dates, offsets into the article body
    group: str = ""  # syndicated-copy group (index.syndication); "" or the article id when it has no copies


@dataclass(frozen=True)
class OtherReport:
    """Another outlet's copy of a cited article (the same syndicated story)."""

    article_id: str
    source: str
    title: str = ""
    url: str = ""
    published_at: str | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered citation: `quote == article body[start:end]`, verified after generation."""

    n: int
    article_id: str
    title: str
    source: str
    url: str
    published_at: str | None
    quote: str
    start: int
    end: int
    chunk_id: str = ""
    support: float = 0.0
    also_reported_by: tuple[OtherReport, ...] = ()  # copies of the same story from other outlets


@dataclass(frozen=True)
class SearchedDates:
    """Which publication dates a question's time words ("last week", "上周", "latest") made it search.

    Resolved against `as_of`, the day of the question. `since`/`until` bound the search (inclusive)
    unless `applied` is False (an explicit date filter took precedence); `recency` means recent
    articles were preferred.
    """

    as_of: date
    phrases: tuple[str, ...]
    since: date | None = None
    until: date | None = None
    recency: bool = False
    applied: bool = True

    def describe(self) -> str:
        """One sentence for people: "Searched articles published 2024-04-29 to 2024-05-05 ..."."""
        said = ", ".join(f'"{p}"' for p in self.phrases)
        parts = []
        if self.since or self.until:
            if self.since == self.until:
                span = f"on {self.since}"
            else:
                span = f"{self.since or 'any date'} to {self.until or 'any date'}"
            parts.append(
                f"Searched articles published {span}"
                if self.applied
                else f"The question's dates ({span}) were not applied: the date filter given was used instead"
            )
        if self.recency:
            parts.append(
                "preferred the most recent articles" if parts else "Preferred the most recent articles"
            )
        return f"{'; '.join(parts)} ({said}, as of {self.as_of})."

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "phrases": list(self.phrases),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "recency": self.recency,
            "applied": self.applied,
        }


@dataclass(frozen=True)
class Sources:
    """Streamed before the answer text: what retrieval found, so a reader sees sources at once.

    `context` is what the generator reads (the final answer cites a subset of it); `retrieved` is the
    whole ranked list. An empty context means the answer will be an abstention.
    """

    context: tuple[Passage, ...]
    retrieved: tuple[Passage, ...]
    elapsed_ms: float = 0.0


@dataclass
class Answer:
    """The reply to one question, with everything needed to check it."""

    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""
    notes: list[str] = field(default_factory=list)
    searched_dates: SearchedDates | None = None  # what "last week" etc. in the question resolved to

    def to_json(self, question_id: str | None = None) -> dict:
        """The CLI's `--json` record (one object per question)."""
        return {
            "id": question_id,
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [
                {k: v for k, v in asdict(c).items() if k not in ("support",)} for c in self.citations
            ],
            "retrieved": [
                {
                    "article_id": p.article_id,
                    "chunk_id": p.chunk_id,
                    "text": p.text,
                    "score": round(p.score, 4),
                    "published_at": p.published_at,
                    "source": p.source,
                    "title": p.title,
                }
                for p in self.retrieved
            ],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "searched_dates": self.searched_dates.to_json() if self.searched_dates else None,
        }
