"""A number the cited sentence writes as a measure of another thing does not answer the question."""

from __future__ import annotations

import pytest

from rag.measures import (
    counts_another_thing,
    gives_a_level_for_a_change,
    gives_a_part_for_a_total,
    gives_another_groups_value,
    gives_another_subjects_value,
    measures_another_thing,
    picks_an_amount_from_a_list,
    states_no_asked_attribute,
)

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


def test_a_volume_answers_no_question_for_a_sum_of_money_and_a_count_of_barrels_is_a_volume() -> None:
    oil = "美国副总统万斯说，至少1250万桶石油已经在一夜之间通过霍尔木兹海峡。"
    assert measures_another_thing("那1250万桶石油总共值多少钱", "至少1250万桶石油 [1]", [oil])
    barrels = "At least 12.5 million barrels of oil went through the strait overnight."
    assert not measures_another_thing(
        "how many barrels of oil went through hormuz", "12.5 million [1]", [barrels]
    )
    assert not measures_another_thing("霍尔木兹海峡一夜之间运出了多少桶石油", "1250万桶 [1]", [oil])


def test_a_measurement_with_its_uncertainty_is_one_number_of_its_unit() -> None:
    """ "40.333 ± 0.004 days" is one duration: the "± 0.004" neither makes the answer two numbers nor
    stands between the number and its unit."""
    orbit = "One of the two stars orbits the black hole in just 40.333 ± 0.004 days."
    distance = "The study stated the black hole is about 1010 ± 195 light years away from the Solar System."
    question = "how far away is the black hole in HR 6819"
    assert measures_another_thing(question, "40.333 ± 0.004 days [1]", [orbit])
    assert not measures_another_thing(question, "about 1010 ± 195 light years [1]", [distance])
    assert not measures_another_thing("how long is the star's orbit", "40.333 ± 0.004 days [1]", [orbit])


def test_how_far_asks_a_distance_only_in_space() -> None:
    negative = "Wang said Alameda was about $200 million negative when he checked the database in 2019."
    assert not measures_another_thing(
        "how far negative was alameda when wang checked", "$200 million [1]", [negative]
    )
    apart = "The two sites are 200 miles apart, and the dig cost $200 million."
    assert measures_another_thing("how far apart are the two sites", "$200 million [1]", [apart])
    assert not measures_another_thing("how far apart are the two sites", "200 miles [1]", [apart])


def test_a_chinese_count_of_things_does_not_answer_how_many_people() -> None:
    missiles = "以色列国防军证实，伊朗已经向以色列发射了11枚导弹。"
    assert measures_another_thing("伊朗那波导弹打以色列 死了几个人", "11 [1]", [missiles])
    assert measures_another_thing("how many were killed in iran's missile strike", "11 [1]", [missiles])
    assert not measures_another_thing("伊朗发射了多少枚导弹", "11 [1]", [missiles])
    assert not measures_another_thing("袭击死了几个人", "2 [1]", ["袭击造成2人死亡。"])


def test_a_count_of_the_dead_does_not_answer_how_many_were_hurt() -> None:
    question = "how many ppl were injured in russia's june 19 strikes on ukraine"
    assert measures_another_thing(question, "5 [1]", [STRIKES])
    assert not measures_another_thing(question, "20 [1]", [STRIKES])
    assert not measures_another_thing("how many people were killed in the strikes", "5 [1]", [STRIKES])
    assert measures_another_thing("How many died?", "12 [1]", ["Five people were killed and 12 injured."])
    # a weekday or a date is not a count: "星期五" is no 5, "6月19日" no 19
    assert not measures_another_thing("6月19号的空袭死了多少人", "19 [1]", [STRIKES])
    # a count of the dead is no count of the injured, whether or not the sentence gives one (stop 36)
    assert measures_another_thing("How many were injured?", "5 [1]", ["Five people were killed."])
    # nor is a count of the displaced one of the dead
    displaced = "作为回应，以色列在黎巴嫩发动了空中和地面攻击，导致超过100万人流离失所。"
    assert measures_another_thing(
        "how many israelis were killed by hezbollah rockets", "more than 1 million [1]", [displaced]
    )
    assert not measures_another_thing(
        "how many people were displaced in lebanon", "more than 1 million [1]", [displaced]
    )
    # a number of no stated outcome is left to the judge
    assert not measures_another_thing("How many were injured?", "5 [1]", ["Five people were there."])


