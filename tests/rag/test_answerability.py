"""The answer judge reads the evidence the way the generator did: resolved dates explained in place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from llama_index.core.llms import ChatMessage

from index.models import Article, ResolvedDate
from rag.answerability import (
    AnswerabilityCheck,
    AnswerCheck,
    ages_the_possessor,
    answers_another_kind,
    asked_days,
    counts_a_part,
    dates_another_day,
    dates_outside_the_asked_year,
    denies_what_is_asked,
    gives_a_count_for_a_share,
    gives_a_length_for_a_time,
    gives_a_share_for_a_count,
    gives_another_ordinal,
    gives_no_amount,
    gives_no_reason,
    lacks_the_asked_time,
    names_no_one,
    names_only_the_question,
    names_only_the_speaker,
    picks_from_a_list,
    places_the_unnamed,
    restates_question,
    states_another_year,
)
from rag.models import Citation, Passage

BODY = "Paris firefighters fought the Notre-Dame fire through the night. The roof of Notre-Dame caught fire yesterday evening."


class RecordingScorer:
    """P(Yes) = 0.99 for real prompts, 0.5 for content-free ones; keeps every prompt."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        prompt = str(messages[-1].content)
        self.prompts.append(prompt)
        p = 0.5 if "N/A" in prompt or "[MASK]" in prompt or "Answer: \n" in prompt else 0.99
        return (p, 1 - p)


def _passage() -> Passage:
    at = BODY.index("yesterday")
    return Passage(
        chunk_id="nd#0",
        article_id="nd",
        text=BODY,
        start=0,
        end=len(BODY),
        score=1.0,
        title="Fire at Notre-Dame",
        source="English Wikinews",
        published_at="2019-04-16",
        language="en",
        dates=(ResolvedDate(at, at + len("yesterday"), "yesterday", "2019-04-15"),),
    )


def _citation(p: Passage, sentence: str) -> Citation:
    start = BODY.index(sentence)
    return Citation(
        1,
        p.article_id,
        p.title,
        p.source,
        "",
        p.published_at,
        sentence,
        start,
        start + len(sentence),
        p.chunk_id,
    )


ROOF = "The roof of Notre-Dame caught fire yesterday evening."


def _rule_check() -> tuple[AnswerabilityCheck, RecordingScorer]:
    """A check with the constraints off, and the scorer that records whether the judge was asked."""
    scorer = RecordingScorer()
    return AnswerabilityCheck(None, "system", [], 0.94, require_constraints=False, scorer=scorer), scorer


def _ask(check: AnswerabilityCheck, question: str, answer: str, quote: str) -> AnswerCheck:
    """Run `check` on an answer citing `quote` of the Notre-Dame passage."""
    passage = _passage()
    return check.run(question, answer, [_citation(passage, quote)], [passage])


def test_the_judge_sees_the_resolved_date_beside_the_relative_one() -> None:
    check, scorer = _rule_check()
    quote = ROOF
    result = _ask(check, "What day did the roof of Notre-Dame catch fire?", "15 April 2019 [1]", quote)
    judged = [p for p in scorer.prompts if "What day did the roof" in p]
    assert len(judged) == 1
    assert "caught fire yesterday (= Monday, 15 April 2019)" in judged[0]
    assert result.ok and result.p_answers is not None and result.p_answers >= 0.94


def test_the_judge_reads_as_many_sentences_before_the_quote_as_its_window() -> None:
    quote = "The roof of Notre-Dame caught fire yesterday evening."
    for judge_window, context_shown in ((0, False), (2, True)):
        scorer = RecordingScorer()
        check = AnswerabilityCheck(
            None, "system", [], 0.94, require_constraints=False, scorer=scorer, judge_window=judge_window
        )
        _ask(check, "What day did the roof of Notre-Dame catch fire?", "15 April 2019 [1]", quote)
        judged = [p for p in scorer.prompts if "What day did the roof" in p]
        assert len(judged) == 1 and "caught fire yesterday (= Monday, 15 April 2019)" in judged[0]
        assert (
            "Paris firefighters fought the Notre-Dame fire through the night." in judged[0]
        ) is context_shown


class QuoteScorer(RecordingScorer):
    """P(Yes) 0.99 for prompts quoting `stating`, 0.6 for other real prompts, 0.5 content-free."""

    def __init__(self, stating: str) -> None:
        super().__init__()
        self.stating = stating

    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        p = super().distribution(messages, labels)[0]
        p = p if p == 0.5 or self.stating in self.prompts[-1] else 0.6
        return (p, 1 - p)


