"""Fit the pre-generation abstention ("nothing relevant", rag/relevance.py) on one half of the dev split.

    python bench/abstain_fit.py --split tune [--index DIR] [--max-lost 1] [--json OUT]
    python bench/abstain_fit.py --rows OUT.json             # refit from saved signals, no retrieval

Retrieval only (no generator): for every question of the split, the two corpus-free signals the test
reads (`best_dense`, the best cosine of the question to a candidate; `best_coverage`, the best share
of its content words in one candidate) and, for comparison, the old corpus-dependent one
(`top_score`, the first passage's fused score). Prints their percentiles for answerable vs null
questions, then the threshold pairs that abstain on the most null questions while losing at most
`--max-lost` answerable ones, and the chosen pair (ties: the lowest thresholds, the widest margin).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import load_gold_sets
from eval.metrics import percentile
from index.offline import enforce_offline

DENSE_GRID = [round(0.25 + 0.01 * i, 2) for i in range(31)]  # 0.25 .. 0.55
COVERAGE_GRID = [round(0.05 * i, 2) for i in range(21)]  # 0 .. 1
OLD_RULE = (0.4, 0.38)  # the shipped rule before issue 19: top_score < 0.4 and best_dense < 0.38


def collect(index_dir: Path | None, split: str | None, sets: Sequence[str]) -> list[dict[str, Any]]:
    """The signals of every selected question (retrieval as the assistant runs it, no filters)."""
    from tqdm.auto import tqdm

    from index.settings import IndexSettings
    from index.store import NewsIndex
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings

    questions = load_gold_sets(list(sets))
    if split:
        from eval.split import select_half

        questions = select_half(questions, split)  # type: ignore[arg-type]
    index_settings = IndexSettings(index_dir=index_dir) if index_dir else IndexSettings()
    settings = RagSettings(index=index_settings)
    retriever = HybridRetriever(NewsIndex.open(index_settings), settings)
    rows = []
    for q in tqdm(questions, unit="question", desc="Retrieving"):
        res = retriever.search(q.query, top_k=settings.retrieve_top_k)
        rows.append(
            {
                "id": q.id,
                "set": q.set_name,
                "type": q.question_type,
                "language": q.language,
                "tags": list(q.tags),
                "null": q.is_null,
                "best_dense": round(res.best_dense, 4),
                "best_coverage": round(res.best_coverage, 4),
                "top_score": round(res.passages[0].score, 4) if res.passages else 0.0,
                "hits_at_4": None if q.is_null else _hits_at_4([p.text for p in res.passages], q.facts),
            }
        )
    return rows


def _hits_at_4(passages: list[str], facts: Sequence[str]) -> float | None:
    from eval.metrics import retrieval_scores

    scores = retrieval_scores(passages, facts)
    return None if scores is None else scores.hits_at_4


def abstains(row: dict[str, Any], dense: float, coverage: float) -> bool:
    return row["best_dense"] < dense and row["best_coverage"] < coverage


def old_abstains(row: dict[str, Any]) -> bool:
    return row["top_score"] < OLD_RULE[0] and row["best_dense"] < OLD_RULE[1]


def fit(rows: list[dict[str, Any]], max_lost: int) -> tuple[float, float, int, int]:
    """(dense, coverage, nulls caught, answerable lost) of the best pair within the loss budget."""
    best: tuple[float, float, int, int] | None = None
    for dense in DENSE_GRID:
        for coverage in COVERAGE_GRID:
            caught = sum(abstains(r, dense, coverage) for r in rows if r["null"])
            lost = sum(abstains(r, dense, coverage) for r in rows if not r["null"])
            if lost <= max_lost and (best is None or caught > best[2]):
                best = (dense, coverage, caught, lost)
    assert best is not None
    return best


def _pcts(values: list[float]) -> str:
    return " ".join(f"{percentile(values, p):.3f}" for p in (10, 25, 50, 75, 90)) if values else "-"


def report(rows: list[dict[str, Any]], max_lost: int) -> None:
    answerable = [r for r in rows if not r["null"]]
    null = [r for r in rows if r["null"]]
    print(f"{len(rows)} questions: {len(answerable)} answerable, {len(null)} null")
    print("percentiles 10/25/50/75/90")
    for key in ("best_dense", "best_coverage", "top_score"):
        print(
            f"  {key:<14} answerable {_pcts([r[key] for r in answerable])}   null {_pcts([r[key] for r in null])}"
        )

    print("\nnull questions caught with at most N answerable lost (dense < D and coverage < C):")
    for budget in sorted({0, 1, 2, 3, 5, max_lost}):
        d, c, caught, lost = fit(rows, budget)
        print(f"  N={budget}: D={d:.2f} C={c:.2f} -> {caught}/{len(null)} null, {lost} answerable lost")
    d, c, caught, lost = fit(rows, max_lost)
    old_caught = sum(old_abstains(r) for r in null)
    old_lost = [r["id"] for r in answerable if old_abstains(r)]
    print(f"\nchosen (max lost {max_lost}): abstain_below_dense={d:.2f} abstain_below_coverage={c:.2f}")
    print(f"  null abstained {caught}/{len(null)}; answerable lost {lost}: "
          f"{[r['id'] for r in answerable if abstains(r, d, c)]}")  # fmt: skip
    print(f"  old rule (top_score < {OLD_RULE[0]} and best_dense < {OLD_RULE[1]}): null {old_caught}/{len(null)}, "
          f"answerable lost {len(old_lost)}: {old_lost}")  # fmt: skip
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["set"], []).append(r)
        for tag in r["tags"]:
            groups.setdefault(f"tag {tag}", []).append(r)
    print("  by set / tag (new rule | old rule): null abstained, answerable lost")
    for name, grp in sorted(groups.items()):
        n_null = [r for r in grp if r["null"]]
        n_ans = [r for r in grp if not r["null"]]
        new = f"{sum(abstains(r, d, c) for r in n_null)}/{len(n_null)} {sum(abstains(r, d, c) for r in n_ans)}/{len(n_ans)}"
        old = f"{sum(old_abstains(r) for r in n_null)}/{len(n_null)} {sum(old_abstains(r) for r in n_ans)}/{len(n_ans)}"
        print(f"    {name:<22} {new:<14} | {old}")


def main(argv: Sequence[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, help="index directory (default: the configured one)")
    ap.add_argument(
        "--split", choices=["tune", "check"], default="tune", help="half of the dev split (fit on tune)"
    )
    ap.add_argument("--sets", nargs="*", default=[], help="gold sets (default: every dev set)")
    ap.add_argument("--max-lost", type=int, default=1, help="answerable questions the fit may abstain on")
    ap.add_argument("--json", type=Path, help="save the per-question signals here")
    ap.add_argument("--rows", type=Path, help="refit from signals saved with --json (no retrieval)")
    args = ap.parse_args(argv)
    if args.rows:
        rows = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        rows = collect(args.index, args.split, args.sets)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    report(rows, args.max_lost)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
