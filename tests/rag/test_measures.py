"""A number the cited sentence writes as a measure of another thing does not answer the question."""

from __future__ import annotations

from rag.measures import measures_another_thing

STRIKES = "俄罗斯星期五(6月19日)空袭乌克兰，造成至少五人死亡，20多人受伤。"


def test_a_number_written_with_a_unit_of_another_measure_is_refused() -> None:
    orbit = "Its star is cooler than the Sun, but a year on K2-18b lasts 33 Earth days."
    assert measures_another_thing("K2-18b表面温度是多少度", "33 [1]", [orbit])
    trade = "There are 1.3 billion people in the free trade area, with economies worth US$3.4 trillion."
    assert measures_another_thing("how big is nigeria's economy in dollars", "1.3 billion [1]", [trade])
    assert not measures_another_thing("how big is the area's economy in dollars", "3.4 trillion [1]", [trade])
    women = "Among women in state legislatures, about 70 percent belong to the Democratic party."
    assert measures_another_thing("how many women sit in the nevada legislature", "about 70 [1]", [women])


def test_a_number_of_the_asked_measure_or_without_a_unit_stands() -> None:
    assert not measures_another_thing("How long did the drill last?", "2 days [1]", ["It lasted 2 days."])
    assert not measures_another_thing(
        "How many people died?", "39 [1]", ["A total of 39 are confirmed dead."]
    )
    # a share and a sum of money may each describe a change in the other
    assert not measures_another_thing("How much did the price of oil fall?", "2.7% [1]", ["Brent fell 2.7%."])
    # "years old" is an age, not a duration
    assert not measures_another_thing(
        "How many were arrested?", "45 [1]", ["The man, 45 years old, was held."]
    )
    # no measure asked: nothing to compare
    assert not measures_another_thing("What did the study find?", "33 [1]", ["It lasts 33 Earth days."])


def test_a_count_of_the_dead_does_not_answer_how_many_were_hurt() -> None:
    question = "how many ppl were injured in russia's june 19 strikes on ukraine"
    assert measures_another_thing(question, "5 [1]", [STRIKES])
    assert not measures_another_thing(question, "20 [1]", [STRIKES])
    assert not measures_another_thing("how many people were killed in the strikes", "5 [1]", [STRIKES])
    assert measures_another_thing("How many died?", "12 [1]", ["Five people were killed and 12 injured."])
    # a weekday or a date is not a count: "星期五" is no 5, "6月19日" no 19
    assert not measures_another_thing("6月19号的空袭死了多少人", "19 [1]", [STRIKES])
    # the sentence must count what was asked apart: with no count of the injured, the judge decides
    assert not measures_another_thing("How many were injured?", "5 [1]", ["Five people were killed."])
