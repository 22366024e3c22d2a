"""Yes/no questions that claim a number or a day: which value is claimed, and how a stated one compares."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fake_llm import ScriptedLLM

from rag.value_probe import (
    ValueQuestionWriter,
    claimed_value,
    compare,
    plausible_rewrite,
    states_claimed_value,
    verdict_text,
)


@pytest.mark.parametrize(
    ("question", "text", "number", "bound"),
    [
        ("were 52 sailors lost on uss grayback", "52", Decimal(52), None),
        ("Was Cohen sentenced to five years in prison?", "five", Decimal(5), None),
        ("科恩被判了五年刑吗", "5", Decimal(5), None),
        ("is mysore division's total staff around 9,000?", "around 9,000", Decimal(9000), "about"),
        ("boris got more than 100k votes?", "more than 100k", Decimal(100_000), "more"),
        ("阿根廷政府估计每年有35万左右的非法堕胎吗", "左右 35万", Decimal(350_000), "about"),
    ],
)
def test_the_one_claimed_number_is_read_with_its_bound(
    question: str, text: str, number: Decimal, bound: str | None
) -> None:
    claim = claimed_value(question)
    assert claim is not None and (claim.text, claim.number, claim.bound) == (text, number, bound)


def test_a_claimed_day_is_read_in_either_language() -> None:
    en = claimed_value("were the airstrikes launched on march 1")
    zh = claimed_value("特朗普是4月13号开始对伊朗港口搞海上封锁的，是吗")
    assert en is not None and (en.month, en.day) == (3, 1)
    assert zh is not None and (zh.month, zh.day) == (4, 13)


@pytest.mark.parametrize(
    "question",
    [
        "Did Lib Dem leader Jo Swinson hold on to her seat in the 2019 UK general election?",  # a year
        "brazil is a g7 member right?",  # a number in a name
        "did the usmnt beat senegal 3-2 in charlotte",  # a score
        "were the 3 firefighters seriously hurt when their truck rolled",  # taken as given
        "那两个警察事后把照片都删掉了吗",  # taken as given
        "did pakistan help broker the april 8 us-iran ceasefire",  # a day naming an event
        "FCC海底电缆新规是6月25号投票当天就生效了吗",  # the day of an event
        "5月18号那会儿霍尔木兹海峡还能正常通航吗",  # a day setting the time
        "14岁的zoe出事时坐在校车下层吗",  # an age setting the subject
        "did the dow close above 51,000 for the first time on may 29",  # two values
        "is immigration one of the biden sanders working groups",  # "one of"
        "did anyone try to storm area 51",  # a place's name
    ],
)
def test_no_value_is_claimed_where_a_number_is_setting_or_name(question: str) -> None:
    assert claimed_value(question) is None


@pytest.mark.parametrize(
    ("question", "answer", "verdict"),
    [
        ("were 52 sailors lost on uss grayback", "80 [1]", "no"),
        ("were 52 sailors lost on uss grayback", "52 sailors [1]", "yes"),
        ("Was Cohen sentenced to five years in prison?", "3 years [2]", "no"),
        ("Was Cohen sentenced to five years in prison?", "36 months [2]", None),  # other units
        ("科恩被判了五年刑吗", "三年 [1]", "no"),
        ("is mysore division's total staff around 9,000?", "about 8,900 [1]", "yes"),
        ("is mysore division's total staff around 9,000?", "6,000 [1]", "no"),
        ("boris got more than 100k votes?", "120,000 [1]", "yes"),
        ("boris got more than 100k votes?", "25,351 [1]", "no"),
        ("did more than 100 people die?", "over 80 [1]", None),  # a bound that does not decide
        ("pleaded guilty to 30 charges?", "29 out of 30 [1]", "no"),  # the answer's own value first
        ("were the airstrikes launched on march 1", "February 28, 2026 [1]", "no"),
        ("were the airstrikes launched on march 1", "2月28日 [1]", "no"),
        ("were the airstrikes launched on march 1", "March 1 [1]", "yes"),
        ("were the airstrikes launched on march 1", "in March [1]", None),
        ("were 52 sailors lost on uss grayback", "the crew [1]", None),
    ],
)
def test_a_stated_value_confirms_or_contradicts_the_claim(
    question: str, answer: str, verdict: str | None
) -> None:
    claim = claimed_value(question)
    assert claim is not None
    assert compare(claim, answer) == verdict


def test_the_reply_opens_with_the_verdict_and_keeps_the_value_and_citation() -> None:
    assert verdict_text("no", "80 [1]") == "No, 80 [1]"


def test_a_rewrite_must_ask_for_the_value_without_it_and_keep_the_rest() -> None:
    question = "were 52 sailors lost on uss grayback"
    claim = claimed_value(question)
    assert claim is not None
    assert plausible_rewrite(question, claim, "How many sailors were lost on USS Grayback?")
    assert not plausible_rewrite(question, claim, "Were 52 sailors lost on the USS Grayback?")  # still yes/no
    assert not plausible_rewrite(question, claim, "How many of the 52 sailors were lost on USS Grayback?")
    assert not plausible_rewrite(question, claim, "How many people died in the war?")  # drifted


def test_the_writer_returns_a_plausible_rewrite_and_drops_an_answer() -> None:
    claim = claimed_value("were 52 sailors lost on uss grayback")
    assert claim is not None
    good = ScriptedLLM(reply="How many sailors were lost on USS Grayback?\n")
    assert ValueQuestionWriter(good).run("were 52 sailors lost on uss grayback", claim) == (
        "How many sailors were lost on USS Grayback?"
    )
    assert "Value: 52" in good.asked[-1]
    answered = ScriptedLLM(reply="Yes, 52 sailors were lost.\n")
    assert ValueQuestionWriter(answered).run("were 52 sailors lost on uss grayback", claim) is None


def test_evidence_that_also_states_the_claimed_value_is_seen() -> None:
    claim = claimed_value("伊朗卫生部那天公布的累计死亡人数是66人吗")
    assert claim is not None
    quote = "the total number of those infected until now is 1501 and the number of deaths is 66"
    assert compare(claim, "1501 [1]") == "no"
    assert states_claimed_value(claim, quote)
    assert not states_claimed_value(claim, "the total number of those infected until now is 1501")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "乌干达报告的跟刚果东部疫情有关的埃博拉死亡病例是5例吗？",
            "乌干达报告的跟刚果东部疫情有关的埃博拉死亡病例是多少例？",
        ),
        ("另外还有十位共和党参议员一起联署吗？", "另外还有多少位共和党参议员一起联署？"),
        ("萨摩亚政府是10月16号正式确认麻疹疫情的吗", "萨摩亚政府是哪天正式确认麻疹疫情的？"),
        ("北阿拉帕霍那批野牛是不是运了500多英里才到怀俄明", "北阿拉帕霍那批野牛是运了多少英里才到怀俄明？"),
        (
            "美国团结党的组合2020年在八个州拿到了选票资格，对吧",
            "美国团结党的组合2020年在多少个州拿到了选票资格？",
        ),
        ("拿到美国籍的中国人至少有75万吗", "拿到美国籍的中国人有多少？"),
    ],
)
def test_a_chinese_question_asks_for_the_value_in_place(question: str, asked: str) -> None:
    claim = claimed_value(question)
    assert claim is not None
    assert ValueQuestionWriter(ScriptedLLM(reply="unused")).run(question, claim) == asked
