"""Answer latency bench: time to sources, to first token and to the final answer, against the floor.

    python bench/answer_bench.py                                   # chunks vs windows, seed + news
    python bench/answer_bench.py --variant before:context_mode=chunks \\
        --variant after:context_mode=windows,llm_flash_attn=true --sample 30
    python bench/answer_bench.py --variant off:llm_prefix_snapshots=false \\
        --variant on:llm_prefix_snapshots=true --sets crosslingual --sample 12 --kv-as-left
    python bench/answer_bench.py llama --prompt-tokens 700         # llama.cpp settings sweep

`answers` (the default) answers a fixed set of gold questions (the seed and news dev sets, or a
seeded sample of them) with every variant, interleaved question by question so that the machine's
load falls on all variants alike, and prints p50/p95 per variant and question type:
- sources: from the call to the `Sources` event; first: to the first text delta; final: to the Answer
  (the citation and answerability checks included; yes/no verdicts included);
- prompt tokens of the generator's call and the tokens/s it read them at;
- the floor: prompt tokens / the tokens/s this llama.cpp build reaches on one long prompt read from
  scratch, measured in the same run (before and after the questions; the faster is used), and
  first token / floor (the system prompt's reuse from the KV cache can take it under 1).
Before each question the KV cache is left holding exactly the answer prompt's system turn (with
`--kv-as-left`: as the variant's previous question left it, which is what the answering flow finds,
e.g. a translation or a judge's prompt); the answer cache and the prompt cache are off. `llama` times
prompt reading and generation for llama.cpp settings (n_batch / n_ubatch, flash attention, threads). Figures depend on the machine's load: compare variants within one run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.offline import enforce_offline  # noqa: E402

DEMO = ROOT / "index" / "demo" / "wikinews_en.jsonl"
# Not gold questions: one generated and checked, one yes/no judged side by side, so that the checks'
# calibration priors (computed once per process) are in place before anything is measured.
WARM_UP = (
    "Which city did the Aliyun article say hosts its first overseas data center?",
    "Did China Daily report that Aliyun serves more than 1.4 million customers?",
)


# -- one long prompt: the floor ---------------------------------------------------------------------


def long_prompt_tokens(model: Any, n: int) -> list[int]:
    """`n` tokens of demo-corpus prose (English Wikinews bodies)."""
    text = []
    with DEMO.open(encoding="utf-8") as fh:
        for line in fh:
            text.append(json.loads(line)["body"])
            if sum(len(t) for t in text) > 8 * n:
                break
    return model.tokenize("\n\n".join(text).encode("utf-8"), add_bos=False)[:n]


def prompt_speed(model: Any, tokens: list[int], repeats: int = 2) -> float:
    """Tokens/s of reading `tokens` into an empty KV cache (best of `repeats`)."""
    best = float("inf")
    for _ in range(repeats):
        model.reset()
        t = time.perf_counter()
        model.eval(tokens)
        best = min(best, time.perf_counter() - t)
    model.reset()
    return len(tokens) / best


def generation_speed(model: Any, tokens: list[int], n: int = 16) -> float:
    """Tokens/s of decoding one token at a time after a short prompt (what generation does)."""
    model.reset()
    model.eval(tokens[:32])
    t = time.perf_counter()
    for tok in tokens[32 : 32 + n]:
        model.eval([tok])
    elapsed = time.perf_counter() - t
    model.reset()
    return n / elapsed


# -- answers ---------------------------------------------------------------------------------------


@dataclass
class Run:
    """One question answered by one variant."""

    variant: str
    qid: str
    qtype: str
    sources_ms: float
    first_ms: float
    final_ms: float
    prompt_tokens: int | None = (
        None  # of the generator's call; None when no generation (verdicts, abstentions)
    )
    reused_tokens: int | None = None
    read_ms: float | None = None  # from the generator call to its first delta
    timings: dict[str, float] = field(default_factory=dict)
    text: str = ""


class _CallClock(logging.Handler):
    """Catches the generator's debug line ("N prompt tokens, M reused") with its wall time."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.at: float | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("generator:"):
            self.at = time.perf_counter()


def _keep_only_system_prompt(model: Any, system_tokens: list[int]) -> None:
    """Leave exactly the system turn in the KV cache (evaluating it if it is not there)."""
    cached = model.input_ids[: model.n_tokens].tolist()
    if cached[: len(system_tokens)] == system_tokens:
        model.n_tokens = len(system_tokens)
    else:
        model.reset()
        model.eval(system_tokens)


