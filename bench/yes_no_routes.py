"""Who should answer a short yes/no question: the side-by-side verdict, the generator, or both?

    NEWSRAG_YES_NO_SHORT_CLAIMS=verdict   newsrag eval yesno --split tune --json var/eval/yn_tune_verdict.json
    NEWSRAG_YES_NO_SHORT_CLAIMS=generator newsrag eval yesno --split tune --json var/eval/yn_tune_generator.json
    NEWSRAG_YES_NO_SHORT_CLAIMS=both      newsrag eval yesno --split tune --json var/eval/yn_tune_both.json
    python bench/yes_no_routes.py verdict=var/eval/yn_tune_verdict.json generator=var/eval/yn_tune_generator.json \
        both=var/eval/yn_tune_both.json

Prints, per run, the answerable questions answered right, answered wrong and abstained on, the
near misses answered and abstained on, strict accuracy, and the measure the answer judge's threshold
was fitted by (docs/answering.md): right answers minus twice the wrong or unanswerable ones answered,
since a cited wrong answer costs a reader more than an abstention.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def outcomes(records: list[dict]) -> dict[str, int]:
    """Counts of right / wrong / abstained (answerable) and answered / abstained (near misses)."""
    out = dict.fromkeys(("right", "wrong", "abstained", "nulls answered", "nulls abstained"), 0)
    for r in records:
        if r["gold"]["null"]:
            out["nulls abstained" if r["abstained"] else "nulls answered"] += 1
        elif r["abstained"]:
            out["abstained"] += 1
        else:
            out["right" if r["strict"] else "wrong"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="+", help="NAME=RECORDS.json, as `newsrag eval --json` wrote it")
    args = parser.parse_args(argv)
    print(
        "| run | right | wrong | abstained | nulls answered | nulls abstained | strict | right - 2 x (wrong + nulls answered) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for run in args.runs:
        name, _, path = run.partition("=")
        records = json.loads(Path(path).read_text(encoding="utf-8"))["records"]
        c = outcomes(records)
        strict = (c["right"] + c["nulls abstained"]) / max(1, len(records))
        score = c["right"] - 2 * (c["wrong"] + c["nulls answered"])
        cells = " | ".join(str(c[k]) for k in c)
        print(f"| {name} ({len(records)}) | {cells} | {strict:.1%} | {score} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
