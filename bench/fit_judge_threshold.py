"""Fit the answer judge's threshold on the tuning half, behind every text rule that runs before it.

    NEWSRAG_MIN_ANSWER_PROBABILITY=0.0001 newsrag eval --split tune \\
        --subset var/eval/tune_subject_ids.txt --json var/eval/tune_subj_open.json   # record, do not enforce
    python bench/fit_judge_threshold.py var/eval/tune_subj_open.json var/eval/tune_mh_open.json

Reads `newsrag eval --json` runs made with the judge's verdict recorded but not enforced (its
calibrated P(Yes) is in each answer's notes as "p_answers=..."), replays each threshold over them
(an answer under it becomes an abstention: right for a question the corpus cannot answer, wrong for
an answerable one) and prints, per threshold, the right answers, the cited wrong ones (answered
nulls included) and the rates the issue sets targets for. The chosen threshold maximises right
answers minus `--cost` times the cited wrong ones; a tie goes to the higher threshold (the product
prefers abstaining). Every other check ran in the recorded run, so the replay is exact except on
the line: notes write P(Yes) to three decimals, and an answer written at the threshold itself
("0.940" may be 0.9396) is counted as kept; the last column says how many sit there. Rerun the
subsets with the chosen threshold to settle them.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

_P = re.compile(r"p_answers=([0-9.]+)")


@dataclass(frozen=True)
class Judged:
    """One question of a recorded run: the gold's kind, the run's outcome and the judge's P(Yes)."""

    null: bool
    right: bool  # the recorded answer, judged against the gold
    abstained: bool
    p_answers: float | None  # None when the judge did not run (abstained before it, or a yes/no verdict)


def read_run(path: Path) -> list[Judged]:
    out = []
    for r in json.loads(path.read_text(encoding="utf-8"))["records"]:
        note = next((n for n in r.get("notes", []) if n.startswith("answer check")), "")
        m = _P.search(note)
        p = float(m.group(1)) if m and not r["abstained"] else None
        out.append(Judged(bool(r["gold"]["null"]), bool(r["strict"]), bool(r["abstained"]), p))
    return out


def replay(rows: list[Judged], threshold: float) -> tuple[int, int, int, int]:
    """(right, cited wrong, nulls abstained, answerable abstained) with the judge at `threshold`."""
    right = wrong = nulls_abstained = answerable_abstained = 0
    for q in rows:
        abstains = q.abstained or (q.p_answers is not None and q.p_answers < threshold)
        if q.null:
            nulls_abstained += abstains or q.right
            right += abstains or q.right
            wrong += not (abstains or q.right)
        elif abstains:
            answerable_abstained += 1
        else:
            right += q.right
            wrong += not q.right
    return right, wrong, nulls_abstained, answerable_abstained


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", type=Path, nargs="+")
    parser.add_argument("--cost", type=float, default=2.0, help="a cited wrong answer, in abstentions")
    parser.add_argument("--low", type=float, default=0.88)
    parser.add_argument("--high", type=float, default=0.97)
    parser.add_argument("--step", type=float, default=0.0025)
    args = parser.parse_args(argv)

    rows = [q for path in args.runs for q in read_run(path)]
    nulls = sum(q.null for q in rows)
    answerable = len(rows) - nulls
    print(f"{len(rows)} questions: {answerable} answerable, {nulls} the corpus cannot answer")
    print(
        "| threshold | right | cited wrong | strict | nulls abstained | answerable abstained | utility "
        "| on the line |"
    )
    print("|---|---|---|---|---|---|---|---|")
    best: tuple[float, float] | None = None
    steps = round((args.high - args.low) / args.step)
    for i in range(steps + 1):
        t = round(args.low + i * args.step, 4)
        right, wrong, null_ab, ans_ab = replay(rows, t)
        utility = right - args.cost * wrong
        if best is None or utility >= best[1]:
            best = (t, utility)
        on_line = sum(q.p_answers is not None and abs(q.p_answers - t) < 4e-4 for q in rows)
        print(
            f"| {t:.4f} | {right} | {wrong} | {right / len(rows):.3f} | {null_ab / max(nulls, 1):.3f} "
            f"| {ans_ab / max(answerable, 1):.3f} | {utility:g} | {on_line} |"
        )
    assert best is not None
    print(f"chosen (right - {args.cost:g} x cited wrong, ties to the higher threshold): {best[0]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