def test_a_level_reached_does_not_answer_how_much_something_moved() -> None:
    markets = (
        "标普500下跌0.07%，以7403.05点收盘，道琼斯工业平均指数增长了159.95点，也就是0.32%，报收49686.12点。"
    )
    assert gives_a_level_for_a_change("道琼斯5月18日涨了多少点", "49686.12 [1]", [markets])
    assert not gives_a_level_for_a_change("道琼斯5月18日涨了多少点", "159.95点 [1]", [markets])
    assert not gives_a_level_for_a_change(
        "道琼斯5月18日收于多少点", "49686.12 [1]", [markets]
    )  # a level asked
    kospi = "The Kospi soared 8.42% to 7815.59."
    assert gives_a_level_for_a_change("how much did the kospi rise", "7815.59 [1]", [kospi])
    assert not gives_a_level_for_a_change("how much did the kospi rise", "8.42% [1]", [kospi])
    # no move written with another number: the level may be all the sentence says
    assert not gives_a_level_for_a_change(
        "how much did the kospi rise", "7815.59 [1]", ["It closed at 7815.59."]
    )


def test_a_ratio_is_no_count() -> None:
    toilet = "It could cut the water used to flush waste by, reportedly, a factor of two."
    assert measures_another_thing("how many flushes does the coating last", "2 [1]", [toilet])
    assert not measures_another_thing("by what factor could it cut the water used", "2 [1]", [toilet])
    assert not measures_another_thing(
        "how many flushes does the coating last", "500 [1]", ["It lasts 500 flushes."]
    )


BUFFALO = (
    "On Wednesday, more than 100 members of the tribe turned out to watch the release of ten buffalo "
    "for the Wind River Reservation."
)
TRIALS = "默克公司自2005年以来在中国赞助或参与了224项临床研究，其中包括在新疆进行的至少31项试验。"


def test_a_number_counting_something_else_beside_a_count_of_the_asked_thing_is_refused() -> None:
    question = "how many buffalo were released on the wind river reservation"
    assert counts_another_thing(question, "more than 100 [1]", [BUFFALO])
    assert not counts_another_thing(question, "10 [1]", [BUFFALO])  # "ten buffalo": the asked count
    assert counts_another_thing("默克在新疆做了多少项临床试验", "224项 [1]", [TRIALS])
    assert not counts_another_thing("默克在新疆做了多少项临床试验", "至少31项 [1]", [TRIALS])


def test_a_part_of_a_total_counts_what_follows_the_total() -> None:
    seats = (
        "Over 80% of the 452 available district council seats went to pro-democracy candidates, "
        "giving them control of 17 out of 18 of the area's districts."
    )
    question = "How many seats are there in the Hong Kong district council elections?"
    assert counts_another_thing(question, "17 [1]", [seats])  # 17 (of 18) districts
    assert not counts_another_thing(question, "452 [1]", [seats])
    # a part of the asked total counts the asked thing
    won = "The democrats won 17 of the 452 seats and 3 councils."
    assert not counts_another_thing("how many seats did the democrats win", "17 [1]", [won])


def test_a_count_stands_when_the_sentence_counts_the_asked_thing_with_no_other_number() -> None:
    # no other number counts buffalo: "100 members" may be all the sentence says
    alone = "More than 100 members of the tribe watched the release."
    assert not counts_another_thing("how many buffalo were released", "more than 100 [1]", [alone])
    # people are not told apart this way: 71 protesters are people too
    arrests = "Police arrested 71 protesters and 14 people were injured."
    assert not counts_another_thing("how many ppl were arrested", "71 [1]", [arrests])
    # a number before a verb counts nothing else ("12 were killed")
    killed = "12 were killed and 30 buffalo died."
    assert not counts_another_thing("how many buffalo died", "12 [1]", [killed])


def test_a_number_the_sentence_gives_for_another_group_is_refused() -> None:
    survival = "Among juveniles, there was a 17% survival rate for males and 12% for females."
    question = "what percent of juvenile female magellanic penguins survive"
    assert gives_another_groups_value(question, "17% [1]", [survival])
    assert not gives_another_groups_value(question, "12% [1]", [survival])
    assert not gives_another_groups_value("what percent of juvenile males survive", "17% [1]", [survival])
    # a group the question does not name, and no number for one it does: nothing to compare
    assert not gives_another_groups_value(question, "17% [1]", ["A 17% survival rate for chicks."])