def test_a_later_citation_the_judge_finds_stating_the_answer_keeps_it() -> None:
    first = "Paris firefighters fought the Notre-Dame fire through the night."
    second = "The roof of Notre-Dame caught fire yesterday evening."
    passage = _passage()
    question = "What day did the roof of Notre-Dame catch fire?"
    scorer = QuoteScorer(stating="The roof of Notre-Dame")
    check = AnswerabilityCheck(None, "system", [], 0.94, require_constraints=False, scorer=scorer)
    both = [_citation(passage, first), replace(_citation(passage, second), n=2)]
    result = check.run(question, "15 April 2019 [1][2]", both, [passage])
    assert result.ok and result.p_answers is not None and result.p_answers >= 0.94
    # the first citation alone, which the judge does not find stating it, is refused
    alone = check.run(question, "15 April 2019 [1]", [_citation(passage, first)], [passage])
    assert not alone.ok and alone.p_answers is not None and alone.p_answers < 0.94
    # a first citation that suffices is the only one judged
    scorer = QuoteScorer(stating="The roof of Notre-Dame")
    check = AnswerabilityCheck(None, "system", [], 0.94, require_constraints=False, scorer=scorer)
    check.run(question, "15 April 2019 [1][2]", list(reversed(both)), [passage])
    assert [p for p in scorer.prompts if first in p] == []


def test_a_citation_with_no_cited_passage_fails() -> None:
    check = AnswerabilityCheck(None, "system", [], 0.94, scorer=RecordingScorer())
    passage = _passage()
    orphan = Citation(1, "other", "t", "s", "", None, "x", 0, 1, "other#0")
    assert not check.run("When?", "Monday [1]", [orphan], [passage]).ok


def test_an_answer_that_only_restates_the_question_fails_without_asking_the_judge() -> None:
    check, scorer = _rule_check()
    quote = ROOF
    result = _ask(check, "What caught fire at Notre-Dame?", "Notre-Dame caught fire [1]", quote)
    assert not result.ok and result.missing == ("the answer only restates the question",)
    assert scorer.prompts == []
    assert _ask(check, "What caught fire at Notre-Dame?", "The roof [1]", quote).ok


def test_picking_one_of_the_questions_options_or_answering_yes_is_not_a_restatement() -> None:
    assert not restates_question("Who left first: Bill de Blasio or Beto O'Rourke?", "Bill de Blasio [1]")
    assert not restates_question("Did the roof of Notre-Dame catch fire?", "Yes, the roof caught fire [1]")
    assert restates_question("苏莱曼尼葬礼上的踩踏事件发生在哪座城市？", "踩踏事件发生在苏莱曼尼葬礼上 [1]")


def test_an_answer_naming_only_what_the_question_named_is_a_restatement_unless_it_picks_an_option() -> None:
    assert restates_question("What was the name of the American who died in Wuhan?", "American [1]")
    assert restates_question("What pen name did Thomas Pauken II write under?", "Thomas Pauken II [1]")
    assert not restates_question("Which came first, the Apple report or the Google one?", "Google [1]")
    assert not restates_question("What was the name of the American who died in Wuhan?", "Jane Doe [1]")
    # a possessor the question names, written in full, names nothing new; another person does
    assert restates_question("who is trump's doctor", "Donald Trump's doctors [1][2]")
    assert not restates_question("who is trump's wife", "Melania Trump [1]")


MUKHERJEE = [
    "Former President of India Pranab Mukherjee dies aged 84. On Monday, Pranab Mukherjee died. "
    "His death was announced by his son Abhijit Mukherjee via Twitter."
]


def test_an_answer_naming_only_the_questions_own_subject_is_refused() -> None:
    question = "Who announced Mukherjee's death?"
    # the question's subject, as the article first names him, is not who announced his death
    assert names_only_the_question(question, "Pranab Mukherjee died. [1]", MUKHERJEE)
    assert names_only_the_question(question, "Mukherjee [1]")
    assert names_only_the_question("飓风多里安在巴哈马的什么地方登陆？", "巴哈马 [1]")
    # someone else of the same name, a new name, a number, a chosen option or an asked-for name answers
    assert not names_only_the_question(question, "Abhijit Mukherjee, his son [1]", MUKHERJEE)
    assert not names_only_the_question(question, "Pranab Mukherjee [1]")  # no text says who he is
    assert not names_only_the_question("How long was Jimmy Lai sentenced to?", "Jimmy Lai, 20 years [1]")
    assert not names_only_the_question("Who won, Biden or Sanders?", "Biden [1]")
    assert not names_only_the_question("Between the Vikings and the Bears, who won?", "Vikings [1]")
    assert not names_only_the_question("What is Mukherjee's full name?", "Pranab Mukherjee [1]", MUKHERJEE)
    # a place qualified by one the question names is still a new place
    assert not names_only_the_question("Which town in Louisiana were they from?", "Marksville, Louisiana [1]")
    assert not names_only_the_question(question, "Yes [1]")
    # a description answers a question that asks for none of a who, a which or a where
    assert not names_only_the_question("What was Mukherjee doing in Delhi?", "Mukherjee was resting [1]")


def test_a_question_typed_in_lower_case_names_what_it_writes() -> None:
    # no capitals to find "rubio" and "washington" by: the answer still names only what was typed
    typed = "who did rubio meet in washington friday re the Iran deal"
    assert names_only_the_question(typed, "Rubio met in Washington on Friday . [1]")
    assert names_only_the_question("who replaced smith as ceo", "Smith [1]")
    # a name of which the question writes only a part, or a new name, answers
    assert not names_only_the_question("where was the trump rally", "Trump Tower [1]")
    assert not names_only_the_question(typed, "Ishaq Dar [1]")


