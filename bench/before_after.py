"""Before/after table of two `newsrag eval --json` runs over the same questions, by group.

    python bench/before_after.py var/eval/ci_before.json var/eval/ci_final.json

Prints strict accuracy, nulls abstained, answerable questions wrongly abstained and supported
citations per question type, language and gold set, then yes/no questions right per type beside the
share of that type's majority gold answer (the bar a verdict must clear), and what the answerable
questions abstained on in the second run would have been: the generator's raw answer, judged
against the gold (a check that refuses a wrong answer is doing its job; one that refuses a right
answer costs one).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def _yes_no(run: dict[str, Any]) -> dict[str, list[int]]:
    """Per question type: [yes/no questions, right, gold "yes"]."""
    out: dict[str, list[int]] = {}
    for r in run["records"]:
        gold = (r["gold"]["answer"] or "").strip().lower()
        if gold.startswith(("yes", "no")) and not r["gold"]["null"]:
            row = out.setdefault(r["question_type"], [0, 0, 0])
            row[0] += 1
            row[1] += bool(r["strict"])
            row[2] += gold.startswith("yes")
    return out


def _refused(run: dict[str, Any]) -> tuple[int, int, int, int]:
    """Answerable questions abstained on: (answerable, abstained, raw answer right, not generated)."""
    from eval.gold import GoldQuestion
    from eval.metrics import judge_strict

    answerable = [r for r in run["records"] if not r["gold"]["null"]]
    abstained = [r for r in answerable if r["abstained"]]
    right = silent = 0
    for r in abstained:
        raw = next((n[4:].strip() for n in r.get("notes") or [] if n.startswith("raw:")), None)
        if raw is None or raw.lower().startswith("insufficient information"):
            silent += 1
            continue
        g = r["gold"]
        gold = GoldQuestion(
            id=r["id"],
            query=r["question"],
            answer=g["answer"],
            question_type=r["question_type"],
            aliases=tuple(g["aliases"]),
            all_of=tuple(g["all_of"]),
            language=r["language"],
        )
        right += judge_strict(raw, False, gold).passed
    return len(answerable), len(abstained), right, silent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (args.before, args.after))
    b, a = before["summary"], after["summary"]

    print(
        "| group | n | strict before -> after | nulls abstained | answerable wrongly abstained | cit. supported |"
    )
    print("|---|---|---|---|---|---|")
    rows = [("overall", b["overall"], a["overall"])]
    for key in ("by_type", "by_language", "by_set"):
        rows += [(f"{key[3:]}: {k}", b[key].get(k, {}), a[key][k]) for k in a[key]]
    for name, x, y in rows:
        print(
            f"| {name} | {y['n']} | {_pct(x.get('strict_accuracy'))} -> **{_pct(y.get('strict_accuracy'))}** "
            f"| {_pct(x.get('null_abstention_rate'))} -> {_pct(y.get('null_abstention_rate'))} "
            f"| {_pct(x.get('wrong_abstention_rate'))} -> {_pct(y.get('wrong_abstention_rate'))} "
            f"| {_pct(x.get('citation_supported'))} -> {_pct(y.get('citation_supported'))} |"
        )

    yes_no_before, yes_no_after = _yes_no(before), _yes_no(after)
    print("\n| yes/no questions | n | right before -> after | majority answer share |\n|---|---|---|---|")
    for qtype, (n, right, yes) in yes_no_after.items():
        was = yes_no_before.get(qtype, [0, 0, 0])[1]
        print(
            f"| {qtype} | {n} | {was} -> **{right}** ({100 * right / n:.0f}%) | {100 * max(yes, n - yes) / n:.0f}% |"
        )

    n, abstained, right, silent = _refused(after)
    print(
        f"\nanswerable questions abstained on (second run): {abstained} of {n}; the generator's own answer "
        f"was right for {right} ({100 * right / n:.1f} % of answerable), wrong for "
        f"{abstained - right - silent}, and {silent} were never answered (no passage, or the generator "
        "abstained)"
    )


if __name__ == "__main__":
    main()
