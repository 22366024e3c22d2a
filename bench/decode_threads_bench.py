"""Decoding speed on idle and contended cores: 1 thread, every core fixed, and the adaptive default.

    python bench/decode_threads_bench.py              # 3 rounds: the first idle, then a busy loop on one core
    python bench/decode_threads_bench.py --idle       # every round idle

Loads the packaged generator three times in one process (`llm_threads=1`, `llm_threads=<cores>`, and
unset: every core, dropping to half when tokens slow, `rag.decode_threads`), and streams the same
48-token reply from each in turn, round after round. After the first round a busy loop takes one core
(as another process would), the way an app starts idle and meets contention later. Prints streamed
pieces per second after the first (about tokens per second) and logs each reply that dropped threads.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.offline import enforce_offline

PROMPT = "Write a short paragraph about the history of Paris, in plain English."


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--idle", action="store_true", help="no busy loop")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    enforce_offline()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("rag.decode_threads").setLevel(logging.INFO)
    from rag.llm import available_cores, load_llamacpp, stream_text
    from rag.settings import RagSettings

    variants = {"one": 1, "every": available_cores(), "adaptive": None}
    llms = {
        name: load_llamacpp(RagSettings(llm_threads=threads, llm_max_new_tokens=48)).llm
        for name, threads in variants.items()
    }
    hog: subprocess.Popen[bytes] | None = None
    try:
        for round_ in range(args.rounds):
            if round_ == 1 and not args.idle:
                hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for name, llm in llms.items():
                start, first, pieces = time.perf_counter(), None, 0
                for _ in stream_text(llm, PROMPT):
                    pieces += 1
                    first = first or time.perf_counter()
                end = time.perf_counter()
                rate = (pieces - 1) / (end - first) if first and pieces > 1 else 0.0
                state = "busy" if hog else "idle"
                print(
                    f"{state} {name:8} {pieces} pieces  {rate:5.1f} pieces/s  total {end - start:4.1f} s",
                    flush=True,
                )
    finally:
        if hog is not None:
            hog.kill()


if __name__ == "__main__":
    main()
