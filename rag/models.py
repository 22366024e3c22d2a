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
        }