def test_an_answer_naming_only_the_questions_subject_fails_without_asking_the_judge() -> None:
    check, scorer = _rule_check()
    quote = ROOF
    result = _ask(check, "Who reported the fire at Notre-Dame?", "The Notre-Dame cathedral [1]", quote)
    assert not result.ok and result.missing == ("the answer only names what the question names",)
    assert scorer.prompts == []


def test_an_answer_whose_passage_does_not_state_the_relation_asked_fails_before_the_judge() -> None:
    scorer = RecordingScorer()
    check = AnswerabilityCheck(
        None, "system", [], 0.94, require_constraints=False, scorer=scorer, min_relation_coverage=0.5
    )
    result = _ask(
        check,
        "Who designed the spire?",
        "Paris firefighters [1]",
        "Paris firefighters fought the Notre-Dame fire through the night.",
    )
    assert not result.ok and "spire" in result.missing[0] and scorer.prompts == []
    quote = "The roof of Notre-Dame caught fire yesterday evening."
    assert _ask(check, "What day did the roof catch fire?", "15 April 2019 [1]", quote).ok
    # "day" names the kind of value asked: the evidence states a day, not the word
    assert _ask(check, "On what day did the roof catch fire?", "15 April 2019 [1]", quote).ok


def test_a_bare_no_to_a_question_asking_what_fails_whatever_the_translation_asks() -> None:
    check, scorer = _rule_check()
    quote = ROOF
    refused = _ask(check, "What day did the roof of Notre-Dame catch fire?", "No [1]", quote)
    assert not refused.ok and refused.missing == ("the question asks for something else than yes or no",)
    assert scorer.prompts == []
    # the question as asked decides: its translation may turn "起火了没" into "When did ... catch fire?"
    passage = _passage()
    kept = check.run(
        "圣母院的屋顶起火了没", "Yes [1]", [_citation(passage, quote)], [passage],
        translations={"en": "When did the roof of Notre-Dame catch fire?"},
    )  # fmt: skip
    assert "the question asks for something else than yes or no" not in " ".join(kept.missing)


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


def test_a_why_question_answered_with_a_sentence_stating_no_reason_is_refused() -> None:
    restated = "Matty Roberts initially posted an event invitation on Facebook. [1]"
    assert gives_no_reason("why did roberts post the area 51 event on facebook", restated)
    assert gives_no_reason("罗伯茨当初为啥在脸书上发冲击51区的活动", restated)  # in either language
    dated = "Trump opened the door to re-implementing sanctions after the nuclear deal was signed. [1]"
    assert gives_no_reason("why did the us loosen sanctions on russian oil", dated)  # "after" only dates it
    # a cause or a purpose, in either language, or a short reply naming the cause alone
    assert not gives_no_reason("why did iran ban him", "He was banned for playing against an Israeli. [1]")
    assert not gives_no_reason(
        "why did they run an all-women crew", "They ran it to promote gender equality. [1]"
    )
    assert not gives_no_reason("萨拉米为啥被美国制裁", "萨拉米被美国制裁是因为他是石油总部的财务主管。[1]")
    assert not gives_no_reason("why did they run an all-women crew", "International Women's Day [1]")
    assert not gives_no_reason("why did the minister die", "The minister died of COVID-19 in Tehran. [1]")
    assert not gives_no_reason("why did she resign", "She resigned amid corruption allegations. [1]")
    # "恢复为什么" asks what it was renamed to, not why
    assert not gives_no_reason(
        "司令部的名称恢复为什么？", "美国太平洋司令部的名称恢复为之前的美国太平洋司令部[1]。"
    )


def test_a_question_for_an_amount_answered_with_no_number_is_refused() -> None:
    assert gives_no_amount("特郎普想阻止交出几年的报税表", "Trump refused to release his tax returns. [1]")
    assert gives_no_amount("how much did the prize pay", "Argentina [1]")
    # numbers in words, in either language, and counts with no digits
    assert not gives_no_amount("特朗普想阻止交出几年的报税表", "八年 [1]")
    assert not gives_no_amount("how many tax returns", "eight years of tax returns [1]")
    assert not gives_no_amount("how many people came", "a few dozen, far fewer than expected [1]")
    assert not gives_no_amount("how many were hurt", "no one [1]")
    assert not gives_no_amount("几乎所有人都去了吗", "Yes [1]")  # 几乎 is "almost"
    # a share in words, a degree or a time is no count to give
    assert not gives_no_amount("how much of the city was flooded", "most of the city [1]")
    assert not gives_no_amount("how much did the storm affect the harvest", "it ruined the crop [1]")
    assert not gives_no_amount("这次制裁对伊朗有多大影响", "伊朗石油出口受到严重打击[1]")


