"""Decode a reply on every core, and drop to fewer threads for the rest of it when tokens slow down.

A reply (an answer, a question's translation) is decoded one token at a time, each token a pass
over the whole model. On 2 idle cores the 1.5B decodes 11 tokens/s with 2 threads and 6.5 with one
(docs/scale.md), so every core is the faster choice. But llama.cpp's threads spin at barriers, and
when another process wants a core two threads collapse: 0.3-1.3 tokens/s, measured on 2 busy cores,
which is why generation ran on half the cores. `DecodePace` keeps both: it starts a reply on `fast`
threads and watches each token's time; a token that takes over `SLOWDOWN` times the reply's fastest
one (or than the fastest of the model's earlier replies) means the cores are contended, and the
rest of the reply is decoded on `safe` threads.

The thread count does not change what llama.cpp computes for a token (each output row of a matrix
product is computed whole by one thread): 24 of 24 translations and the CI answers came out the same
either way (docs/scale.md, "Decoding on every core").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# A token this many times slower than the reply's fastest means contended cores. Not fitted: a
# streamed piece can hold 2-3 tokens' bytes (a rare CJK character), so time is counted per token
# decoded, and idle tokens vary by well under 2x, while a collapse is 5-20x.
SLOWDOWN = 3.0


class DecodePace:
    """One reply's decoding threads for a `llama_cpp.Llama`: `fast` until a token comes slow, then
    `safe`; `close` restores `safe` (what the model's other calls expect).

    Call `tick` each time the reply's stream yields; the caller holds the model's call lock throughout.
    """

    def __init__(
        self,
        llama: Any,
        fast: int,
        safe: int,
        batch: int,
        fastest: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """`fastest`: the fastest token time (s) seen on `fast` threads in this model's earlier
        replies, so that a reply slow from its first token is caught too."""
        self._llama = llama
        self._safe = safe
        self._batch = batch
        self._clock = clock
        self.fastest = fastest  # updated with this reply's tokens on `fast` threads
        self._last: tuple[float, int] | None = None  # (time, tokens in the context) at the last tick
        self.slowed = False  # whether this reply dropped to `safe`
        self._threads = fast
        self._set(fast)

    def tick(self) -> None:
        """Note the tokens decoded since the last tick; drop to `safe` threads if they came slow. The
        first tick (after the prompt was read) only starts the clock."""
        now, tokens = self._clock(), int(self._llama.n_tokens)
        last, self._last = self._last, (now, tokens)
        if last is None or tokens <= last[1] or self._threads == self._safe:
            return
        per_token = (now - last[0]) / (tokens - last[1])
        if self.fastest is not None and per_token > SLOWDOWN * self.fastest:
            log.info(
                "generator: a token took %.0f ms, %.1fx the fastest seen (cores busy?); "
                "decoding the rest on %d thread(s)",
                per_token * 1000,
                per_token / self.fastest,
                self._safe,
            )
            self.slowed = True
            self._set(self._safe)
            return
        self.fastest = per_token if self.fastest is None else min(self.fastest, per_token)

    def close(self) -> None:
        """Back to `safe` threads for the model's next call."""
        if self._threads != self._safe:
            self._set(self._safe)

    def _set(self, threads: int) -> None:
        self._threads = threads
        self._llama._ctx.set_n_threads(threads, self._batch)