def _ask(
    variant: str, assistant: Any, llm: Any, clock: _CallClock, q: Any, system_tokens: list[int] | None
) -> Run:
    """Answer `q`; with `system_tokens`, first leave just the system prompt in the KV cache."""
    from rag.models import Answer, Sources

    assistant._retriever.clear_caches()  # no variant profits from another's query embedding
    if system_tokens is not None:
        _keep_only_system_prompt(llm._model, system_tokens)
    before = llm.last_prompt_use()
    clock.at = None
    t0 = time.perf_counter()
    sources_at = first_at = final_at = None
    answer = None
    for item in assistant.stream(q.query):
        now = time.perf_counter()
        if isinstance(item, Sources) and sources_at is None:
            sources_at = now
        elif isinstance(item, str) and first_at is None:
            first_at = now
        elif isinstance(item, Answer):
            final_at, answer = now, item
    assert answer is not None and sources_at is not None and final_at is not None
    first_at = first_at or final_at
    use = llm.last_prompt_use()
    generated = use is not None and use is not before and clock.at is not None
    run = Run(
        variant,
        q.id,
        q.question_type.replace("_query", ""),
        (sources_at - t0) * 1000,
        (first_at - t0) * 1000,
        (final_at - t0) * 1000,
        timings=dict(answer.timings_ms),
        text=answer.text,
    )
    if generated:
        run.prompt_tokens, run.reused_tokens = use.tokens, use.reused
        run.read_ms = (first_at - clock.at) * 1000
    return run


def _pct(values: list[float], q: float) -> float:
    """The median for q=0.5, else the nearest-rank percentile."""
    if q == 0.5:
        return statistics.median(values)
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _variants(specs: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for spec in specs:
        name, _, body = spec.partition(":")
        changes: dict[str, Any] = {}
        for part in filter(None, body.split(",")):
            key, _, value = part.partition("=")
            changes[key.strip()] = json.loads(value) if value.strip()[:1] in '0123456789-tfn[{"' else value
        out[name] = changes
    return out


def _questions(sets: list[str], sample: int | None, seed: int) -> list[Any]:
    from eval.gold import load_gold_sets

    questions = load_gold_sets(sets)
    if sample and sample < len(questions):
        questions = sorted(random.Random(seed).sample(questions, sample), key=lambda q: q.id)
    return questions


def answers(args: argparse.Namespace) -> None:
    enforce_offline()
    from index.store import NewsIndex
    from rag.assistant import Assistant
    from rag.generation import answer_system_prompt
    from rag.llm import load_llamacpp
    from rag.prompts import chatml_turn
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings

    base = RagSettings(answer_cache_size=0, prompt_cache_dir=None)
    if args.index:
        base = base.model_copy(update={"index": base.index.model_copy(update={"index_dir": args.index})})
    index = NewsIndex.open(base.index)
    retriever = HybridRetriever(index, base)
    variants = {}
    for name, changes in _variants(args.variant).items():
        settings = RagSettings(**{**base.model_dump(), **changes})
        llm = load_llamacpp(settings).llm
        variants[name] = (Assistant(settings, index, retriever, llm), llm)
    clock = _CallClock()
    logging.getLogger("rag.llm").addHandler(clock)
    logging.getLogger("rag.llm").setLevel(logging.DEBUG)

    first_llm = next(iter(variants.values()))[1]
    model = first_llm._model
    system = chatml_turn("system", answer_system_prompt(base.precise_answers))
    system_tokens = model.tokenize(system.encode(), add_bos=False, special=True)
    long_tokens = long_prompt_tokens(model, args.floor_tokens)
    floor_before = prompt_speed(model, long_tokens)
    print(f"floor prompt: {len(long_tokens)} tokens at {floor_before:.1f} tokens/s", flush=True)

    questions = _questions(args.sets, args.sample, args.seed)
    # Warm-up: first-call allocations, page faults, calibration priors; not measured.
    from eval.gold import GoldQuestion

    # The KV cache as the answering flow leaves it (not primed): every generator call after the
    # first should reuse at least the system prompt's tokens.
    print(f"system prompt: {len(system_tokens)} tokens")
    for text in (*WARM_UP, WARM_UP[0] + " Answer briefly.")[: args.warm_ups]:
        warm = GoldQuestion(id="warm-up", query=text, answer="", question_type="inference_query")
        for name, (assistant, llm) in variants.items():
            run = _ask("warm-up", assistant, llm, clock, warm, None)
            print(
                f"warm-up {name:8} prompt {run.prompt_tokens or '-'!s:>5} tokens, "
                f"{run.reused_tokens if run.prompt_tokens else '-'!s:>4} reused from the KV cache",
                flush=True,
            )
    runs: list[Run] = []
    names = list(variants)
    for n, q in enumerate(questions):
        order = names if n % 2 == 0 else names[::-1]
        for name in order:
            assistant, llm = variants[name]
            run = _ask(name, assistant, llm, clock, q, None if args.kv_as_left else system_tokens)
            runs.append(run)
            print(
                f"{q.id:10} {name:8} sources {run.sources_ms:6.0f}  first {run.first_ms:6.0f}  "
                f"final {run.final_ms:6.0f} ms  prompt {run.prompt_tokens or '-'!s:>5}  {run.text[:50]!r}",
                flush=True,
            )
    floor_after = prompt_speed(model, long_tokens)
    floor_tps = max(floor_before, floor_after)
    print(f"floor prompt again: {floor_after:.1f} tokens/s; floor uses {floor_tps:.1f}")
    _table(runs, names, floor_tps)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "floor_tokens_per_s": [floor_before, floor_after],
                    "variants": _variants(args.variant),
                    "load_average": os.getloadavg(),
                    "runs": [r.__dict__ for r in runs],
                },
                indent=1,
            )
        )