def test_a_relatives_age_answered_with_the_named_persons_is_refused() -> None:
    dorsa = "Dorsa Derakhshani is currently 21 years old and holds the International Master title."
    assert ages_the_possessor("how old is dorsa derakhshani's brother borna", "21 [1]", [dorsa])
    assert not ages_the_possessor("how old is dorsa derakhshani", "21 [1]", [dorsa])
    brother = "Her brother Borna, 19, plays for the English Federation."
    assert not ages_the_possessor("how old is dorsa derakhshani's brother borna", "19 [1]", [brother])
    # a family name alone may be the relative's too: "Melania Trump, 49"
    assert not ages_the_possessor("how old is trump's wife", "49 [1]", ["Melania Trump, 49, said ..."])


def _articles(*articles: Article):
    by_id = {a.id: a for a in articles}
    return lambda ids: {i: by_id[i] for i in ids if i in by_id}


NOTRE_DAME = Article(id="nd", title="Fire at Notre-Dame", body=BODY)


def test_an_answer_citing_an_article_that_names_none_of_the_questions_names_fails() -> None:
    scorer = RecordingScorer()
    check = AnswerabilityCheck(
        None, "system", [], 0.94, require_constraints=False, scorer=scorer, get_articles=_articles(NOTRE_DAME)
    )
    quote = "The roof of Notre-Dame caught fire yesterday evening."
    other = _ask(
        check,
        "What day did the roof of Sola Airport's parking structure catch fire?",
        "15 April 2019 [1]",
        quote,
    )
    assert not other.ok and "names" in other.missing[0] and scorer.prompts == []
    assert _ask(check, "What day did the roof of Notre-Dame catch fire?", "15 April 2019 [1]", quote).ok
    # nothing to compare: the question names nothing, so the judge decides
    assert _ask(check, "What day did the roof catch fire?", "15 April 2019 [1]", quote).ok


SAID = "Civil Aviation Minister Hardeep Singh Puri said 18 people died."


def test_the_speaker_of_the_cited_sentence_is_not_what_an_unrelated_question_asks_for() -> None:
    # the sentence says the minister spoke, not that he was the pilot (asked in Chinese or English)
    assert names_only_the_speaker("在卡利卡特空难中遇难的机长叫什么名字？", "Hardeep Singh Puri [1]", [SAID])
    assert names_only_the_speaker(
        "What was the name of the pilot killed in Calicut?", "Hardeep Singh Puri", [SAID]
    )
    appositive = "Hardeep Singh Puri, the civil aviation minister, said 18 people died."
    assert names_only_the_speaker("Who was the pilot killed in Calicut?", "Hardeep Singh Puri", [appositive])
    assert names_only_the_speaker("Who flew the plane?", "Puri", ["According to Puri, 18 people died."])
    assert names_only_the_speaker("谁驾驶了这架飞机？", "马志勇", ["马志勇表示有18人死亡。"])


def test_a_speaker_reporting_what_others_did_is_not_what_the_question_asks_for() -> None:
    # the sentence shares words with the question, but they are in what the expert said
    expert = "Public health expert Wendy Parmet said the American who died in Wuhan was 60."
    assert names_only_the_speaker(
        "What was the name of the American who died in Wuhan?", "Wendy Parmet", [expert]
    )
    # a speaker speaking of themselves can be the answer
    assert not names_only_the_speaker("Who won the race?", "Smith", ["Smith said he won the race easily."])


def test_a_speaker_is_an_answer_when_the_question_asks_who_said_it_or_the_sentence_states_the_relation() -> (
    None
):
    assert not names_only_the_speaker("Who said 18 people died in Calicut?", "Hardeep Singh Puri", [SAID])
    assert not names_only_the_speaker("谁宣布了死亡人数？", "Hardeep Singh Puri", [SAID])
    # talking is saying: "who talked to npr about ..." asks for a speaker (questions truecased, as asked)
    soufan = (
        "Retired FBI agent and terrorism specialist Ali Soufan told NPR Hamza bin Laden had appeared in "
        "Al-Qaeda videos since he was a young boy."
    )
    assert not names_only_the_speaker(
        "ex FBI guy who talked to npr about Hamza bin Laden", "Ali Soufan", [soufan]
    )
    assert names_only_the_speaker("ex FBI guy who tracked Hamza bin Laden", "Ali Soufan", [soufan])
    # "minister" ties the name to what was asked
    assert not names_only_the_speaker("Who is India's civil aviation minister?", "Hardeep Singh Puri", [SAID])
    # the answer is not the speaker: the sentence states something of it
    assert not names_only_the_speaker("Who died?", "18 people", [SAID])
    assert not names_only_the_speaker("项目叫什么？", "透翅蝶计划", ["该公司将该项目称为透翅蝶计划。"])
    assert not names_only_the_speaker("Who led the team?", "Maria Lopez", ["Maria Lopez led the team."])


def test_an_answer_naming_only_the_speaker_fails_without_asking_the_judge() -> None:
    check, scorer = _rule_check()
    body = f"An Air India Express jet overshot the runway in Calicut. {SAID}"
    at = body.index(SAID)
    passage = Passage(
        "ai#0", "ai", body, 0, len(body), 1.0, "Jet crash in Calicut", "Wikinews", "2020-08-08", "en"
    )
    cite = Citation(
        1, "ai", passage.title, passage.source, "", passage.published_at, SAID, at, at + len(SAID), "ai#0"
    )
    result = check.run("Who was the pilot killed in Calicut?", "Hardeep Singh Puri [1]", [cite], [passage])
    assert not result.ok and result.missing == ("the cited sentence only says that the answer spoke",)
    assert scorer.prompts == []


