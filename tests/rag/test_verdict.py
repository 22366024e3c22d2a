"""Which yes/no questions are one short claim, and how a reply's polarity is read."""

from __future__ import annotations

import pytest

from rag.verdict import _statement, one_short_claim, polarity


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("did carrie lam resign", True),
        ("敏辛已经被释放了吗", True),
        ("did russia broker the deal between the sdf and damascus", True),  # two parties, one claim
        ("Does The Verge report that the Pixel 8 costs $699?", False),  # names a report
        ("Does The Verge report X, while TechCrunch reports Y?", False),  # two sides
        (" ".join(["was"] + ["word"] * 25), False),  # a long multi-report question's length
    ],
)
def test_one_short_claim(question: str, expected: bool) -> None:
    assert one_short_claim(question, ["The Verge", "TechCrunch"]) is expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Yes [1]", "yes"),
        ("No, it was held [2]", "no"),
        ("是 [1]", "yes"),
        ("不是 [1]", "no"),
        ("没有 [1]", "no"),
        ("Insufficient information.", None),
        ("Nobody said [1]", None),  # a word starting with "no" is no polarity
    ],
)
def test_polarity(reply: str, expected: str | None) -> None:
    assert polarity(reply) == expected


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        ("did carrie lam resign?", "Carrie lam resign"),
        ("the riaa sent the notice to github, right?", "The riaa sent the notice to github"),
        ("fernandez wants to legalise abortion, doesn't he?", "Fernandez wants to legalise abortion"),
        ("美伊协议已经签了，对吧？", "美伊协议已经签了"),
        ("赖清德说要维持现状吧", "赖清德说要维持现状"),
        ("so the fire was put out", "So the fire was put out"),
        ("is that true", "That true"),  # no comma: part of the claim
    ],
)
def test_a_question_is_judged_as_its_claim_without_a_confirming_tag(question: str, statement: str) -> None:
    assert _statement(question) == statement
