"""Measure the joint yes/no judge's batch-calibration prior from an eval run's records.

The joint judge (rag/verdict.py, questions relating two reports) cannot be calibrated on
content-free inputs: two empty passages rightly do not "agree". Batch calibration (Zhou et al. 2023)
uses instead the mean raw P(yes) over real, unlabelled inputs; the labels are read here only to
print how many verdicts each prior gets right, beside answering "Yes" always.

Records written before the notes kept the raw probability are inverted from the calibrated one with
the judge's content-free prior (which loads the generator once; the prompt cache makes it quick).

    python bench/batch_prior.py var/eval/tune_fit2.jsonl      # records of the tuning half only
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from eval.metrics import gold_polarity

_NOTE = re.compile(r"relation judged over both reports: P\(yes\)=([0-9.]+)(?: \(raw ([0-9.]+)\))?")


def _content_free_prior() -> float:
    """P(yes) of the joint judge on content-free inputs: what the records' calibrated values divided out."""
    from rag.generation import SYSTEM_PROMPT
    from rag.judge import Judge, LabelScorer
    from rag.llm import build_llm
    from rag.prompt_cache import PromptCache
    from rag.settings import RagSettings
    from rag.verdict import JOINT_TEMPLATE

    settings = RagSettings()
    cache = (
        PromptCache(settings.prompt_cache_dir, settings.generator_id()) if settings.prompt_cache_dir else None
    )
    judge = Judge(
        LabelScorer(build_llm(settings), cache),
        SYSTEM_PROMPT,
        JOINT_TEMPLATE,
        ("first", "second", "question"),
    )
    yes, no = judge.prior()
    return yes / (yes + no)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path, help="an eval run's --resume records (JSONL)")
    args = parser.parse_args()

    rows: list[tuple[str, float, float | None]] = []  # (gold polarity, calibrated, raw)
    for line in args.records.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "checkpoint" in record:
            continue
        for note in record.get("notes") or []:
            if m := _NOTE.search(note):
                gold = gold_polarity(record["gold"]["answer"]) or "other"
                rows.append((gold, float(m.group(1)), float(m.group(2)) if m.group(2) else None))
    if not rows:
        raise SystemExit(f"no joint yes/no judgements in {args.records}")

    if any(raw is None for _, _, raw in rows):
        cf = _content_free_prior()
        print(f"content-free prior P(yes) = {cf:.3f} (used to recover raw values the notes lack)")

        def raw_of(calibrated: float) -> float:
            c = min(max(calibrated, 1e-4), 1 - 1e-4)
            odds = c / (1 - c) * cf / (1 - cf)
            return odds / (1 + odds)

        rows = [(g, c, raw if raw is not None else raw_of(c)) for g, c, raw in rows]

    raw_values = [raw for _, _, raw in rows if raw is not None]
    prior = sum(raw_values) / len(raw_values)
    always_yes = sum(g == "yes" for g, _, _ in rows)
    print(f"{len(rows)} joint judgements; batch prior (mean raw P(yes), no labels): {prior:.3f}")
    print("\n| decision | right |\n|---|---|")
    print(
        f"| batch-calibrated: raw P(yes) >= {prior:.3f} | {sum((r >= prior) == (g == 'yes') for g, _, r in rows)}/{len(rows)} |"
    )
    print(
        f"| content-free calibrated >= 0.5 | {sum((c >= 0.5) == (g == 'yes') for g, c, _ in rows)}/{len(rows)} |"
    )
    print(f"| always Yes | {always_yes}/{len(rows)} |")


if __name__ == "__main__":
    main()