def test_a_question_asking_for_a_year_a_day_or_a_time_needs_an_answer_that_states_one() -> None:
    assert lacks_the_asked_time("伊莱贾·卡明斯是哪年出生的？", "19 [1]") == "a year"
    assert lacks_the_asked_time("伊莱贾·卡明斯是哪年出生的？", "1951年 [1]") is None
    assert lacks_the_asked_time("In what year did he die?", "2019") is None
    assert lacks_the_asked_time("敏辛是哪天被拘留的？", "敏辛在前往昆明参加研讨会时被拘留。 [1]") == "a day"
    assert lacks_the_asked_time("敏辛是哪天被拘留的？", "6月12日 [1]") is None
    assert lacks_the_asked_time("On what date was it held?", "Jan 10, 2019") is None
    assert lacks_the_asked_time("What day did it open?", "Christmas Day") is None
    assert (
        lacks_the_asked_time("what time did the bus crash happen", "10 January 2019 [1]") == "a time of day"
    )
    assert lacks_the_asked_time("what time did the bus crash happen", "around 15:00 [1]") is None
    assert lacks_the_asked_time("What time period does it cover?", "2019 to 2020") is None
    # a bare "when" may be answered by an event, and a yes or no by itself
    assert lacks_the_asked_time("When was he detained?", "after the conference [1]") is None
    assert lacks_the_asked_time("Did it open on what day it planned?", "Yes [1]") is None


def test_an_answer_that_states_no_asked_time_fails_without_asking_the_judge() -> None:
    check, scorer = _rule_check()
    quote = ROOF
    result = _ask(
        check, "In what year did the roof of Notre-Dame catch fire?", "Yesterday evening [1]", quote
    )
    assert not result.ok and result.missing == (
        "the question asks for a year, which the answer does not state",
    )
    assert scorer.prompts == []


def test_a_count_of_part_of_a_group_does_not_answer_how_many_in_all() -> None:
    deceased = ["Four of the deceased were from overseas; they were two Argentinians and one from France."]
    assert counts_a_part("How many people died in the bus crash?", "4 [1]", deceased)
    assert counts_a_part("车祸死了几个人？", "4", ["其中4人是外国人。"])
    # the question asks about a part itself, or the sentence also states the number for the whole
    assert not counts_a_part("How many of the dead were from overseas?", "4", deceased)
    assert not counts_a_part("How many people died?", "4", ["Four died; four of them were children."])
    assert not counts_a_part("How many people died?", "7", ["The crash killed seven."])
    assert not counts_a_part("Who died in the crash?", "Four of the deceased", deceased)


def test_a_place_where_an_unnamed_one_of_the_asked_kind_is_does_not_say_which() -> None:
    quote = "Al Jazeera reported that Wiranto was flown to a hospital in Jakarta, and that his condition was stable."
    question = "Which hospital was Wiranto taken to after the stabbing?"
    assert places_the_unnamed(question, "Jakarta [1]", [quote])
    # the city is what a "which city" question asks
    assert not places_the_unnamed("Which city was Wiranto flown to?", "Jakarta [1]", [quote])
    named = "He was taken to Gatot Soebroto Army Hospital in Jakarta."
    assert not places_the_unnamed(question, "Gatot Soebroto Army Hospital [1]", [named])


def test_one_item_of_a_list_is_not_the_one_asked() -> None:
    lions = "Mahala View Lion Lodge formerly billed itself as home to three lions: Rambo, Katryn and Nakita."
    assert picks_from_a_list("which of his lions killed Leon van Biljon", "Rambo [1]", [lions])
    raped = "In between, she testified, she was gang raped by Quirin, Redouane, and an unidentified third officer."
    assert picks_from_a_list("what was the name of the third officer", "Quirin [1]", [raped])
    # commas alone set off appositions, not lists
    ship = "Their ship, MV Alan Kurdi, was previously MV Professor Albrecht Penck."
    assert not picks_from_a_list(
        "What was the ship's previous name?", "MV Professor Albrecht Penck [1]", [ship]
    )
    # picking one of the question's own options answers it
    assert not picks_from_a_list("Was it Rambo or Katryn?", "Rambo [1]", [lions])
    assert not picks_from_a_list("Who won?", "Kosgei [1]", ["Kosgei won the race, and Yeshaneh came second."])


def test_a_percentage_does_not_answer_how_many() -> None:
    assert gives_a_share_for_a_count("how many monarch butterflies were counted in mexico", "144% [1]")
    assert not gives_a_share_for_a_count("how much did the butterfly population grow", "144% [1]")
    assert not gives_a_share_for_a_count("how many percent of voters turned out", "64% [1]")
    assert not gives_a_share_for_a_count("how many butterflies were counted", "about 6 million [1]")
    # a comparison is answered by how much more: "85% more"
    assert not gives_a_share_for_a_count(
        "How many more fires did Brazil have in 2019 compared to 2018?", "85% [1]"
    )
    assert not gives_a_share_for_a_count("how many fewer people voted than in 2016", "12% [1]")
    assert gives_a_share_for_a_count("how many more people are expected to die", "12% [1]")


