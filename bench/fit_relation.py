"""Fit the relation check on the tuning half: does the evidence state what a short question asks about?

    python bench/fit_relation.py var/eval/tune_fit3.json var/eval/tune_precise_true.json ...

"Who is Princess Ubolratana's husband?" answered from a sentence that names the princess but says
nothing of a husband: the names match, the judge may pass it, yet the evidence does not state the
relation asked. The check (`rag.constraints.relation_coverage`) takes a short Latin-script question's
lowercase content words ("husband"; "cause", "death") and asks that a share of them appear in the
cited passages or their titles.

Reads `newsrag eval --json` runs of the tuning half, keeps the generated answers that every shipped
check let through (an answer the judge refused at `min_answer_probability` by its notes is left
out), one per question and answer text, and prints, per threshold, the right answers the check would
lose and the wrong answers and answered nulls it would catch.

With `--clipped` it lists instead the questions whose relation check a clipped word changes ("vet"
stated by "veterinarian", `rag.constraints._clipped`), over each question's four best passages, in
eval runs (`.json`) or `newsrag ask --json` outputs (`.jsonl`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rag.constraints import check_relation, relation_coverage
from rag.meaning import index_embedder
from rag.settings import RagSettings

_P = re.compile(r"p_answers=([0-9.]+)")
_YES_NO = re.compile(r"(?i)^\W*(yes|no)\b")
THRESHOLDS = (0.2, 0.34, 0.5, 0.6, 0.67, 0.75)


def survivors(paths: list[Path], min_p: float) -> list[tuple[float, bool, dict]]:
    """(coverage, right, record) for each distinct answer that passed the shipped checks."""
    out, seen = [], set()
    for path in paths:
        for r in json.loads(path.read_text(encoding="utf-8"))["records"]:
            if r["abstained"] or not r["citations"] or _YES_NO.match(r["answer"]):
                continue
            p = next((float(m.group(1)) for n in r.get("notes") or [] if (m := _P.search(n))), None)
            if (p is not None and p < min_p) or (r["id"], r["answer"]) in seen:
                continue
            seen.add((r["id"], r["answer"]))
            by_chunk = {p["chunk_id"]: p for p in r["retrieved"]}
            evidence = [
                f"{c['title']} {by_chunk[c['chunk_id']]['text'] if c['chunk_id'] in by_chunk else c['quote']}"
                for c in r["citations"]
            ]
            coverage = relation_coverage(r["question"], r["answer"], evidence)
            if coverage is not None:
                out.append((coverage, (not r["gold"]["null"]) and r["strict"], r))
    return out


def clipped(paths: list[Path]) -> int:
    """Print each question whose unstated relation words the clipped-word reading changes."""
    embed = index_embedder()  # the index's own model: the one the pipeline compares words with

    seen, changed = set(), 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        records = (
            json.loads(text)["records"]
            if path.suffix == ".json"
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
        for r in records:
            if r["question"] in seen:
                continue
            seen.add(r["question"])
            evidence = [f"{p.get('title', '')} {p['text']}" for p in r["retrieved"][:4]]
            before = check_relation(r["question"], "", evidence)
            after = check_relation(r["question"], "", evidence, embed)
            if before and after and before.unstated != after.unstated:
                changed += 1
                print(
                    f"  {r.get('id')}: {r['question'][:70]}  {sorted(before.unstated)} -> {sorted(after.unstated)}"
                )
    print(f"{changed} of {len(seen)} questions change")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", type=Path)
    ap.add_argument("--clipped", action="store_true", help="list what the clipped-word reading changes")
    args = ap.parse_args()
    if args.clipped:
        return clipped(args.runs)
    rows = survivors(args.runs, RagSettings().min_answer_probability)
    right = sum(ok for _, ok, _ in rows)
    print(f"{len(rows)} answers with relation words: {right} right, {len(rows) - right} wrong or to a null")
    print("threshold  right lost  wrong caught")
    for t in THRESHOLDS:
        lost = sum(ok for c, ok, _ in rows if c < t)
        caught = sum(not ok for c, ok, _ in rows if c < t)
        print(f"{t:9.2f}  {lost:10d}  {caught:12d}")
    print("\nunder 0.5:")
    for c, ok, r in sorted(rows, key=lambda x: x[0]):
        if c < 0.5:
            print(
                f"  {c:.2f} {'RIGHT' if ok else 'wrong'} {r['id']}: {r['question'][:70]} -> {r['answer'][:40]}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
