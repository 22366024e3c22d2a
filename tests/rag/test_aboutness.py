"""A bare value cited from a sentence that says nothing of the question is refused, and so is a count
of another thing than the question counts."""

from __future__ import annotations

import pytest
from toy_embedding import embed_with_synonyms

from rag.aboutness import (
    OffTopicValueCheck,
    OtherCountedThingCheck,
    ShareOfAnotherWholeCheck,
    SiblingItemCheck,
    is_bare_value,
)

POWER = "The company said power was restored by 20:21 following delays caused by warm weather at the time."
FIRE_QUESTION = "what time was the fire from the fairfield crash put out"


@pytest.mark.parametrize(
    ("answer", "bare"),
    [
        ("20:21 [1]", True),
        ("around 200", True),
        ("7 January 2020", True),
        ("45%", True),
        ("two", True),
        ("三年", True),
        ("Friday, 22 May 2020", True),  # a weekday beside a date
        ("2026年6月6日（星期六） [1]", True),
        ("Friday", False),
        ("Ma Ngok [1]", False),
        ("Yes", False),
        ("the sixth annual", False),
    ],
)
def test_a_bare_value_is_a_number_a_date_or_a_time_alone(answer: str, bare: bool) -> None:
    assert is_bare_value(answer) is bare


def test_a_time_cited_from_a_sentence_about_something_else_is_refused() -> None:
    assert OffTopicValueCheck(None).run(FIRE_QUESTION, "20:21", [POWER])


def test_a_sentence_sharing_a_word_with_the_question_keeps_the_value() -> None:
    quote = "CalFire said the fire was put out by 20:21."
    assert not OffTopicValueCheck(None).run(FIRE_QUESTION, "20:21", [quote])
    # one cited sentence about what was asked is enough
    assert not OffTopicValueCheck(None).run(FIRE_QUESTION, "20:21", [POWER, quote])


def test_a_word_close_in_meaning_counts_as_shared() -> None:
    question = "how many cops were hurt at the rally"
    quote = "Twenty people were arrested, and two police officers were injured."
    assert OffTopicValueCheck(None).run(question, "2", [quote])  # stems alone: refused
    embed = embed_with_synonyms(("cops", "police"))
    assert not OffTopicValueCheck(embed).run(question, "2", [quote])
    # and a word merely present in the model is not close to everything
    assert OffTopicValueCheck(embed_with_synonyms(("fire", "flames"))).run(FIRE_QUESTION, "20:21", [POWER])


def test_a_sentence_referring_back_keeps_the_value() -> None:
    question = "how old was the yemeni journalist who got shot in aden"
    assert not OffTopicValueCheck(None).run(question, "34", ["He was 34 and reported on the civil war."])
    assert OffTopicValueCheck(None).run(question, "34", ["Officials counted 34 ballots on Monday."])


def test_accents_are_folded_before_words_are_compared() -> None:
    quote = "47-year-old Matovič's government office has cancelled all upcoming events."
    assert not OffTopicValueCheck(None).run("how old is igor matovic", "47", [quote])


def test_names_and_sentences_in_another_script_are_left_to_the_other_checks() -> None:
    assert not OffTopicValueCheck(None).run("who said power was back", "Ma Ngok", [POWER])
    # a Chinese question is compared with English sentences through its translation, not here
    assert not OffTopicValueCheck(None).run("费尔菲尔德坠机的火是几点扑灭的", "20:21", [POWER])


def test_a_count_of_another_thing_is_refused() -> None:
    question = "how many patients did the opioid doctor smithers have"
    assert OtherCountedThingCheck(None).run(question, "5 [1]", ["Smithers is married and has five children."])
    seats = (
        "Over 80% of the 452 available district council seats went to pro-democracy candidates, "
        "giving them control of 17 out of 18 of the area's districts."
    )
    candidates = "how many candidates ran in the hong kong district council elections"
    assert OtherCountedThingCheck(None).run(candidates, "17", [seats])  # districts, past "out of 18"
    assert not OtherCountedThingCheck(None).run("how many seats were there", "452", [seats])  # 4th word
    # a number hyphened into a modifier counts the word it is joined to
    vote = "The party won this seat by over 70% of the two-party-preferred vote."
    assert OtherCountedThingCheck(None).run("How many candidates were there?", "2", [vote])
    assert not OtherCountedThingCheck(None).run("how many parties were in the race", "2", [vote])


def test_a_count_named_before_its_number_is_read_there() -> None:
    """ "the total number of confirmed deaths ... surpassed 100,000" counts deaths, not tests (round
    twenty's s53-15, which it was written after); the same sentence answers for deaths."""
    deaths = (
        "On Wednesday, the total number of confirmed deaths linked to the coronavirus surpassed 100,000"
        " in the United States, data indicated."
    )
    assert OtherCountedThingCheck(None).run("how many covid tests had the US done", "100,000", [deaths])
    assert not OtherCountedThingCheck(None).run("how many covid deaths in the US", "100,000", [deaths])
    # "number of" in another clause, or with no verb giving the number, says nothing of it
    other = "The number of tests is unknown; officials counted 100,000 in the state."
    assert not OtherCountedThingCheck(None).run("how many covid deaths in the state", "100,000", [other])


