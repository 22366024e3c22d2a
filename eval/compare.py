"""Compare an eval run with a baseline: what changed per metric, which questions flipped, and the gate.

Gate margins (absolute, on the overall figures of the same question set; the only place they live):
- strict_accuracy        0.05: on the CI subset (104 questions) one question is 0.96 points. Generation
                               is greedy, but llama.cpp's float sums depend on thread scheduling and
                               Chroma's HNSW graph on insert order, so a fresh machine may flip a few
                               answers, and the answer checks decide on probabilities near their
                               thresholds; five flips pass (4.8 points), six (5.8) fail.
- abstention_accuracy    0.05: the same reasoning; it catches both over- and under-abstaining.
- null_abstention_rate   0.10: the trust figure: of the subset's 23 questions the corpus cannot answer,
                               two may flip (8.7 points), three (13.0) fail.
- citation_verification  0.02: citations are verified after generation, so this should sit at 1.0;
                               any real drop is a bug in quoting or offsets.
A metric the baseline has but the run does not (e.g. citations not checked) fails the gate, and so
does a run over a different question set: regenerate the baseline instead (see eval/baseline/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GATE_MARGINS: dict[str, float] = {
    "strict_accuracy": 0.05,
    "abstention_accuracy": 0.05,
    "null_abstention_rate": 0.10,
    "citation_verification": 0.02,
}

COMPARED_METRICS = (
    "strict_accuracy",
    "lenient_accuracy",
    "abstention_accuracy",
    "null_abstention_rate",
    "answered_null_rate",
    "wrong_abstention_rate",
    "hits_at_4",
    "hits_at_10",
    "mrr_at_10",
    "map_at_10",
    "recall_at_10",
    "citation_verification",
    "citation_supported",
    "citation_precision",
    "citation_recall",
    "seconds_per_question",
)
LOWER_IS_BETTER = {"wrong_abstention_rate", "answered_null_rate", "seconds_per_question"}


class BaselineError(ValueError):
    """A baseline file that cannot be compared against (missing, malformed, or not yet recorded)."""


def load_run(path: Path | str) -> dict[str, Any]:
    """A run JSON (`--json`) or a baseline (`--save-baseline`); both carry `summary` and `questions`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BaselineError(f"{path}: no such baseline file") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not valid JSON ({exc})") from exc
    if isinstance(data, dict) and data.get("placeholder"):
        raise BaselineError(f"{path}: the baseline has not been recorded yet. {data.get('todo', '')}".strip())
    if not isinstance(data, dict) or "summary" not in data or "questions" not in data:
        raise BaselineError(f"{path}: not a newsrag eval run or baseline (needs 'summary' and 'questions')")
    return data


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def compare_runs(base: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Per-metric deltas (overall and by question type) and the questions whose strict verdict flipped."""
    rows = []
    groups = [("overall", base["summary"]["overall"], new["summary"]["overall"])]
    for t in sorted(set(base["summary"].get("by_type", {})) | set(new["summary"].get("by_type", {}))):
        groups.append((t, base["summary"]["by_type"].get(t, {}), new["summary"]["by_type"].get(t, {})))
    for group, b, n in groups:
        for m in COMPARED_METRICS:
            bv, nv = b.get(m), n.get(m)
            if bv is None and nv is None:
                continue
            delta = None if bv is None or nv is None else nv - bv
            rows.append({"group": group, "metric": m, "baseline": bv, "now": nv, "delta": delta})
    bq, nq = base["questions"], new["questions"]
    common = sorted(set(bq) & set(nq))
    return {
        "metrics": rows,
        "broken": [i for i in common if bq[i]["strict"] and not nq[i]["strict"]],
        "fixed": [i for i in common if not bq[i]["strict"] and nq[i]["strict"]],
        "only_in_baseline": sorted(set(bq) - set(nq)),
        "only_in_run": sorted(set(nq) - set(bq)),
    }


def format_comparison(cmp: dict[str, Any], new: dict[str, Any] | None = None) -> str:
    """A plain-text table of changed metrics and the flipped questions (with the new reason)."""
    lines = [f"{'group':<18} {'metric':<24} {'baseline':>9} {'now':>9} {'delta':>8}"]
    for row in cmp["metrics"]:
        d = row["delta"]
        if d is not None and abs(d) < 1e-9:
            continue
        mark = ""
        if d is not None:
            better = d < 0 if row["metric"] in LOWER_IS_BETTER else d > 0
            mark = " +" if better else " -"
        delta = "n/a" if d is None else f"{d:+.3f}"
        lines.append(
            f"{row['group']:<18} {row['metric']:<24} {_fmt(row['baseline']):>9} {_fmt(row['now']):>9} "
            f"{delta:>8}{mark}"
        )
    if len(lines) == 1:
        lines.append("(no metric changed)")
    reasons = (new or {}).get("questions", {})
    for title, ids in (
        ("now failing (passed in baseline)", cmp["broken"]),
        ("now passing (failed in baseline)", cmp["fixed"]),
    ):
        lines.append(f"\n{title}: {len(ids)}")
        for i in ids:
            lines.append(f"  {i}: {reasons.get(i, {}).get('reason', '')}")
    for title, ids in (
        ("only in baseline", cmp["only_in_baseline"]),
        ("only in this run", cmp["only_in_run"]),
    ):
        if ids:
            lines.append(f"\n{title}: {len(ids)} ({', '.join(ids[:10])}{' ...' if len(ids) > 10 else ''})")
    return "\n".join(lines)


def gate(base: dict[str, Any], new: dict[str, Any], margins: dict[str, float] = GATE_MARGINS) -> list[str]:
    """Reasons the run fails the gate against the baseline; an empty list means it passes."""
    failures = []
    if set(base["questions"]) != set(new["questions"]):
        missing = len(set(base["questions"]) - set(new["questions"]))
        extra = len(set(new["questions"]) - set(base["questions"]))
        failures.append(
            f"question set differs from the baseline ({missing} missing, {extra} extra): "
            "run the same subset, or record a new baseline"
        )
    b, n = base["summary"]["overall"], new["summary"]["overall"]
    for metric, margin in margins.items():
        bv, nv = b.get(metric), n.get(metric)
        if bv is None:
            continue
        if nv is None:
            failures.append(f"{metric}: baseline {bv:.3f}, not measured in this run")
        elif nv < bv - margin - 1e-9:
            failures.append(f"{metric}: {nv:.3f} is more than {margin:.2f} under the baseline {bv:.3f}")
    return failures
