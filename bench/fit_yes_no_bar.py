"""Fit the answer judge's bar for a bare "Yes" or "No" from the generator (`min_yes_no_probability`).

    NEWSRAG_MIN_YES_NO_PROBABILITY=0 newsrag eval yesno --split tune --json var/eval/yn_tune_bar0.json
    python bench/fit_yes_no_bar.py var/eval/yn_tune_bar0.json

Run with the bar at 0, every bare reply that passes the other checks is judged, recorded with its
P(answers) in the answer's notes, and put to the side-by-side verdict. Replayed at each bar, a reply is
kept when it was kept at 0 and its P(answers) reaches the bar. Prints, per bar, the right and wrong
answers, the near misses answered, strict accuracy, and right - 2 x (wrong + nulls answered): the
measure `min_answer_probability` was fitted by (a cited wrong answer costs more than an abstention).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_P = re.compile(r"answer check: ok; .*p_answers=([\d.]+)")


def _judged(record: dict) -> float | None:
    """P(answers) of a kept bare reply (None: not a judged bare reply)."""
    raw = next((n[5:] for n in record["notes"] if n.startswith("raw: ")), "")
    if not re.fullmatch(r"(?i)\s*(?:yes|no|是|不是|否|对|不对|有|没有)\W*(?:\[[\d, ]+\]\W*)*", raw):
        return None
    found = [float(m.group(1)) for n in record["notes"] if (m := _P.search(n))]
    return found[-1] if found else None


def main(paths: list[str]) -> int:
    records = [r for p in paths for r in json.loads(Path(p).read_text())["records"]]
    bars = sorted({0.0, *(round(x / 100, 2) for x in range(50, 100, 5)), 0.935, 0.9, 0.8})
    print(f"{len(records)} questions ({sum(r['gold']['null'] for r in records)} the corpus cannot answer)")
    print(
        "| bar | right | wrong | nulls answered | abstained | strict | right - 2 x (wrong + nulls answered) |"
    )
    print("|---|---|---|---|---|---|---|")
    for bar in bars:
        right = wrong = nulls = abstained = strict = 0
        for r in records:
            p = _judged(r)
            kept = not r["abstained"] and (p is None or p >= bar)
            if r["gold"]["null"]:
                nulls += kept
                strict += not kept
            elif kept:
                right += r["strict"]
                wrong += not r["strict"]
                strict += r["strict"]
            else:
                abstained += 1
        print(
            f"| {bar:.3f} | {right} | {wrong} | {nulls} | {abstained} | {strict / len(records):.1%} | "
            f"{right - 2 * (wrong + nulls)} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
