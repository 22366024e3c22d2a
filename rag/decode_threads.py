"""Decode a reply on every core, and drop to fewer threads for the rest of it when tokens slow down.

A reply (an answer, a question's translation) is decoded one token at a time, each token a pass
over the whole model. On 2 idle cores the 1.5B decodes 11 tokens/s with 2 threads and 6.5 with one
(docs/scale.md), so every core is the faster choice. But llama.cpp's threads spin at barriers, and
when another process wants a core two threads collapse: 0.3-1.3 tokens/s, measured on 2 busy cores,
which is why generation ran on half the cores. `DecodePace` keeps both: it starts a reply on `fast`
threads and watches its tokens' time; when its last `WINDOW` tokens take over `fast / safe` times the
usual token on `fast` threads (the median of the model's earlier replies that were not slowed, else
of this reply's tokens so far), every core is doing worse than half of them would at best: the cores
are contended, and the rest of the reply is decoded on `safe` threads. With a busy loop on one of
the 2 cores (`python bench/decode_threads_bench.py`), 2 threads fixed decode 5.3-6.0 tokens/s, 1
thread 11.2-12.1, this 11.0-11.1; idle, 18.2, 11.3 and 17.5.

The thread count does not change what llama.cpp computes for a token (each output row of a matrix
product is computed whole by one thread): 24 of 24 translations and 12 of 12 answers came out the
same either way (docs/scale.md, "Decoding on every core").
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import deque
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

WINDOW = 3  # tokens averaged before deciding: one slow token is jitter, three are contention
HISTORY = 64  # token times kept from earlier replies for the usual pace


class DecodePace:
    """One reply's decoding threads for a `llama_cpp.Llama`: `fast` until its tokens come slow, then
    `safe`; `close` restores `safe` (what the model's other calls expect).

    Call `tick` each time the reply's stream yields; the caller holds the model's call lock throughout.
    """

    def __init__(
        self,
        llama: Any,
        fast: int,
        safe: int,
        batch: int,
        history: list[float] | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """`history`: token times (s) on `fast` threads from the model's earlier replies that were not
        slowed, shared between replies (`close` adds this reply's), so that a reply slow from its
        first tokens is caught too."""
        self._llama = llama
        self._safe = safe
        self._batch = batch
        self._clock = clock
        self._history = history if history is not None else []
        self._usual = statistics.median(self._history) if self._history else None
        self._tokens: list[float] = []  # this reply's token times on `fast` threads
        self._last: tuple[float, int] | None = None  # (time, tokens in the context) at the last tick
        self._recent: deque[tuple[float, int]] = deque(maxlen=WINDOW)  # (seconds, tokens) per tick
        # Slower than this many times the usual token, every core does worse than half of them would
        # at best: twice the threads decode at most twice as fast.
        self._slowdown = fast / safe
        self.slowed = False  # whether this reply dropped to `safe`
        self._threads = fast
        self._set(fast)

    def tick(self) -> None:
        """Note the tokens decoded since the last tick; drop to `safe` threads if the last `WINDOW` of
        them came slow. The first tick (after the prompt was read) only starts the clock."""
        now, tokens = self._clock(), int(self._llama.n_tokens)
        if self._last is None or self._threads == self._safe:
            self._last = (now, tokens)
            return
        if tokens <= self._last[1]:  # a piece of held-back bytes: no token decoded yet
            return
        seconds, count = now - self._last[0], tokens - self._last[1]
        self._last = (now, tokens)
        self._recent.append((seconds, count))
        self._tokens.extend([seconds / count] * count)
        usual = self._usual if self._usual is not None else statistics.median(self._tokens)
        recent = sum(s for s, _ in self._recent) / sum(n for _, n in self._recent)
        if sum(n for _, n in self._recent) >= WINDOW and recent > self._slowdown * usual:
            log.info(
                "generator: tokens took %.0f ms, %.1fx the usual on %d threads (cores busy?); "
                "decoding the rest on %d thread(s)",
                recent * 1000,
                recent / usual,
                self._threads,
                self._safe,
            )
            self.slowed = True
            self._set(self._safe)

    def close(self) -> None:
        """Back to `safe` threads for the model's next call; an unslowed reply's token times join the
        history."""
        if self._threads != self._safe:
            self._set(self._safe)
        if not self.slowed and self._tokens:
            self._history.extend(self._tokens)
            del self._history[:-HISTORY]

    def _set(self, threads: int) -> None:
        self._threads = threads
        self._llama._ctx.set_n_threads(threads, self._batch)