def test_a_length_of_time_does_not_say_when() -> None:
    question = "until when is parliament suspended under johnson's prorogation"
    assert gives_a_length_for_a_time(question, "5 weeks [1]")
    assert gives_a_length_for_a_time("when will the law take effect", "about two years [1]")
    assert gives_a_length_for_a_time("英国议会什么时候复会", "5周 [1]")
    assert gives_a_length_for_a_time("它什么时候开始", "三个月 [1]")
    # a point in time answers it, however it is written; "how long" asks for the length
    for answer in ["October 14 [1]", "in 5 weeks [1]", "5 weeks ago [1]", "2019 [1]"]:
        assert not gives_a_length_for_a_time(question, answer), answer
    assert not gives_a_length_for_a_time("它什么时候开始", "3月 [1]")  # March
    assert not gives_a_length_for_a_time("它什么时候开始", "2019年 [1]")
    assert not gives_a_length_for_a_time("how long is parliament suspended", "5 weeks [1]")


def test_the_source_of_a_report_is_not_who_did_what_it_reports() -> None:
    quote = (
        "According to Connecticut Senator Richard Blumenthal, the involved airplane is one of eighteen"
        " B-17s still in the United States."
    )
    assert names_only_the_speaker("who was flying the b-17 that crashed", "Richard Blumenthal [1]", [quote])
    assert not names_only_the_speaker(
        "which senator reported the plane's history", "Richard Blumenthal [1]", [quote]
    )


def test_an_english_citation_of_a_chinese_question_is_read_with_its_english_translation() -> None:
    body = "Al Jazeera reported that Wiranto was flown to a hospital in Jakarta."
    passage = Passage(
        chunk_id="wi#0",
        article_id="wi",
        text=body,
        start=0,
        end=len(body),
        score=1.0,
        title="Indonesian security minister Wiranto stabbed",
        source="English Wikinews",
        published_at="2019-10-11",
        language="en",
    )
    citation = Citation(
        1, "wi", passage.title, passage.source, "", passage.published_at, body, 0, len(body), "wi#0"
    )
    check = AnswerabilityCheck(None, "system", [], 0.0, require_constraints=False)
    question = "维兰托遇刺后被送往哪家医院？"
    # the Chinese question shares no word with the English sentence: no rule can read it
    assert check.run(question, "Jakarta [1]", [citation], [passage]).ok
    translated = {"en": "Which hospital was Wiranto taken to after the stabbing?"}
    refused = check.run(question, "Jakarta [1]", [citation], [passage], translated)
    assert not refused.ok and "translation" in refused.missing[0]
    # a translation into a language no cited article is in changes nothing
    assert check.run(question, "Jakarta [1]", [citation], [passage], {"fr": "Quel hôpital ?"}).ok


def test_an_answer_of_another_kind_than_asked_is_refused() -> None:
    assert answers_another_kind("美联储前主席艾伦·格林斯潘的死因是什么？", "死因: 100岁 [1]")
    assert answers_another_kind("Where was Penpa Tsering sworn in?", "2021 [1]")
    # an English "who" is answered by a name
    assert answers_another_kind("Who scored the last try?", "18 year old half back [1]")
    assert not answers_another_kind("Who scored the last try?", "Jack Smith [1]")
    # a question asking for a number or a time as well is answered by one
    assert not answers_another_kind("How old was the man who died of the virus?", "60 [1]")
    assert not answers_another_kind("伊莱贾·卡明斯是在哪一天去世的？", "2019年10月17日 [1]")


def test_a_who_answered_with_a_word_the_evidence_writes_in_lower_case_names_no_one() -> None:
    question = "Who shot the four teenagers at the Clairton graduation party?"
    quote = (
        "Early Saturday morning, police in Clairton, Pennsylvania, responded to multiple reports of a "
        "shooting at a graduation party."
    )
    assert names_no_one(question, "Police [1]", [quote])
    assert names_no_one(question, "The police [1]", [quote])
    # a word the sentence writes with its capital inside it is a name, and so is one it does not write
    assert not names_no_one(question, "Police Chief Jones [1]", [quote])
    assert not names_no_one("Who won the vote?", "Democrats [1]", ["On Tuesday the Democrats won."])
    assert not names_no_one(question, "Clairton police [1]", [quote])
    # the capital opening the cited sentence says nothing either way
    assert names_no_one("Who responded?", "Police [1]", ["Police responded after the police were called."])
    assert not names_no_one("Who responded?", "Police [1]", ["Police responded to the call."])
    # only English "who" questions
    assert not names_no_one("What responded to the shooting?", "Police [1]", [quote])
    assert not names_no_one("谁开的枪？", "Police [1]", [quote])


