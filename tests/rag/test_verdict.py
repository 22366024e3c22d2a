"""Which yes/no questions are one short claim, and how a reply's polarity is read."""

from __future__ import annotations

import pytest

from rag.verdict import one_short_claim, polarity


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
