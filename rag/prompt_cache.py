"""A persistent cache of the generator's replies, keyed by the exact prompt and the model.

Generation is greedy (temperature 0), so the same prompt to the same model gives the same reply.
Evaluation reruns that change only what happens after generation (citation checks, abstention
rules) then cost retrieval time instead of minutes of prompt processing. Off by default
(`NEWSRAG_PROMPT_CACHE_DIR`); stdlib sqlite, safe across threads and processes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any


class PromptCache:
    """Maps (model, kind, prompt) to a JSON value."""

    def __init__(self, directory: Path, model_id: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._model = model_id
        self._lock = threading.Lock()
        self._db = sqlite3.connect(directory / "prompts.sqlite3", check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.commit()

    def _key(self, kind: str, prompt: str) -> str:
        return hashlib.sha256(f"{self._model}\x00{kind}\x00{prompt}".encode()).hexdigest()

    def get(self, kind: str, prompt: str) -> Any | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM replies WHERE key = ?", (self._key(kind, prompt),)
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, kind: str, prompt: str, value: Any) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO replies (key, value) VALUES (?, ?)",
                (self._key(kind, prompt), json.dumps(value, ensure_ascii=False)),
            )
            self._db.commit()
