"""Rules for a "Yes" that its cited sentences deny (`rag.denials`)."""

from __future__ import annotations

from rag.denials import (
    denies_what_is_asked,
    gives_another_ordinal,
)


def test_a_yes_citing_a_sentence_that_negates_the_question_is_refused() -> None:
    levees = "Officials have said they are not concerned about the levees, which have five feet of leeway."
    question = "are new orleans officials worried about the levees"
    assert denies_what_is_asked(question, "Yes [1]", [levees])
    assert not denies_what_is_asked(question, "No [1]", [levees])  # a "No" may rest on it
    # the negation governs no word of the question, or affirms ("not only"), or the question is negated
    assert not denies_what_is_asked(question, "Yes [1]", ["Officials said the levees weren't safe."])
    assert not denies_what_is_asked(question, "Yes [1]", ["They are not only worried about the levees."])
    assert not denies_what_is_asked("are officials not worried about the levees", "Yes [1]", [levees])
    long = "Does the Guardian describe Shai Hope's role in the fifth T20 international against England as an anchor role?"
    assert not denies_what_is_asked(long, "Yes [1]", ["Shai Hope can't break the anchor role's shackles."])


def test_a_sentence_saying_none_was_found_denies_a_yes() -> None:
    question = "did the doctors in omsk find poison in navalny's blood"
    found_none = "Hospital officials in Omsk said no traces of poison was found in his blood or urine."
    assert denies_what_is_asked(question, "Yes [1]", [found_none])
    # "no doubt" and "no more than" do not deny; a closing "no" governs nothing
    assert not denies_what_is_asked(question, "Yes [1]", ["There is no doubt poison was found in his blood."])
    assert not denies_what_is_asked(question, "Yes [1]", ["Was poison found in his blood? Doctors said no."])


def test_a_chinese_sentence_saying_there_is_none_denies_a_yes_to_whether_there_is() -> None:
    quote = (
        "尽管目前尚无针对源自刚果民主共和国伊图里地区的最新型埃博拉病毒株的可用疫苗，"
        "但一些组织表示，他们正在加快推进三种候选疫苗的研发进程。"
    )
    # "is there an approved vaccine ...", as translated for the Chinese passage
    assert denies_what_is_asked("DRC和乌干达是否有批准的埃博拉病毒疫苗？", "Yes [1]", [quote])
    assert not denies_what_is_asked("DRC和乌干达是否有批准的埃博拉病毒疫苗？", "No [1]", [quote])
    # a question about what the sentence does state, or one negated itself, is left alone
    assert not denies_what_is_asked("埃博拉疫苗研发在加快吗", "Yes [1]", [quote])
    assert not denies_what_is_asked("DRC和乌干达没有埃博拉疫苗吗", "Yes [1]", [quote])


def test_a_chinese_sentence_negating_what_is_asked_denies_a_yes() -> None:
    quote = "不过，外交部发言人随后表示，目前并没有安排核查人员前往核设施的计划，与美方说法不同。"
    # "did the foreign ministry say inspectors are scheduled to go ...", as translated for the passage
    asked = "外交部是否说核查人员计划前往核设施？"
    assert denies_what_is_asked(asked, "Yes [1]", [quote])
    assert not denies_what_is_asked(asked, "No [1]", [quote])
    # "不过" (but) and "不同" (differ) negate nothing asked; a sentence stating the plan does not deny it
    assert not denies_what_is_asked("美方说法跟外交部一样吗", "Yes [1]", [quote])
    assert not denies_what_is_asked(asked, "Yes [1]", ["外交部说，核查人员计划下周前往核设施。"])
    # a question negated itself is left alone
    assert not denies_what_is_asked("外交部是不是说没有计划派核查人员", "Yes [1]", [quote])
    # a negation governing the claim's own verb denies it, whatever else the claim names
    opposes = "党主席表示，该党并不反对向美国购买军机，并优先通过相关条例。"
    assert denies_what_is_asked("那个党是不是反对跟美国买武器？", "Yes [1]", [opposes])
    assert not denies_what_is_asked("那个党是不是支持跟美国买武器？", "Yes [1]", [opposes])
    # a negation inside a quotation governs nothing after it closes
    said = "“任何国家都不能强加其霸权”\n部长是在对话会上说这番话的。"
    assert not denies_what_is_asked("部长这番话是在对话会上说的吗", "Yes [1]", [said])


def test_a_chinese_question_is_denied_by_the_clause_it_asks_in_not_its_scene() -> None:
    """ "OpenAI秘密交了IPO申请，上市时间定了吗": the first clause sets the scene (it filed), the last asks
    (is the listing date set); "公司尚未决定上市时间" denies the asked clause though it names none of
    the scene's words (round nineteen's s52-41, which the rule was written after)."""
    asked = "OpenAI秘密交了IPO申请，上市时间定了吗"
    quote = "知情人士说，公司尚未决定上市时间。"
    assert denies_what_is_asked(asked, "Yes [1]", [quote])
    assert not denies_what_is_asked(asked, "Yes [1]", ["知情人士说，公司已经决定了上市时间。"])
    # a negation about the scene alone denies nothing asked
    assert not denies_what_is_asked(asked, "Yes [1]", ["申请没有公开，上市时间定在九月。"])


