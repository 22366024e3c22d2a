"""Generator benchmark: packaged-model assembly, load, prompt/generation speed, peak RSS, prefix reuse.

    python bench/llm_bench.py                       # both packaged models, ~800-token prompt
    python bench/llm_bench.py --models qwen2.5-coder-0.5b --threads 2 --gen-tokens 64

Each model runs in its own subprocess so its peak RSS is its own. Cold assembly writes into a scratch
directory beside the cache (the real cache is reused, never deleted). Prints one JSON record per model
and a table. Figures depend on the machine's load: run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.offline import enforce_offline  # noqa: E402

DEMO = ROOT / "index" / "demo" / "wikinews_en.jsonl"
SYSTEM = (
    "You answer questions about news using only the numbered passages the user gives you. "
    "Answer in one short sentence and cite the passages you used as [1], [2]. If the passages do not "
    "contain the answer, reply exactly: Insufficient information. Dates matter: an article's "
    "publication date tells you which year a relative date such as 'in March' refers to."
)


def _passages(count: int) -> list[str]:
    """Article bodies from the bundled demo corpus, as numbered passages."""
    out = []
    with DEMO.open() as fh:
        for n, line in enumerate(fh, start=1):
            record = json.loads(line)
            out.append(f"[{n}] {record['title']} ({record['published_at']}): {record['body'][:1500]}")
            if len(out) >= count:
                break
    return out


def _user_turn(model, passages: list[str], question: str, target_tokens: int) -> str:  # type: ignore[no-untyped-def]
    """Passages trimmed so that the whole ChatML prompt is about `target_tokens` tokens."""
    from rag.prompts import completion_to_chatml

    text = "\n\n".join(passages)
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix of the passages that keeps the prompt within target
        mid = (lo + hi + 1) // 2
        prompt = completion_to_chatml(f"Passages:\n{text[:mid]}\n\nQuestion: {question}", SYSTEM)
        if len(model.tokenize(prompt.encode(), add_bos=False, special=True)) <= target_tokens:
            lo = mid
        else:
            hi = mid - 1
    return f"Passages:\n{text[:lo]}\n\nQuestion: {question}"


def _run_one(name: str, threads: int | None, prompt_tokens: int, gen_tokens: int, cold: bool) -> dict:
    enforce_offline()
    from rag.llm import PACKAGED_MODELS, ensure_packaged_model, load_llamacpp, models_dir
    from rag.prompts import completion_to_chatml
    from rag.settings import RagSettings

    settings = RagSettings(
        packaged_model=name, llm_threads=threads, llm_max_new_tokens=gen_tokens, llm_context_window=4096
    )
    spec = PACKAGED_MODELS[name]
    cache = models_dir(settings)
    rec: dict = {"model": name, "file": spec.file_name}

    if cold:  # cold assembly into a scratch dir next to the cache (same filesystem as the real one)
        cache.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".bench-", dir=cache))
        try:
            t = time.perf_counter()
            ensure_packaged_model(spec, scratch, progress=False)
            rec["assemble_first_s"] = round(time.perf_counter() - t, 2)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    path = ensure_packaged_model(spec, cache, progress=False)  # make sure the real cache exists
    rec["size_mib"] = round(path.stat().st_size / 2**20, 1)
    t = time.perf_counter()
    ensure_packaged_model(spec, cache, progress=False)
    rec["assemble_cached_ms"] = round((time.perf_counter() - t) * 1000, 2)
    t = time.perf_counter()
    ensure_packaged_model(spec, cache, full_verify=True, progress=False)
    rec["full_verify_s"] = round(time.perf_counter() - t, 2)

    loaded = load_llamacpp(settings)
    rec["load_s"] = round(loaded.load_s, 2)
    rec["rss_after_load_mib"] = round(_rss_now_mib(), 0)
    llm = loaded.llm
    model = llm._model  # llama_cpp.Llama: tokenizer and KV-cache reset for the measurements
    rec["threads"] = model.context_params.n_threads

    passages = _passages(12)
    question_a = "What caused the building in Magnitogorsk to collapse, and how many people died?"
    question_b = "Summarize the main events described in these passages in detail."
    user_a = _user_turn(model, passages, question_a, prompt_tokens)
    user_b = _user_turn(model, passages[1:] + passages[:1], question_b, prompt_tokens)
    same_passages_b = user_a.rsplit("Question:", 1)[0] + f"Question: {question_b}"

    def run(user: str, reset: bool, max_tokens: int) -> dict:
        prompt = completion_to_chatml(user, SYSTEM)
        n_prompt = len(model.tokenize(prompt.encode(), add_bos=False, special=True))
        if reset:
            model.reset()  # forget the KV cache: no prefix can be reused
        llm.generate_kwargs["max_tokens"] = max_tokens
        t0 = time.perf_counter()
        first = None
        pieces = []
        for r in llm.stream_complete(prompt, formatted=True):
            if first is None:
                first = time.perf_counter()
            pieces.append(r.delta)
        end = time.perf_counter()
        text = "".join(pieces)
        n_gen = len(model.tokenize(text.encode(), add_bos=False, special=True)) if text else 0
        return {
            "prompt_tokens": n_prompt,
            "ttft_s": round((first or end) - t0, 3),
            "gen_tokens": n_gen,
            "gen_s": round(end - (first or end), 3),
            "text": text,
        }

    # Three ~800-token prompts in a row, so the KV cache left by one is what the next can reuse:
    # A from scratch; then the same passages with another question (only the question differs);
    # then other passages (only the system turn is shared with what is cached).
    run("Say OK.", reset=True, max_tokens=2)  # warm-up: first-call allocations, page faults
    cold_run = run(user_a, reset=True, max_tokens=gen_tokens)
    rec["prompt_tokens"] = cold_run["prompt_tokens"]
    rec["prompt_tok_per_s"] = round(cold_run["prompt_tokens"] / cold_run["ttft_s"], 1)
    rec["gen_tokens"] = cold_run["gen_tokens"]
    rec["gen_tok_per_s"] = (
        round((cold_run["gen_tokens"] - 1) / cold_run["gen_s"], 1) if cold_run["gen_tokens"] > 1 else None
    )
    rec["answer"] = cold_run["text"][:160]
    shared_passages = run(same_passages_b, reset=False, max_tokens=max(gen_tokens, 128))
    rec["gen_long_tokens"] = shared_passages["gen_tokens"]  # a longer answer: steadier tokens/s
    rec["gen_long_tok_per_s"] = (
        round((shared_passages["gen_tokens"] - 1) / shared_passages["gen_s"], 1)
        if shared_passages["gen_tokens"] > 1
        else None
    )
    shared_system = run(user_b, reset=False, max_tokens=1)
    rec["ttft_no_reuse_s"] = cold_run["ttft_s"]
    rec["ttft_shared_passages_s"] = shared_passages["ttft_s"]
    rec["ttft_shared_system_s"] = shared_system["ttft_s"]
    rec["prompt_tokens_b"] = shared_system["prompt_tokens"]
    rec["system_prefix_tokens"] = len(
        model.tokenize(completion_to_chatml("", SYSTEM).split("<|im_start|>user")[0].encode(), special=True)
    )
    rec["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    return rec


def _rss_now_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", nargs="+", default=["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"])
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: auto)")
    parser.add_argument("--prompt-tokens", type=int, default=800)
    parser.add_argument("--gen-tokens", type=int, default=64)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold assembly into a scratch dir")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        rec = _run_one(args.one, args.threads, args.prompt_tokens, args.gen_tokens, not args.no_cold)
        print("RESULT " + json.dumps(rec))
        return

    records = []
    for name in args.models:
        cmd = [sys.executable, __file__, "--one", name, "--prompt-tokens", str(args.prompt_tokens)]
        cmd += ["--gen-tokens", str(args.gen_tokens)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        if args.no_cold:
            cmd.append("--no-cold")
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        rec = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
        print(json.dumps(rec), flush=True)
        records.append(rec)

    keys = [
        "size_mib",
        "assemble_first_s",
        "assemble_cached_ms",
        "full_verify_s",
        "load_s",
        "threads",
        "prompt_tokens",
        "prompt_tok_per_s",
        "gen_tokens",
        "gen_tok_per_s",
        "gen_long_tokens",
        "gen_long_tok_per_s",
        "system_prefix_tokens",
        "prompt_tokens_b",
        "ttft_no_reuse_s",
        "ttft_shared_system_s",
        "ttft_shared_passages_s",
        "rss_after_load_mib",
        "peak_rss_mib",
    ]
    print(f"\nload average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
    print(f"{'':24}" + "".join(f"{r['model']:>22}" for r in records))
    for key in keys:
        print(f"{key:24}" + "".join(f"{r.get(key, '-')!s:>22}" for r in records))


if __name__ == "__main__":
    main()
