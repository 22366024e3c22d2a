"""The assistant and the corpus stats, loaded in the background so the page is usable at once, and
the slots that decide how many questions are answered at the same time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Protocol

from rag.models import Answer, Filters, Sources
from ui.html import esc
from ui.inputs import UserFacingError

log = logging.getLogger(__name__)


class AssistantLike(Protocol):
    def ask(
        self, question: str, filters: Filters | None = None, history: Any = None, as_of: date | None = None
    ) -> Answer: ...

    def stream(
        self, question: str, filters: Filters | None = None, history: Any = None, as_of: date | None = None
    ) -> Iterator[Sources | str | Answer]: ...


def index_missing(exc: BaseException) -> bool:
    from index.store import IndexNotFoundError  # lazy: keeps importing the UI light

    return isinstance(exc, IndexNotFoundError)


class AnswerSlots:
    """At most `capacity` answers at once (one for an in-process model); `exclusive()` waits for all
    of them to finish and holds new ones back, for work that changes what they read (ingest, refresh)."""

    def __init__(self, capacity: int = 1) -> None:
        self.capacity = max(1, capacity)
        self._free = threading.BoundedSemaphore(self.capacity)
        self._exclusive = threading.Lock()

    def try_acquire(self) -> bool:
        return self._free.acquire(blocking=False)

    def acquire(self) -> None:
        self._free.acquire()

    def release(self) -> None:
        self._free.release()

    @contextmanager
    def shared(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._exclusive:  # two exclusive holders would each take half the slots and wait forever
            for _ in range(self.capacity):
                self._free.acquire()
            try:
                yield
            finally:
                for _ in range(self.capacity):
                    self._free.release()


class AssistantLoader:
    """Opens the assistant once, in a background thread; `slots` limit how many questions it answers
    at once, whichever event (chat, example, API) asks."""

    def __init__(self, factory: Callable[[], AssistantLike], capacity: int = 1) -> None:
        self._factory = factory
        self._state_lock = threading.Lock()
        self.slots = AnswerSlots(capacity)
        self._assistant: AssistantLike | None = None
        self.state = "idle"  # idle | loading | ready | no_index | failed
        self.detail = ""
        self._started = 0.0
        self.load_s = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._state_lock:
            if self.state == "loading":
                return
            self.state, self.detail, self._started = "loading", "", time.monotonic()
        self._thread = threading.Thread(target=self._load, name="newsrag-assistant-loader", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> str:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state

    def _load(self) -> None:
        try:
            assistant = self._factory()
        except Exception as exc:
            missing = index_missing(exc)
            if not missing:
                log.exception("could not open the assistant")
            with self._state_lock:
                self.state = "no_index" if missing else "failed"
                self.detail = str(exc) if missing else f"{type(exc).__name__}: {exc}"
            return
        with self._state_lock:
            self._assistant, self.state = assistant, "ready"
            self.load_s = time.monotonic() - self._started
        log.info("assistant ready in %.1f s", self.load_s)

    def current(self) -> AssistantLike | None:
        """The assistant if it is loaded, else None (never waits)."""
        return self._assistant if self.state == "ready" else None

    def get(self) -> AssistantLike:
        """The assistant, or a UserFacingError saying why there is none yet."""
        if self.state == "ready" and self._assistant is not None:
            return self._assistant
        raise UserFacingError(self.message())

    def message(self) -> str:
        if self.state == "ready":
            return f"Model ready (loaded in {self.load_s:.1f} s)."
        if self.state == "loading":
            waited = time.monotonic() - self._started
            return f"The model is still loading ({waited:.0f} s so far); please ask again in a moment."
        if self.state == "no_index":
            return (
                "There is no index yet. Add articles under “Corpus” (JSONL, HTML or text files), "
                f"or build one with `newsrag ingest`. ({self.detail})"
            )
        if self.state == "failed":
            return f"The model could not be loaded: {self.detail}"
        return "The model has not been started."

    def status_html(self) -> str:
        css = {"ready": "nr-ok", "loading": "nr-busy"}.get(self.state, "nr-warn")
        return f'<div class="nr-model {css}">{esc(self.message())}</div>'

    def after_ingest(self, stored: int) -> None:
        """New articles: (re)open when there was no usable assistant, else let it notice the change."""
        if self.state in ("no_index", "failed", "idle"):
            self.start()
        elif self.state == "ready" and stored:
            refresh = getattr(self._assistant, "refresh", None)
            if callable(refresh):
                with self.slots.exclusive():
                    refresh()


class CorpusStatus:
    """The index's stats, computed once and again after each ingest (not on every page load)."""

    def __init__(self, stats_fn: Callable[[], dict]) -> None:
        self._stats_fn = stats_fn
        self._lock = threading.Lock()
        self._cached: tuple[dict | None, str] | None = None

    def get(self) -> tuple[dict | None, str]:
        with self._lock:
            if self._cached is None:
                try:
                    self._cached = (self._stats_fn(), "")
                except Exception as exc:
                    if not index_missing(exc):
                        log.exception("could not read index stats")
                    problem = (
                        f"No index yet: add articles below, or run `newsrag ingest`. ({exc})"
                        if index_missing(exc)
                        else str(exc)
                    )
                    self._cached = (None, problem)
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None