def test_a_value_the_sentence_gives_for_another_year_does_not_answer_for_the_asked_one() -> None:
    question = "what share of gdp did hungary spend on defence in 2019"
    nato = (
        "According to a March 14, 2019 NATO press release, Hungary spent an estimated 1.15% of its GDP "
        "on military expenditures in 2018; NATO guidelines call for 2%."
    )
    assert states_another_year(question, "an estimated 1.15% [1]", [nato])
    assert not states_another_year(
        question, "1.2% [1]", ["Hungary spent 1.2% in 2019, up from 1.15% in 2018."]
    )
    assert not states_another_year(question, "1.2% [1]", ["Hungary spent 1.2% of its GDP on defence."])
    # an answer that states a year is left to the date checks; a question naming no year, to the judge
    assert not states_another_year(question, "2018 [1]", [nato])
    assert not states_another_year("what share of gdp did hungary spend on defence", "1.15% [1]", [nato])


def test_a_count_including_part_of_a_group_does_not_count_the_group() -> None:
    quote = "Nine people died, including four children."
    assert counts_a_part("how many people died", "4 [1]", [quote])
    assert not counts_a_part("how many children died", "4 [1]", [quote])
    assert not counts_a_part("how many people died", "9 [1]", [quote])
    # Chinese numerals are read as numbers
    kharkiv = "俄罗斯的一次空袭致使九人需要医疗救助，包括四名儿童。"
    assert counts_a_part("6月19号俄军空袭哈尔科夫死了多少人", "4 [1]", [kharkiv])
    assert not counts_a_part("空袭中有多少儿童受伤", "4 [1]", [kharkiv])


def test_a_value_cited_from_a_sentence_about_something_else_is_refused_before_the_judge() -> None:
    passage = _passage()
    second = "The roof of Notre-Dame caught fire yesterday evening."
    scorer = RecordingScorer()
    check = AnswerabilityCheck(None, "system", [], 0.94, require_constraints=False, scorer=scorer)
    refused = check.run(
        "When did the Louvre museum reopen?", "15 April 2019 [1]", [_citation(passage, second)], [passage]
    )
    assert not refused.ok and "something the question does not name" in refused.missing[0]
    assert scorer.prompts == []  # the judge is not asked
    kept = check.run(
        "When did Notre-Dame's roof burn?", "15 April 2019 [1]", [_citation(passage, second)], [passage]
    )
    assert kept.ok


def test_a_sentence_dating_what_it_says_to_another_day_does_not_answer_for_the_asked_day() -> None:
    """ "5.2" from "On Wednesday (15 January) a magnitude 5.2 earthquake hit" does not answer "what
    magnitude was the jan 7 quake"; the sentence resolved to the asked day does."""
    check, _ = _rule_check()
    refused = _ask(check, "what part of notre-dame caught fire on april 12", "The roof [1]", ROOF)
    assert not refused.ok and "another day" in refused.missing[0]
    assert _ask(check, "what part of notre-dame caught fire on april 15", "The roof [1]", ROOF).ok
    assert _ask(check, "what part of notre-dame caught fire on 15 april", "The roof [1]", ROOF).ok


def test_the_day_rule_reads_short_questions_pinning_an_event_and_answers_without_a_date() -> None:
    assert asked_days("what magnitude was the jan 7 quake in puerto rico") == {(1, 7)}
    assert asked_days("6月19日美国队对澳大利亚谁进的球") == {(6, 19)}
    # a question naming a report pins its publication, not the event
    assert asked_days("What did TechCrunch report on October 31 about Google?") == set()
    assert dates_another_day("what magnitude was the jan 7 quake", "5.2 [1]", [["2020-01-15"]])
    assert not dates_another_day(
        "what magnitude was the jan 7 quake", "6.4 [1]", [["2020-01-07", "2020-01-15"]]
    )
    # a bare "No" may rest on the other day: "was the primary moved to june 2" denied by "moved to April 28"
    assert not dates_another_day("was the ohio primary moved to june 2", "No [1]", [["2020-04-28"]])
    # a sentence that dates nothing, or an answer that is itself a date, is left to the other checks
    assert not dates_another_day("what magnitude was the jan 7 quake", "5.2 [1]", [[]])
    assert not dates_another_day("when was the quake after the jan 7 one", "January 15 [1]", [["2020-01-15"]])


def test_a_decade_is_not_the_year_asked() -> None:
    assert lacks_the_asked_time("奥巴马是哪一年把白宫网球场改成篮球场的", "2000年代 [1]") == "a year"
    assert lacks_the_asked_time("which year did it open", "the 1990s [1]") == "a year"
    assert lacks_the_asked_time("which year did it open", "1990 [1]") is None


def test_a_fiscal_year_is_a_year_and_a_qualified_number_a_count() -> None:
    sentence = "在2025财年，有大约1900人次的中国公民对国家实验室进行了短期访问"
    question = "how many short visits did chinese nationals make to doe national labs in fy2024"
    assert states_another_year(question, "about 1900 [1]", [sentence])
    assert not states_another_year(question.replace("fy2024", "fiscal 2025"), "about 1900 [1]", [sentence])


