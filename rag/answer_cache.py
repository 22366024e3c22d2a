"""Finished answers kept in memory, so a question asked again is answered at once.

People repeat questions (a reload, a colleague, a demo), and generation is greedy, so the same
question over the same index with the same settings gives the same answer. The key holds the index
fingerprint, the question, its filters, the conversation before it and the answering settings; an
ingest changes the fingerprint, and `Assistant.refresh` then drops everything cached.
Why our own: llama-index's caches memoise LLM calls, not a whole verified answer with its sources.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from rag.models import Answer, Filters, Passage


@dataclass(frozen=True)
class CachedAnswer:
    """An answer as it was streamed: the passages shown as sources first, then the final Answer."""

    context: tuple[Passage, ...]
    answer: Answer


def answer_key(
    fingerprint: str,
    question: str,
    filters: Filters | None,
    history: Sequence[dict[str, str]] | None,
    settings_json: str,
    as_of: date | None = None,
) -> str:
    """A digest of everything an answer depends on; the question with its spacing normalised, and the
    day it is asked ("last week" moves with it)."""
    parts = {
        "as_of": as_of.isoformat() if as_of is not None else None,
        "index": fingerprint,
        "question": " ".join(question.split()),
        "filters": asdict(filters) if filters is not None and not filters.is_empty() else None,
        "history": list(history or []),
        "settings": settings_json,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class AnswerCache:
    """A bounded LRU map from `answer_key` to a `CachedAnswer`; `max_entries=0` turns it off.

    Entries are deep copies in and out, so a caller that edits its Answer never changes the cache.
    """

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            self._entries.move_to_end(key)
            return copy.deepcopy(hit)

    def put(self, key: str, context: Sequence[Passage], answer: Answer) -> None:
        if self.max_entries <= 0:
            return
        entry = CachedAnswer(tuple(context), copy.deepcopy(answer))
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
