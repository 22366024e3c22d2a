"""The committed tune/check split: complete, stable, balanced, pairs kept together."""

from __future__ import annotations

from collections import Counter

from eval import split
from eval.gold import GoldQuestion, load_gold_sets


def _q(qid: str, qtype: str = "inference_query", pair: str = "", answer: str = "x") -> GoldQuestion:
    return GoldQuestion(
        id=qid, query=f"q {qid}?", answer=answer, question_type=qtype, pair=pair, set_name="toy"
    )


def test_every_packaged_question_is_in_the_committed_split() -> None:
    recorded = split.read_split()
    questions = load_gold_sets()
    assert {q.id for q in questions} == set(recorded)
    assert split.build_split(questions, recorded) == recorded  # regenerating changes nothing


def test_halves_are_balanced_by_type_and_language() -> None:
    questions = load_gold_sets()
    tune, check = split.select_half(questions, "tune"), split.select_half(questions, "check")
    assert abs(len(tune) - len(check)) <= 0.05 * len(questions)
    for key in ("question_type", "language", "set_name"):
        a, b = Counter(getattr(q, key) for q in tune), Counter(getattr(q, key) for q in check)
        for value in set(a) | set(b):
            assert abs(a[value] - b[value]) <= max(3, 0.15 * (a[value] + b[value])), (key, value)


def test_pairs_stay_together_and_recorded_halves_never_move() -> None:
    qs = [_q("a1", "null_query", pair="p"), _q("a2", pair="p"), *(_q(f"b{i}") for i in range(20))]
    first = split.build_split(qs, {})
    assert first["a1"] == first["a2"]
    counts = Counter(first.values())
    assert abs(counts["tune"] - counts["check"]) <= 2
    grown = [*qs, *(_q(f"c{i}") for i in range(10))]
    second = split.build_split(grown, first)
    assert all(second[k] == v for k, v in first.items())


def test_unknown_questions_fall_in_a_half_by_hash() -> None:
    q = _q("user-question-1")
    assert split.half_of(q, {}) == split.half_of(q, {}) in split.HALVES
    assert split.half_of(q, {"user-question-1": "check"}) == "check"
