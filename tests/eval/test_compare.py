"""Comparison with a baseline and the CI gate: real regressions fail, noise within the margin passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.compare import GATE_MARGINS, BaselineError, compare_runs, format_comparison, gate, load_run


def run(
    strict: float = 0.80,
    abstention: float = 0.90,
    verified: float | None = 1.0,
    flips=None,
    ids=None,
    nulls: float | None = None,
):
    """A synthetic run summary: 10 questions q0..q9, the first `8` passing unless flipped."""
    ids = ids or [f"q{i}" for i in range(10)]
    questions = {
        i: {
            "set": "s",
            "question_type": "inference_query",
            "strict": n < 8,
            "abstained": False,
            "reason": "ok" if n < 8 else "wrong answer",
        }
        for n, i in enumerate(ids)
    }
    for i, value in (flips or {}).items():
        questions[i] = {**questions[i], "strict": value, "reason": "flipped"}
    overall = {
        "n": len(ids),
        "strict_accuracy": strict,
        "lenient_accuracy": 0.9,
        "abstention_accuracy": abstention,
        "hits_at_4": 0.7,
        "citation_verification": verified,
        "seconds_per_question": 2.0,
    }
    if nulls is not None:
        overall["null_abstention_rate"] = nulls
    return {
        "summary": {"overall": overall, "by_type": {"inference_query": dict(overall)}},
        "questions": questions,
    }


def test_margins_are_the_documented_ones() -> None:
    assert GATE_MARGINS == {
        "strict_accuracy": 0.05,
        "abstention_accuracy": 0.05,
        "null_abstention_rate": 0.10,
        "citation_verification": 0.02,
    }


def test_same_run_passes() -> None:
    assert gate(run(), run()) == []


def test_drop_within_margin_passes_and_beyond_fails() -> None:
    assert gate(run(strict=0.80), run(strict=0.77)) == []
    assert gate(run(strict=0.80), run(strict=0.75)) == []  # exactly the margin
    failures = gate(run(strict=0.80), run(strict=0.74))
    assert len(failures) == 1 and failures[0].startswith("strict_accuracy: 0.740")


def test_each_gated_metric_can_fail() -> None:
    assert gate(run(abstention=0.90), run(abstention=0.80))[0].startswith("abstention_accuracy")
    assert gate(run(verified=1.0), run(verified=0.97))[0].startswith("citation_verification")
    assert gate(run(nulls=0.9), run(nulls=0.8)) == []  # two of 22 nulls flipping pass
    assert gate(run(nulls=0.9), run(nulls=0.75))[0].startswith("null_abstention_rate")
    assert gate(run(verified=1.0), run(verified=None)) == [
        "citation_verification: baseline 1.000, not measured in this run"
    ]
    assert gate(run(verified=None), run(verified=None)) == []  # nothing to hold it to


def test_improvement_passes() -> None:
    assert gate(run(strict=0.5), run(strict=0.9)) == []


def test_different_question_set_fails() -> None:
    failures = gate(run(), run(ids=[f"q{i}" for i in range(9)] + ["new"]))
    assert failures and "question set differs from the baseline (1 missing, 1 extra)" in failures[0]


def test_compare_lists_flips_and_deltas() -> None:
    base = run()
    new = run(strict=0.80, flips={"q1": False, "q9": True})
    cmp = compare_runs(base, new)
    assert cmp["broken"] == ["q1"] and cmp["fixed"] == ["q9"]
    text = format_comparison(compare_runs(base, run(strict=0.7, flips={"q1": False})), new)
    assert "strict_accuracy" in text and "-0.100 -" in text
    assert "now failing (passed in baseline): 1\n  q1: flipped" in text
    assert "(no metric changed)" in format_comparison(compare_runs(base, base))


def test_lower_is_better_metrics_are_marked_right() -> None:
    slower = run()
    slower["summary"]["overall"]["seconds_per_question"] = 3.0
    text = format_comparison(compare_runs(run(), slower))
    assert "seconds_per_question" in text and "+1.000 -" in text


def test_load_run(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(run()), encoding="utf-8")
    assert load_run(good)["summary"]["overall"]["n"] == 10
    for name, content, message in [
        ("missing.json", None, "no such baseline file"),
        ("bad.json", "{", "not valid JSON"),
        ("other.json", '{"a": 1}', "not a newsrag eval run"),
        ("placeholder.json", '{"placeholder": true, "todo": "run X"}', "not been recorded yet. run X"),
    ]:
        path = tmp_path / name
        if content is not None:
            path.write_text(content, encoding="utf-8")
        with pytest.raises(BaselineError, match=message):
            load_run(path)
