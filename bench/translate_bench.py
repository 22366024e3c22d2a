"""Translation call latency: the previous way of running it against the current one, interleaved.

    python bench/translate_bench.py --limit 40              # cross-lingual dev questions
    python bench/translate_bench.py --sets crosslingual precision --limit 60

For each question, translates it into the demo corpus's other language (English <-> Chinese) with the
packaged generator, four times in the order before, after, after, before, so that the machine's load
falls on both alike, and prints each variant's median and mean and how many translations came out
the same (a reply that dropped to fewer threads, its cores contended, logs a line). "before": decoding on one thread (`llm_threads=1`) and the translator's KV opening ending
before its last user turn (the rule before this stop); "after": the current defaults (decoding on
every core, `rag.decode_threads`; the opening taking in the instruction line the request repeats
from its worked example, `rag.kv_prefix.fixed_opening`). `--threads-only` keeps the current opening
in both, so that only the thread count differs. Nothing is cached: each call runs the generator.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import load_gold_sets
from index.language import detect_language
from index.offline import enforce_offline


def opening_before_last_user_turn(prompt: str) -> str:
    """The previous rule for a prompt's KV opening: everything before its last user turn."""
    from rag.kv_prefix import USER_TURN

    at = prompt.rfind(USER_TURN)
    return prompt[:at] if at > 0 else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="*", default=["crosslingual"], help="gold sets (default: crosslingual)")
    ap.add_argument("--limit", type=int, default=40, help="the first N questions")
    ap.add_argument("--threads-only", action="store_true", help="the current opening rule in both variants")
    args = ap.parse_args()

    enforce_offline()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("rag.decode_threads").setLevel(logging.INFO)  # a reply that dropped threads says so
    import rag.kv_prefix as kv_prefix
    from rag.llm import load_llamacpp
    from rag.settings import RagSettings
    from rag.translate import QuestionTranslator

    current_opening = kv_prefix.fixed_opening
    settings = RagSettings()
    llms = {
        "before": load_llamacpp(settings.model_copy(update={"llm_threads": 1})).llm,
        "after": load_llamacpp(settings).llm,
    }
    openings = {
        "before": current_opening if args.threads_only else opening_before_last_user_turn,
        "after": current_opening,
    }
    times: dict[str, list[float]] = {"before": [], "after": []}
    same = 0
    questions = load_gold_sets(args.sets)[: args.limit]
    for q in questions:
        target = "en" if detect_language(q.query) == "zh" else "zh"
        replies: dict[str, set[str | None]] = {"before": set(), "after": set()}
        for name in ("before", "after", "after", "before"):
            kv_prefix.fixed_opening = openings[name]  # read by PrefixSnapshots.run at each call
            translator = QuestionTranslator(llms[name], style=settings.translation_prompt)
            t0 = time.perf_counter()
            reply = translator.run(q.query, [target]).get(target)
            times[name].append(time.perf_counter() - t0)
            replies[name].add(reply)
        kv_prefix.fixed_opening = current_opening
        same += replies["before"] == replies["after"]
        change = "" if replies["before"] == replies["after"] else f"  before {replies['before']}"
        print(
            f"{q.id:8} before {statistics.mean(times['before'][-2:]):5.2f} s  "
            f"after {statistics.mean(times['after'][-2:]):5.2f} s  {replies['after']}{change}",
            flush=True,
        )
    print(f"\n{len(questions)} questions, {same} translated the same by both variants")
    for name, values in times.items():
        print(f"{name:7} median {statistics.median(values):.2f} s  mean {statistics.mean(values):.2f} s")


if __name__ == "__main__":
    main()
