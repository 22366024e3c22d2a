"""Fit the second answer on the tuning half: what asking again after a refused reply gains and costs.

    NEWSRAG_SECOND_ANSWER=true newsrag eval --split tune --subset var/eval/tune_second_ids.txt \\
        --resume var/eval/tune_second.jsonl
    python bench/fit_second_answer.py var/eval/tune_second.jsonl

Reads the records of a run with `NEWSRAG_SECOND_ANSWER=true` (off by default). A question whose generated
reply the checks refused was asked again (its notes hold "second answer: ..."); without the second ask
it would have been abstained on, so each record gives both outcomes. For the judge threshold a second
reply must reach (the first reply's 0.94 and stricter ones), prints the second replies kept, right,
wrong and answered nulls, and the strict accuracy and abstention rates of the whole run with and
without the second ask. The chosen setting goes into rag/settings.py with a comment naming this
script and the half.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

_P = re.compile(r"p_answers=([0-9.]+)")


def second_reply_probability(notes: list[str]) -> float | None:
    """The judge's P(Yes) for the second reply: the last answer check after the "second answer" note."""
    at = next((i for i, n in enumerate(notes) if n.startswith("second answer:")), None)
    if at is None:
        return None
    checks = [m.group(1) for n in notes[at + 1 :] if (m := _P.search(n))]
    return float(checks[-1]) if checks else None


def rates(outcomes: list[tuple[bool, bool, bool]]) -> str:
    """(null, abstained, strict) per question -> strict, nulls abstained, answerable wrongly abstained."""
    nulls = [o for o in outcomes if o[0]]
    answerable = [o for o in outcomes if not o[0]]
    strict = sum(o[2] for o in outcomes) / len(outcomes)
    null_abst = sum(o[1] for o in nulls) / len(nulls) if nulls else float("nan")
    wrong_abst = sum(o[1] for o in answerable) / len(answerable) if answerable else float("nan")
    return f"strict {strict:.3f}  nulls abstained {null_abst:.3f}  answerable abstained {wrong_abst:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path)
    args = parser.parse_args(argv)
    lines = args.records.read_text(encoding="utf-8").splitlines()
    records = [r for r in (json.loads(x) for x in lines if x.strip()) if "gold" in r and not r.get("error")]
    fired = [r for r in records if any(n.startswith("second answer:") for n in r.get("notes", []))]
    fired_ids = {r["id"] for r in fired}
    print(f"{len(records)} questions; asked a second time: {len(fired)}")
    for r in fired:
        second = next(n for n in r["notes"] if n.startswith("second answer:"))[len("second answer: ") :]
        p = second_reply_probability(r["notes"])
        outcome = "abstained" if r["abstained"] else ("RIGHT" if r["strict"] else "wrong")
        gold = "(null)" if r["gold"]["null"] else r["gold"]["answer"]
        print(
            f"  {r['id']:>9}  {outcome:<9} p={p if p is None else round(p, 3)}  {second[:60]!r}  gold {gold[:40]!r}"
        )

    def outcome(r: dict, threshold: float | None) -> tuple[bool, bool, bool]:
        null = bool(r["gold"]["null"])
        if r["id"] in fired_ids and not r["abstained"]:
            p = second_reply_probability(r["notes"])
            if threshold is None or (p is not None and p < threshold):
                return (null, True, null)  # no second ask, or refused at this threshold: an abstention
        return (null, bool(r["abstained"]), bool(r["strict"]))

    print(f"\nwithout the second ask: {rates([outcome(r, None) for r in records])}")
    print("judge threshold for a second reply | kept | right | wrong | answered nulls | whole run")
    for threshold in (0.94, 0.96, 0.97, 0.98, 0.99):
        kept = [
            r for r in fired
            if not r["abstained"] and (p := second_reply_probability(r["notes"])) is not None and p >= threshold
        ]  # fmt: skip
        right = sum(1 for r in kept if r["strict"] and not r["gold"]["null"])
        nulls = sum(1 for r in kept if r["gold"]["null"])
        print(
            f"  {threshold:.2f} | {len(kept)} | {right} | {len(kept) - right - nulls} | {nulls} | "
            f"{rates([outcome(r, threshold) for r in records])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