def test_a_yes_to_the_first_of_its_kind_from_a_sentence_stating_another_ordinal_is_refused() -> None:
    second = "这是中情局局长自1959年古巴革命以来对古巴进行的第二次公开的访问。"
    asked = "中情局局长去哈瓦那，是不是1959年以来头一回公开访问古巴？"
    assert gives_another_ordinal(asked, "Yes [1]", [second])
    assert gives_another_ordinal(
        "was it the first public visit by a cia director since 1959", "Yes [1]", [second]
    )
    assert not gives_another_ordinal(asked, "No [1]", [second])
    # the asked ordinal stated, or none stated at all, is left to the other checks
    assert not gives_another_ordinal("was it the second visit", "Yes [1]", [second])
    assert not gives_another_ordinal(asked, "Yes [1]", ["中情局局长对古巴进行了公开访问。"])


def test_a_yes_to_the_biggest_from_a_sentence_ranking_it_lower_is_refused() -> None:
    second = "The airport is the second-largest airport in the New England region."
    asked = "is bradley the biggest airport in new england"
    assert gives_another_ordinal(asked, "Yes [1]", [second])
    assert gives_another_ordinal("上海是中国最大的城市吗", "Yes [1]", ["上海是中国第二大城市。"])
    assert gives_another_ordinal(
        "was it the most visited museum", "Yes [1]", ["It was the 3rd most visited museum."]
    )
    assert not gives_another_ordinal(asked, "No [1]", [second])
    # the top rank stated, no rank stated, or the rank asked is the one stated
    assert not gives_another_ordinal(asked, "Yes [1]", ["It is the largest airport in New England."])
    assert not gives_another_ordinal(asked, "Yes [1]", ["The airport is in Windsor Locks."])
    assert not gives_another_ordinal("is it the second largest airport", "Yes [1]", [second])


def test_a_sentence_stating_the_opposite_of_the_claim_denies_a_yes() -> None:
    lost = "In 2016, Sanders lost the caucuses in the Northern Mariana Islands to Hillary Clinton."
    asked = "did sanders win the northern mariana islands caucus in 2016"
    assert denies_what_is_asked(asked, "Yes [1]", [lost])
    assert not denies_what_is_asked(asked, "No [1]", [lost])
    # a sentence stating the claim's own word as well is left to the judges
    both = "Sanders won Missouri's caucus after he lost Michigan."
    assert not denies_what_is_asked("did sanders win missouri", "Yes [1]", [both])
    declined = "In 2016, the U.S. Supreme Court declined to hear a case about American Samoans' citizenship."
    assert denies_what_is_asked("did the supreme court agree to hear the samoa case", "Yes [1]", [declined])
    # "defeated" says who won: no opposite of "win"
    assert not denies_what_is_asked(
        "did biden win missouri", "Yes [1]", ["Biden defeated Sanders in Missouri."]
    )


def test_a_typed_question_is_denied_in_the_clause_it_asks_after_its_scene() -> None:
    """Round twenty-two's s55-23: the scene before the dash makes the question long, and the asked
    clause ("was it binding?") is what the cited "which is not binding" denies."""
    asked = "iraqi parliament vote to kick out US troops after the soleimani strike — was it binding?"
    quote = "The vote, which is not binding, was boycotted by both Kurdish and Sunni Members of Parliament."
    assert denies_what_is_asked(asked, "Yes [1]", [quote])
    assert not denies_what_is_asked(asked, "Yes [1]", ["The vote is binding on the government."])


def test_a_sentence_naming_another_party_denies_a_yes_to_the_claimed_one() -> None:
    """Round twenty-two's s55-17: "as a libertarian, yeah?" to a sentence saying he ran as a Republican."""
    quote = "Kokesh ran for US Congress as a Republican in 2010 in New Mexico and for US Senate in Arizona in 2018."
    assert denies_what_is_asked(
        "adam kokesh ran for congress in 2010 as a libertarian, yeah?", "Yes [1]", [quote]
    )
    assert not denies_what_is_asked(
        "adam kokesh ran for congress in 2010 as a republican?", "Yes [1]", [quote]
    )
    both = "Kokesh, a Libertarian, ran against the Republican incumbent."
    assert not denies_what_is_asked("did kokesh run as a libertarian?", "Yes [1]", [both])


def test_a_chinese_question_form_in_a_cited_sentence_denies_nothing():
    """ "会不会见到" asks whether she will meet him; its "不" negates nothing."""
    quote = "郑丽文说，国际媒体都非常关切我愿不愿意、会不会见到川普总统，我当然非常的愿意。"
    assert not denies_what_is_asked("郑丽文这次访美见到川普了吗", "Yes [1]", [quote])
    assert denies_what_is_asked("郑丽文这次访美见到川普了吗", "Yes [1]", ["郑丽文此行不会见到川普总统。"])