def test_one_amount_of_a_list_does_not_answer_a_question_naming_none_of_its_item() -> None:
    funds = (
        "The emergency could let him pull US$3.6 billion from a Pentagon construction budget, "
        "$2.5 billion from anti-drug programs, and $601 million from a forfeiture fund."
    )
    assert picks_an_amount_from_a_list(
        "how much money does trump want for the wall", "$3.6 billion [1]", [funds]
    )
    asked = "how much could trump pull from the pentagon construction budget"
    assert not picks_an_amount_from_a_list(asked, "$3.6 billion [1]", [funds])
    # two items are no list
    two = "He could pull $3.6 billion from a Pentagon budget and $2.5 billion from anti-drug programs."
    assert not picks_an_amount_from_a_list("how much money does trump want", "$3.6 billion [1]", [two])


SENTENCED = "被裁定公职人员行为失当罪被判监四年，与间谍罪的六年刑期分期执行，共被判十年。"
ARRESTS = "Police arrested 12 in Leeds and 30 in London, a total of 42."


@pytest.mark.parametrize(
    ("question", "answer", "quote", "refused"),
    [
        ("卫志梁共被判处多少年监禁？", "4 [1]", SENTENCED, True),
        ("卫志梁共被判处多少年监禁？", "十年 [1]", SENTENCED, False),
        ("卫志梁因间谍罪被判处多少年监禁？", "6 [1]", SENTENCED, False),  # no total asked
        ("how many people were arrested in total", "12", ARRESTS, True),
        ("how many people were arrested in total", "42", ARRESTS, False),
        ("how many were arrested in total", "12", "Police arrested 12 in Leeds.", False),  # no total written
    ],
)
def test_a_part_does_not_answer_a_question_asking_for_the_total(
    question: str, answer: str, quote: str, refused: bool
) -> None:
    assert gives_a_part_for_a_total(question, answer, [quote]) is refused


def test_a_share_answers_how_many_more_than() -> None:
    sentence = "The institute has reported there have been 85% more wildfires in Brazil in 2019 than in 2018."
    assert not measures_another_thing(
        "How many more fires did Brazil have in 2019 compared to 2018?", "85% [1]", [sentence]
    )
    assert measures_another_thing("How many fires did Brazil have in 2019?", "85% [1]", [sentence])


def test_a_number_in_a_clause_about_another_person_the_question_names_is_refused() -> None:
    both = (
        "Biden's victories in Arizona, Florida, and Illinois left him with a reported total of 1,124 pledged "
        "delegates; United States Senator from Vermont Bernie Sanders trailed him with a total of 815."
    )
    question = "how many pledged delegates did sanders have after biden swept az, florida and illinois"
    assert gives_another_subjects_value(question, "1,124 [1]", [both])
    assert not gives_another_subjects_value(question, "815 [1]", [both])
    # a clause naming no one else (a pronoun) stands, and so does a place after a preposition
    assert not gives_another_subjects_value(
        "how many delegates did sanders win in florida",
        "500 [1]",
        ["Sanders arrived; in Florida he won 500."],
    )


def test_an_attribute_no_cited_passage_states_answers_no_question_asking_for_it() -> None:
    """Round thirty's s63-42: "about 8 kilometers" places the epicentre; nothing states a depth."""
    placed = (
        "Quake hits Puerto Rico. The USGS placed the epicenter about eight kilometers southwest of Guánica."
    )
    asked = "depth of wednesday's 5.2 quake in puerto rico?"
    assert states_no_asked_attribute(asked, "about 8 kilometers [1]", [placed])
    assert states_no_asked_attribute("how deep was the quake", "8 km [1]", [placed])
    # any form of the attribute counts, in the passage or in the answer
    assert not states_no_asked_attribute(
        "how deep was the quake", "10 km [1]", ["It struck 10 km below the surface."]
    )
    assert not states_no_asked_attribute(asked, "a depth of 10 km [1]", [placed])
    assert not states_no_asked_attribute("what was the ticket price", "$5 [1]", ["Tickets cost $5."])
    assert states_no_asked_attribute("地震震源深度是多少", "8公里 [1]", ["震中位于瓜尼卡西南约8公里处。"])
    assert not states_no_asked_attribute("地震震级是多少", "6.4级 [1]", ["波多黎各发生6.4级地震。"])
    # no attribute asked; a compound that only contains one; a long multi-report question; another script
    assert not states_no_asked_attribute("where was the epicenter", "Guánica [1]", [placed])
    assert not states_no_asked_attribute("which non-profit group got the money", "Pet Patrol [1]", [placed])
    long_question = "Which report, " + "of the two reports, " * 5 + "gives the depth of the quake?"
    assert not states_no_asked_attribute(long_question, "8 km [1]", [placed])
    assert not states_no_asked_attribute("地震震源深度是多少", "8公里 [1]", [placed])