def _table(runs: list[Run], names: list[str], floor_tps: float) -> None:
    groups: dict[tuple[str, str], list[Run]] = defaultdict(list)
    for r in runs:
        groups[(r.variant, "all")].append(r)
        groups[(r.variant, r.qtype)].append(r)
    types = sorted({r.qtype for r in runs})
    head = (
        f"{'variant':8} {'type':11} {'n':>3} {'sources p50/p95':>16} {'first p50/p95':>14} "
        f"{'final p50/p95':>14} {'prompt tok':>10} {'read tok/s':>10} {'floor p50':>9} {'first/floor':>11} "
        f"{'windows/verify p50':>18}"
    )
    print(f"\nload average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs; times in seconds")
    print(head)
    print("-" * len(head))
    for name in names:
        for qtype in ["all", *types]:
            rs = groups.get((name, qtype))
            if not rs:
                continue
            gen = [r for r in rs if r.prompt_tokens]

            def p(values: list[float]) -> str:
                return f"{_pct(values, 0.5) / 1000:.2f}/{_pct(values, 0.95) / 1000:.2f}" if values else "-"

            tokens = f"{statistics.median([r.prompt_tokens for r in gen]):.0f}" if gen else "-"
            speed = (
                f"{statistics.median([(r.prompt_tokens - r.reused_tokens) / (r.read_ms / 1000) for r in gen]):.0f}"
                if gen
                else "-"
            )
            floors = [r.prompt_tokens / floor_tps for r in gen]
            ratio = (
                f"{statistics.median([r.first_ms / 1000 / f for r, f in zip(gen, floors, strict=True)]):.2f}"
                if gen
                else "-"
            )
            stages = "/".join(
                f"{statistics.median([r.timings.get(k, 0.0) for r in gen]) / 1000:.2f}" if gen else "-"
                for k in ("windows", "verify")
            )
            print(
                f"{name:8} {qtype:11} {len(rs):>3} {p([r.sources_ms for r in rs]):>16} {p([r.first_ms for r in rs]):>14} "
                f"{p([r.final_ms for r in rs]):>14} {tokens:>10} {speed:>10} "
                f"{(f'{statistics.median(floors):.2f}' if floors else '-'):>9} {ratio:>11} {stages:>18}"
            )
    if len(names) == 2:
        a, b = names
        pairs = defaultdict(dict)
        for r in runs:
            pairs[r.qid][r.variant] = r
        both = [
            (v[a], v[b])
            for v in pairs.values()
            if a in v and b in v and v[a].prompt_tokens and v[b].prompt_tokens
        ]
        if both:
            print(
                f"\n{b} / {a}, same questions (n={len(both)}), median of ratios: "
                f"prompt tokens {statistics.median([y.prompt_tokens / x.prompt_tokens for x, y in both]):.2f}, "
                f"first token {statistics.median([y.first_ms / x.first_ms for x, y in both]):.2f}, "
                f"final {statistics.median([y.final_ms / x.final_ms for x, y in both]):.2f}"
            )


