"""Which yes/no questions are one short claim, and how a reply's polarity is read."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from llama_index.core.base.llms.types import ChatMessage

from rag.models import Filters, Passage
from rag.verdict import SideBySideVerdict, _statement, one_short_claim, polarity


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


def _passage(chunk_id: str, title: str, text: str) -> Passage:
    return Passage(
        chunk_id,
        chunk_id,
        text,
        0,
        len(text),
        1.0,
        title,
        source="English Wikinews",
        published_at="2019-07-28",
        language="en",
    )


class _Search:
    """A side's own retrieval: an article that matches the claim's words better than the cited one."""

    def retrieve(self, query: str, filters: Filters | None = None, top_k: int = 10) -> list[Passage]:
        return [_passage("other", "Houston convention", "The Texas Haunters Convention was held in Houston.")]


class _Scorer:
    def __init__(self) -> None:
        self.prompts: list[str] = []

    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        self.prompts.append(str(messages[-1].content))
        return (0.5, 0.5)


@pytest.mark.parametrize("search", [True, False])
def test_a_reply_is_confirmed_on_the_passage_it_cites_not_on_a_better_worded_one(search: bool) -> None:
    cited = _passage(
        "cited", "Haunters meet in Mesquite", "Wikinews attended the convention in Mesquite, Texas."
    )
    scorer = _Scorer()
    verdict = SideBySideVerdict(None, "system", _Search(), [], scorer=scorer)  # type: ignore[arg-type]
    verdict.run("was the texas haunters convention held in houston", [cited], search=search)
    judged = [p for p in scorer.prompts if "Statement: The texas haunters" in p]
    assert judged and all(("Houston convention" in p) == search for p in judged)


class _Unlikely(_Scorer):
    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        self.prompts.append(str(messages[-1].content))
        return tuple(0.05 if label == "Yes" else 0.95 for label in labels)


class _Nothing:
    def retrieve(self, query: str, filters: Filters | None = None, top_k: int = 10) -> list[Passage]:
        return []


def test_a_relation_of_two_events_no_report_is_named_for_is_not_denied() -> None:
    """The joint judge's "No" needs a report to say it; a user's "X before Y" names none."""
    fan_zone = _passage("a", "Fan zone", "Storms closed the fan zone on the National Mall on Friday.")
    match = Passage(
        "b", "b", "Argentina beat Paraguay 2-0.", 0, 28, 1.0, "Argentina vs Paraguay",
        source="Sporting News", published_at="2023-10-12", language="en",
    )  # fmt: skip
    verdict = SideBySideVerdict(None, "system", _Nothing(), ["Sporting News"], scorer=_Unlikely())  # type: ignore[arg-type]
    typed = verdict.run("was the fan zone shut by storms before usa vs paraguay", [fan_zone, match])
    assert typed is not None and typed.text == "Insufficient information."
    named = verdict.run(
        "Did the Wikinews report on storms closing the fan zone come out before the Sporting News report on Paraguay?",
        [fan_zone, match],
    )
    assert named is not None and named.text.startswith("No")


class _Likely(_Scorer):
    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        self.prompts.append(str(messages[-1].content))
        return tuple(0.95 if label == "Yes" else 0.05 for label in labels)


def test_a_relation_is_judged_only_on_passages_about_each_side() -> None:
    """A side whose passage names none of its names is not judged: no "Yes" from an unrelated report."""
    convention = _passage("a", "On the campaign trail", "The convention raised ethics questions as well.")
    meeting = _passage("b", "Rubio meets Dar", "Rubio shook hands with Ishaq Dar but took no questions.")
    scorer = _Likely()
    verdict = SideBySideVerdict(None, "system", _Nothing(), [], scorer=scorer)  # type: ignore[arg-type]
    asked = "did Rubio take questions before his meeting with Ishaq Dar"
    unrelated = verdict.run(asked, [convention, meeting])
    assert unrelated.text == "Insufficient information." and scorer.prompts == []
    about_both = _passage("c", "Rubio at the podium", "Rubio took questions from reporters on Friday.")
    assert verdict.run(asked, [about_both, meeting]).text.startswith("Yes")
