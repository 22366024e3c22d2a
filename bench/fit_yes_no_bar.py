"""Fit the answer judge's bar for a bare "Yes" or "No" from the generator (`min_yes_no_probability`),
or, with `--no`, the bar for a bare "No" alone (`min_no_probability`; a "Yes" keeps the answer judge's).

    NEWSRAG_MIN_YES_NO_PROBABILITY=0 newsrag eval yesno --split tune --json var/eval/yn_tune_bar0.json
    python bench/fit_yes_no_bar.py var/eval/yn_tune_bar0.json
    python bench/fit_yes_no_bar.py --no var/eval/yn_tune_bar0.json
    # exploration rounds, asked with the bar at 0: RUN.jsonl (its .err beside it) and its questions
    NEWSRAG_MIN_YES_NO_PROBABILITY=0 newsrag ask --questions bench/questions/explore_stop51.jsonl \\
        --json -v > var/explore/xb0_51.jsonl 2> var/explore/xb0_51.err
    python bench/fit_yes_no_bar.py --no var/explore/xb0_51.jsonl:bench/questions/explore_stop51.jsonl

Run with the bar at 0, every bare reply that passes the other checks is judged, recorded with its
P(answers) in the answer's notes, and put to the side-by-side verdict. Replayed at each bar, a reply is
kept when it was kept at 0 and its P(answers) reaches the bar. Prints, per bar, the right and wrong
answers, the near misses answered, strict accuracy, and right - 2 x (wrong + nulls answered): the
measure `min_answer_probability` was fitted by (a cited wrong answer costs more than an abstention).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.metrics import answer_polarity, gold_polarity, is_abstention

_P = re.compile(r"answer check: ok; .*p_answers=([\d.]+)")
_BARE = re.compile(r"(?i)\s*(?:yes|no|是|不是|否|对|不对|有|没有)\W*(?:\[[\d, ]+\]\W*)*")
ANSWER_BAR = 0.935  # `min_answer_probability`, which a bare "Yes" keeps under `--no`


@dataclass(frozen=True)
class Outcome:
    """One question's answer at bar 0: whether it was kept, right, and its judged bare reply's P."""

    null: bool
    kept: bool
    right: bool
    said: str | None  # "yes"/"no" of a kept answer
    p: float | None  # P(answers) of a judged bare reply, else None


def _judged(raw: str, notes: list[str]) -> float | None:
    """P(answers) of a kept bare reply (None: not a judged bare reply)."""
    if not _BARE.fullmatch(raw):
        return None
    found = [float(m.group(1)) for n in notes if (m := _P.search(n))]
    return found[-1] if found else None


def _from_eval(path: Path) -> list[Outcome]:
    out = []
    for r in json.loads(path.read_text(encoding="utf-8"))["records"]:
        raw = next((n[5:] for n in r["notes"] if n.startswith("raw: ")), "")
        said = None if r["abstained"] else answer_polarity(r["answer"])
        out.append(
            Outcome(r["gold"]["null"], not r["abstained"], r["strict"], said, _judged(raw, r["notes"]))
        )
    return out


def _from_round(run: Path, questions: Path) -> list[Outcome]:
    """An exploration round asked with `newsrag ask --json -v` (its notes are in the .err log): its
    yes/no questions and near misses, the ones a bar can change and that are scored without reading."""
    asked = {q["id"]: q for q in map(json.loads, questions.read_text(encoding="utf-8").splitlines())}
    log = run.with_suffix(".err").read_text(encoding="utf-8")
    out = []
    for line in run.read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        q = asked[a["id"]]
        want = gold_polarity(q["expected"])
        if q["answerable"] and want is None:
            continue
        m = re.search(re.escape(repr(q["question"])[1:-1]) + r"' -> '.*?' \((.*)\)\n", log)
        notes = [m.group(1)] if m else []
        raw = next((r.group(1) for n in notes if (r := re.search(r"(?:^|; )raw: (.*?)(?:; |$)", n))), "")
        kept = not a["abstained"] and not is_abstention(a["answer"])
        said = answer_polarity(a["answer"]) if kept else None
        out.append(Outcome(not q["answerable"], kept, kept and said == want, said, _judged(raw, notes)))
    return out


def table(outcomes: list[Outcome], no_only: bool) -> list[str]:
    bars = sorted({0.0, *(round(x / 100, 2) for x in range(50, 100, 5)), 0.935, 0.9, 0.8, 0.83})
    lines = [
        f"{len(outcomes)} questions ({sum(o.null for o in outcomes)} the corpus cannot answer)",
        "| bar | right | wrong | nulls answered | abstained | strict | right - 2 x (wrong + nulls answered) |",
        "|---|---|---|---|---|---|---|",
    ]
    for bar in bars:
        right = wrong = nulls = abstained = 0
        for o in outcomes:
            needed = ANSWER_BAR if no_only and o.said == "yes" else bar
            kept = o.kept and (o.p is None or o.p >= needed)
            if o.null:
                nulls += kept
            elif kept:
                right += o.right
                wrong += not o.right
            else:
                abstained += 1
        strict = (right + sum(o.null for o in outcomes) - nulls) / len(outcomes)
        lines.append(
            f"| {bar:.3f} | {right} | {wrong} | {nulls} | {abstained} | {strict:.1%} | {right - 2 * (wrong + nulls)} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no", action="store_true", help="vary the bar of a bare 'No' only")
    parser.add_argument("runs", nargs="+", help="eval JSON, or RUN.jsonl:QUESTIONS.jsonl of a round")
    args = parser.parse_args(argv)
    outcomes: list[Outcome] = []
    for run in args.runs:
        if ":" in run:
            path, questions = run.split(":", 1)
            outcomes += _from_round(Path(path), Path(questions))
        else:
            outcomes += _from_eval(Path(run))
    print("\n".join(table(outcomes, args.no)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