def test_the_speaker_named_after_a_quotation_is_not_what_was_asked() -> None:
    quote = (
        '"On behalf of the Court and retired Justices," wrote Chief Justice John G. Roberts, "I am saddened'
        " to report that our colleague Justice John Paul Stevens has passed away."
    )
    question = "who took John Paul Stevens' Supreme Court seat when he retired in 2010"
    assert names_only_the_speaker(question, "John G. Roberts [1]", [quote])
    # the title said of the speaker answers a question about it
    assert not names_only_the_speaker("who is the chief justice", "John G. Roberts [1]", [quote])
    # "said it now has ..." is what was said, not who said it
    said = "Aliyun said it now has more than 1.4 million customers."
    assert not names_only_the_speaker(
        "how many customers does aliyun have", "more than 1.4 million [1]", [said]
    )


def test_a_time_in_another_year_does_not_answer_when_within_the_asked_one() -> None:
    question = "when did sanders finally endorse hillary in 2016"
    assert dates_outside_the_asked_year(question, "July 2019 [1]")
    assert not dates_outside_the_asked_year(question, "July 2016 [1]")
    assert not dates_outside_the_asked_year(question, "July [1]")
    assert not dates_outside_the_asked_year("when did the 2016 law take effect", "January 2017 [1]")
    assert dates_outside_the_asked_year("2019年几月开的", "2018年3月 [1]")


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


def _relation_check() -> tuple[AnswerabilityCheck, RecordingScorer]:
    scorer = RecordingScorer()
    check = AnswerabilityCheck(
        None, "system", [], 0.94, require_constraints=False, scorer=scorer, min_relation_coverage=0.5
    )
    return check, scorer


def _ask_in_chinese(check: AnswerabilityCheck, question: str, answer: str, text: str) -> AnswerCheck:
    """Run `check` on an answer citing the whole of a one-passage Chinese report `text`."""
    passage = Passage(
        chunk_id="zh#0", article_id="zh", text=text, start=0, end=len(text), score=1.0,
        title="美国驻香港总领事馆庆祝独立日", source="VOA Chinese", published_at="2026-06-30", language="zh",
    )  # fmt: skip
    cite = Citation(
        1, "zh", passage.title, passage.source, "", passage.published_at, text, 0, len(text), "zh#0"
    )
    return check.run(question, answer, [cite], [passage])


def test_a_chinese_answer_whose_passage_does_not_state_the_relation_asked_fails_before_the_judge() -> None:
    check, scorer = _relation_check()
    asked = "美国驻港总领事馆说现在住在香港的美国公民有多少人"
    refused = _ask_in_chinese(check, asked, "至少有25万 [1]", "总领事说：“至少有25万美国人出生于香港。”")
    assert not refused.ok and "住" in refused.missing[0] and scorer.prompts == []
    assert _ask_in_chinese(
        check, asked, "约有8万5千人 [1]", "领事馆估计，住在香港的美国公民约有8万5千人。"
    ).ok


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


def test_a_chinese_when_answer_whose_passage_does_not_state_the_event_fails_before_the_judge() -> None:
    check, scorer = _relation_check()
    anniversary = "各地游客来到首都参加州博览会，共同庆祝美国将于7月4日迎来建国250周年。"
    refused = _ask_in_chinese(check, "美国州博览会哪天闭幕", "7月4日 [1]", anniversary)
    assert not refused.ok and "闭幕" in refused.missing[0] and scorer.prompts == []
    assert _ask_in_chinese(check, "美国州博览会哪天闭幕", "7月6日 [1]", "州博览会将于7月6日闭幕。").ok


def test_a_sentence_stating_the_opposite_of_the_claim_denies_a_yes() -> None:
    lost = "In 2016, Sanders lost the caucuses in the Northern Mariana Islands to Hillary Clinton."
    asked = "did sanders win the northern mariana islands caucus in 2016"
    assert denies_what_is_asked(asked, "Yes [1]", [lost])
    assert not denies_what_is_asked(asked, "No [1]", [lost])
    # a sentence stating the claim's own word as well is left to the judges
    both = "Sanders won Missouri's caucus after he lost Michigan."
    assert not denies_what_is_asked("did sanders win missouri", "Yes [1]", [both])
    # "defeated" says who won: no opposite of "win"
    assert not denies_what_is_asked(
        "did biden win missouri", "Yes [1]", ["Biden defeated Sanders in Missouri."]
    )


def test_a_count_does_not_answer_a_share_however_the_share_is_asked() -> None:
    assert gives_a_count_for_a_share("what percentage of the vote did the conservatives get", "92,153 [1]")
    # the share named by its noun, in English or Chinese
    assert gives_a_count_for_a_share("what is the conservatives' national vote share in 2019", "92,153 [1]")
    assert gives_a_count_for_a_share("2019年英国大选保守党全国得票率是多少啊", "92,153 [1]")
    # a share, or a small number that may be one, is left alone; so is a question asking a count
    assert not gives_a_count_for_a_share("2019年英国大选保守党全国得票率是多少啊", "43.6% [1]")
    assert not gives_a_count_for_a_share("what is the conservatives' vote share", "44 [1]")
    assert not gives_a_count_for_a_share("how many votes did the conservatives get", "92,153 [1]")