def test_a_count_of_the_asked_thing_in_other_words_stands() -> None:
    cops = (
        "how many cops were hurt",
        "2",
        ["Twenty people were arrested, and two police officers were hurt."],
    )
    assert OtherCountedThingCheck(None).run(*cops)  # stems alone cannot tell
    assert not OtherCountedThingCheck(embed_with_synonyms(("cops", "police"))).run(*cops)
    # the everyday words news writes otherwise are read as news writes them
    kids = ("how many kids did the turpins have", "13", ["The Turpins had thirteen children."])
    assert not OtherCountedThingCheck(None).run(*kids)
    # the question's verb counts too: cancellations are cancelled flights
    cancelled = "There were more than 1,000 cancellations at O'Hare."
    assert not OtherCountedThingCheck(None).run(
        "how many flights were cancelled", "more than 1,000", [cancelled]
    )


@pytest.mark.parametrize(
    ("question", "answer", "quote"),
    [
        ("how many passengers died", "7", "Seven people died in the crash."),  # people may be anyone
        ("how many ppl died in the crash", "39", "39 are confirmed dead."),  # no noun after the number
        ("how many buffalo were released", "10", "The tribe watched the release."),  # the number not there
        (
            "香港区议会选举一共有多少个议席",
            "17",
            "giving them control of 17 out of 18 districts.",
        ),  # via translation
    ],
)
def test_counts_with_no_other_thing_written_stand(question: str, answer: str, quote: str) -> None:
    assert not OtherCountedThingCheck(None).run(question, answer, [quote])


def test_latin_words_written_inside_a_chinese_question_are_compared_too() -> None:
    question = "白宫UFC赛事是哪天举行的？"
    assert not OffTopicValueCheck(None).run(question, "6月14日", ["UFC将于6月14日登场。"])
    assert OffTopicValueCheck(None).run(question, "6月6日", ["两名居民6月6日提起诉讼。"])


def test_a_share_of_another_whole_is_refused() -> None:
    quote = (
        "As of Wednesday, the United States had the highest number of known infections, accounting for"
        " around 30% of world-wide coronavirus infections with over 1.6 million confirmed cases."
    )
    question = "what % of global covid deaths was the us when it hit 100k deaths"
    check = ShareOfAnotherWholeCheck(None)
    assert check.run(question, "around 30% [1]", [quote])
    assert not check.run("what % of global covid infections was the us", "around 30% [1]", [quote])
    # the same whole in other words stands; a share with no whole named is left alone
    synonyms = ShareOfAnotherWholeCheck(embed_with_synonyms(("fatalities", "deaths")))
    assert not synonyms.run(
        "what percent of deaths were in italy", "12% [1]", ["Italy had 12% of all fatalities."]
    )
    assert not check.run(question, "30% [1]", ["About 30% said they were worried."])


def test_a_tally_counts_votes_not_the_thing_asked() -> None:
    check = OtherCountedThingCheck(None)
    vote = ["On Friday the Legislative Yuan voted 66 to 27 to legalize same-sex marriage."]
    assert check.run("How many same-sex couples registered on the first day?", "66 [1]", vote)
    assert not check.run("How many lawmakers voted to legalize same-sex marriage?", "66 [1]", vote)
    # "from 180 to 5" is a range, not a tally
    assert not check.run(
        "how many polling sites did Milwaukee open", "5 [1]", ["cut the sites from 180 to 5."]
    )


CPI_ZH = "5月份的消费者价格指数显示，能源价格上涨3.9%，超过4月份的3.8%。"
CPI_EN = "Energy prices rose 3.9% in May, above April's 3.8%."


def test_a_value_given_for_another_item_of_the_measure_is_refused() -> None:
    # the CI subset's nm-69: the article gives energy prices, not food prices
    assert SiblingItemCheck(None).run("美国5月份食品价格涨了多少？", "3.9% [1]", [CPI_ZH])
    assert SiblingItemCheck(None).run("how much did food prices rise in may", "3.9% [1]", [CPI_EN])
    # one clause's figure is another's item even when the sentence names the asked one too
    both = "Apple's revenue grew 10% while Microsoft's revenue grew 12%."
    assert SiblingItemCheck(None).run("how much did microsoft's revenue grow", "10%", [both])
    assert not SiblingItemCheck(None).run("how much did microsoft's revenue grow", "12%", [both])


def test_the_asked_item_or_an_unnamed_one_keeps_the_value() -> None:
    assert not SiblingItemCheck(None).run("美国5月份能源价格涨了多少？", "3.9%", [CPI_ZH])
    assert not SiblingItemCheck(None).run("how much did energy prices rise in may", "3.9%", [CPI_EN])
    # nothing names another item: "new cases", "prices rose"
    assert not SiblingItemCheck(None).run("how much did food prices rise", "3.9%", ["Prices rose 3.9%."])
    assert not SiblingItemCheck(None).run(
        "how many covid cases did china report", "3,000", ["China reported 3,000 new cases."]
    )
    # a name, a date or a yes/no is left to the other checks
    assert not SiblingItemCheck(None).run("whose prices rose the most", "Energy", [CPI_EN])


def test_another_word_for_the_asked_item_keeps_the_value() -> None:
    question = "how much did gas prices go up"
    quote = "Gasoline prices jumped 7% in June."
    assert SiblingItemCheck(None).run(question, "7%", [quote])  # stems alone: refused
    assert not SiblingItemCheck(embed_with_synonyms(("gas", "gasoline"))).run(question, "7%", [quote])
    # and the phrases of the measure may be the close ones ("share price", "stock price")
    embed = embed_with_synonyms(("share price", "stock price"))
    assert not SiblingItemCheck(embed).run(
        "apple share price", "$180", ["Apple's stock price closed at $180."]
    )
    assert SiblingItemCheck(embed).run("food prices in may", "3.9%", [CPI_EN])
