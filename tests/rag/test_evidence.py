"""Which sentences may be quoted as evidence (`rag.evidence.not_evidence`)."""

from __future__ import annotations

import pytest

from rag.evidence import not_evidence


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("Which country has won the most medals?", "question"),
        ("((WN)) What was the most difficult part of this study", "question"),
        # a question put to someone, with no reply in the sentence (round twenty's s53-38)
        ("推演结束后的记者会上，李问被问及此次推演是否参考了近期霍尔木兹海峡封锁的经验。", "question"),
        ("The spokeswoman was asked whether the talks would resume next week.", "question"),
        ("Ma Si contributed to this story.", "byline"),
        ("（美国之音记者李逸华报道）", "byline"),
        ("Dakota, a deer. Image: Nicholas Moreau.", "caption"),
        ("Fans queue outside the stadium (file photo)", "caption"),
        ("特朗普在白宫发表讲话。照片：美联社", "caption"),
        ("特朗普在白宫发表讲话。图片（路透社）", "caption"),
        ("Markets slide\nOil hits high\nElection latest\nWeather", "headline list"),
    ],
)
def test_questions_bylines_captions_and_headline_lists_are_not_evidence(sentence: str, why: str) -> None:
    assert not_evidence(sentence) == why


@pytest.mark.parametrize(
    "sentence",
    [
        "Established in 2009, Aliyun accounts for only a small portion of Alibaba's business.",
        "The photo agency said it had 40 staff.",
        # the question and its reply: a statement
        "When asked whether the talks would resume, the spokeswoman said they would.",
        "李问被问及此次推演是否参考了霍尔木兹海峡的经验时表示，推演早已规划。",
        # photos of a list of countries, in prose: a statement, not a photo's credit
        "讲师告诉观众关于长期洲际旅行的知识，展示了访问国家的照片（巴布亚新几内亚，玻利维亚，阿根廷和埃塞俄比亚—没有足够的时间进行更多）和自己国家的事情。",
    ],
)
def test_statements_are_evidence(sentence: str) -> None:
    assert not_evidence(sentence) is None