# -- llama.cpp settings ----------------------------------------------------------------------------


def llama(args: argparse.Namespace) -> None:
    """Prompt reading and generation speed for each llama.cpp configuration.

    Every configuration is loaded at once (the weights are one shared memory map; each has its own KV
    cache) and they are measured round-robin, `--rounds` times, so that a busy machine's load falls
    on all of them alike; the best and the median round are printed.
    """
    enforce_offline()
    import llama_cpp

    from rag.llm import packaged_model_path
    from rag.settings import RagSettings

    path = str(packaged_model_path(RagSettings()))
    configs = [json.loads(c) for c in args.config] or [
        {"n_batch": 512, "n_ubatch": 512, "flash_attn": False},
        {"n_batch": 512, "n_ubatch": 512, "flash_attn": True},
        {"n_batch": 512, "n_ubatch": 256, "flash_attn": False},
        {"n_batch": 512, "n_ubatch": 128, "flash_attn": False},
        {"n_batch": 2048, "n_ubatch": 2048, "flash_attn": False},
        {"n_batch": 512, "n_ubatch": 512, "flash_attn": False, "n_threads_batch": 1},
        {"n_batch": 512, "n_ubatch": 512, "flash_attn": False, "n_threads": 2},
    ]
    cores = len(os.sched_getaffinity(0))
    loaded = []
    for config in configs:
        kwargs = {"n_threads": max(1, cores // 2), "n_threads_batch": cores, **config}
        loaded.append(
            (kwargs, llama_cpp.Llama(path, n_ctx=4096, n_gpu_layers=0, seed=0, verbose=False, **kwargs))
        )
    tokens = long_prompt_tokens(loaded[0][1], args.prompt_tokens)
    pp: dict[int, list[float]] = defaultdict(list)
    gen: dict[int, list[float]] = defaultdict(list)
    print(
        f"load average {os.getloadavg()[0]:.2f}, {cores} cores; {len(tokens)}-token prompt, {args.rounds} rounds"
    )
    for _ in range(args.rounds):
        for i, (_, model) in enumerate(loaded):
            pp[i].append(prompt_speed(model, tokens, repeats=1))
            gen[i].append(generation_speed(model, tokens))
    print(f"{'configuration':96} {'prompt tok/s best/median':>24} {'gen tok/s best/median':>22}")
    for i, (kwargs, _) in enumerate(loaded):
        print(
            f"{json.dumps(kwargs):96} {max(pp[i]):12.1f}/{statistics.median(pp[i]):<11.1f} "
            f"{max(gen[i]):10.1f}/{statistics.median(gen[i]):<11.1f}"
        )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    a = sub.add_parser("answers", help="answer latency per variant (default)")
    a.add_argument(
        "--variant",
        action="append",
        metavar="NAME:FIELD=VALUE,...",
        help="RagSettings changes for one variant (repeatable; default: chunks and windows)",
    )
    a.add_argument("--sets", nargs="+", default=["seed", "news"], help="gold sets (default: seed news)")
    a.add_argument("--sample", type=int, help="a seeded sample of N questions")
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--warm-ups", type=int, default=3, help="unmeasured questions first (2 set the priors)")
    a.add_argument("--floor-tokens", type=int, default=1500, help="length of the floor's long prompt")
    a.add_argument("--index", type=Path, help="index directory (default: settings)")
    a.add_argument(
        "--kv-as-left",
        action="store_true",
        help="leave the KV cache as the previous question left it (the answering flow), not primed",
    )
    a.add_argument("--json", type=Path, help="write every run as JSON")
    ll = sub.add_parser("llama", help="llama.cpp settings: prompt and generation tokens/s")
    ll.add_argument("--prompt-tokens", type=int, default=700)
    ll.add_argument("--rounds", type=int, default=3)
    ll.add_argument("--config", action="append", default=[], help='JSON Llama kwargs, e.g. {"n_ubatch": 256}')
    argv = sys.argv[1:]
    if not argv or argv[0].startswith("-"):
        argv = ["answers", *argv]
    args = parser.parse_args(argv)
    if args.command == "llama":
        llama(args)
    else:
        args.variant = args.variant or ["chunks:context_mode=chunks", "windows:context_mode=windows"]
        answers(args)


if __name__ == "__main__":
    main()
