"""The answer judge reads the evidence the way the generator did: resolved dates explained in place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from llama_index.core.llms import ChatMessage

from index.models import Article, ResolvedDate
from rag.answerability import (
    AnswerabilityCheck,
    AnswerCheck,
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


def test_a_value_the_cited_sentence_gives_for_another_item_is_refused_before_the_judge() -> None:
    text = "Energy prices rose 3.9% in May. Food prices rose 0.5%."
    passage = replace(_passage(), chunk_id="cpi#0", article_id="cpi", text=text, end=len(text), dates=())
    energy = "Energy prices rose 3.9% in May."
    cited = [replace(_citation(passage, ROOF), quote=energy, start=0, end=len(energy), chunk_id="cpi#0")]
    scorer = RecordingScorer()
    check = AnswerabilityCheck(None, "system", [], 0.94, require_constraints=False, scorer=scorer)
    refused = check.run("how much did food prices go up in may", "3.9% [1]", cited, [passage])
    assert not refused.ok and "another item than the one asked" in refused.missing[0]
    assert scorer.prompts == []  # the judge is not asked
    assert check.run("how much did energy prices go up in may", "3.9% [1]", cited, [passage]).ok


def test_a_sentence_dating_what_it_says_to_another_day_does_not_answer_for_the_asked_day() -> None:
    """ "5.2" from "On Wednesday (15 January) a magnitude 5.2 earthquake hit" does not answer "what
    magnitude was the jan 7 quake"; the sentence resolved to the asked day does."""
    check, _ = _rule_check()
    refused = _ask(check, "what part of notre-dame caught fire on april 12", "The roof [1]", ROOF)
    assert not refused.ok and "another day" in refused.missing[0]
    assert _ask(check, "what part of notre-dame caught fire on april 15", "The roof [1]", ROOF).ok
    assert _ask(check, "what part of notre-dame caught fire on 15 april", "The roof [1]", ROOF).ok


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


def test_a_chinese_when_answer_whose_passage_does_not_state_the_event_fails_before_the_judge() -> None:
    check, scorer = _relation_check()
    anniversary = "各地游客来到首都参加州博览会，共同庆祝美国将于7月4日迎来建国250周年。"
    refused = _ask_in_chinese(check, "美国州博览会哪天闭幕", "7月4日 [1]", anniversary)
    assert not refused.ok and "闭幕" in refused.missing[0] and scorer.prompts == []
    assert _ask_in_chinese(check, "美国州博览会哪天闭幕", "7月6日 [1]", "州博览会将于7月6日闭幕。").ok


def test_a_chinese_answer_citing_the_office_of_another_place_fails_before_the_judge() -> None:
    check, scorer = _rule_check()
    asked = "中国国防部长今年去香格里拉对话会了吗"
    philippines = "菲律宾国防部长吉尔伯托·特奥多罗在新加坡举行的香格里拉对话时透露了这一消息。"
    refused = _ask_in_chinese(check, asked, "是 [1]", philippines)
    assert not refused.ok and "another place" in refused.missing[0] and scorer.prompts == []
    both = "中国国防部长董军没有出席香格里拉对话会，菲律宾国防部长出席了。"
    assert _ask_in_chinese(check, asked, "没有 [1]", both).ok


class FlatScorer(RecordingScorer):
    """P(Yes) `p` for every real prompt, 0.5 for content-free ones (so the calibrated P(Yes) is `p`)."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        p = super().distribution(messages, labels)[0]
        p = p if p == 0.5 else self.p
        return (p, 1 - p)


def test_a_bare_no_is_judged_by_its_own_lower_bar_and_a_bare_yes_by_the_answer_judge_s() -> None:
    """The judge echoes the reply word it is shown, so a "No" the passage states scores lower than a
    "Yes" would: a bare "No" has a bar of its own, never above a bare reply's."""
    question = "Did the roof of Notre-Dame catch fire on Monday?"

    def check(p: float, **bars: float) -> AnswerabilityCheck:
        return AnswerabilityCheck(
            None, "system", [], 0.935, require_constraints=False, scorer=FlatScorer(p), **bars
        )

    assert _ask(check(0.85, min_p_no=0.83), question, "No [1]", ROOF).ok
    assert not _ask(check(0.85), question, "No [1]", ROOF).ok  # no bar of its own: the answer judge's
    assert not _ask(check(0.85, min_p_no=0.83), question, "Yes [1]", ROOF).ok
    assert not _ask(check(0.80, min_p_no=0.83), question, "No [1]", ROOF).ok
    assert _ask(check(0.5, min_p_yes_no=0.0, min_p_no=0.83), question, "No [1]", ROOF).ok


def test_a_bare_yes_needs_every_name_of_the_claim_stated_and_a_bare_no_does_not() -> None:
    """A "Yes" confirms the whole claim; a "No" may rest on the one part its report states otherwise."""

    def check(yes_requires_constraints: bool) -> AnswerabilityCheck:
        return AnswerabilityCheck(
            None,
            "system",
            [],
            0.935,
            require_constraints=False,
            scorer=FlatScorer(0.99),
            yes_requires_constraints=yes_requires_constraints,
        )

    unstated = "Did the roof of Notre-Dame catch fire in Lyon?"
    refused = _ask(check(True), unstated, "Yes [1]", ROOF)
    assert not refused.ok and refused.missing == ("lyon",)
    assert _ask(check(True), unstated, "No [1]", ROOF).ok
    assert _ask(check(False), unstated, "Yes [1]", ROOF).ok
    assert _ask(check(True), "Did the roof of Notre-Dame catch fire in Paris?", "Yes [1]", ROOF).ok


def test_across_scripts_a_bare_yes_needs_the_names_of_the_questions_translation_stated() -> None:
    check = AnswerabilityCheck(
        None,
        "system",
        [],
        0.935,
        require_constraints=False,
        scorer=FlatScorer(0.99),
        yes_requires_constraints=True,
    )
    passage = _passage()
    cited = [_citation(passage, ROOF)]
    question = "巴黎圣母院的屋顶是在里昂起火的吗？"
    in_lyon = {"en": "Did the roof of Notre-Dame catch fire in Lyon?"}
    refused = check.run(question, "Yes [1]", cited, [passage], in_lyon)
    assert not refused.ok and refused.missing == ("lyon",)
    assert check.run(question, "Yes [1]", cited, [passage]).ok  # no translation: nothing to compare
    in_paris = {"en": "Did the roof of Notre-Dame catch fire in Paris?"}
    assert check.run(question, "Yes [1]", cited, [passage], in_paris).ok


LEONOV = (
    "Yesterday, Roscosmos, the Russian space agency, announced the death of cosmonaut Alexei Leonov. "
    "Leonov completed the first spacewalk by a human on March 18, 1965."
)


def _ask_of_leonov(
    check: AnswerabilityCheck, question: str, answer: str, quote: str, **kw: str
) -> AnswerCheck:
    """Run `check` on an answer citing `quote` of a one-passage English report on Leonov's death."""
    passage = Passage(
        chunk_id="leo#0", article_id="leo", text=LEONOV, start=0, end=len(LEONOV), score=1.0,
        title="Cosmonaut Alexei Leonov dies at age 85", source="English Wikinews",
        published_at="2019-10-12", language="en",
    )  # fmt: skip
    start = LEONOV.index(quote)
    cite = Citation(
        1, "leo", passage.title, passage.source, "", passage.published_at, quote, start,
        start + len(quote), "leo#0",
    )  # fmt: skip
    return check.run(question, answer, [cite], [passage], translations=kw or None)


def test_a_when_answer_dated_by_a_sentence_on_another_event_fails_before_the_judge() -> None:
    check, scorer = _relation_check()
    death = LEONOV.split(". ")[0] + "."
    asked = "When did Leonov complete the first spacewalk?"
    # the passage names the spacewalk, but the sentence giving the day is about his death
    refused = _ask_of_leonov(check, asked, "11 October 2019 [1]", death)
    assert not refused.ok and "another event" in refused.missing[0] and scorer.prompts == []
    spacewalk = "Leonov completed the first spacewalk by a human on March 18, 1965."
    assert _ask_of_leonov(check, asked, "March 18, 1965 [1]", spacewalk).ok
    # asked in Chinese, read through the question's English translation
    refused = _ask_of_leonov(check, "列昂诺夫哪天完成了首次太空行走？", "2019年10月11日 [1]", death, en=asked)
    assert not refused.ok and "another event" in refused.missing[0]
    # a question asking no time is left to the other checks
    assert _ask_of_leonov(check, "Who announced Leonov's death?", "Roscosmos [1]", death).ok


def test_a_short_question_s_own_number_must_be_stated_where_its_answer_is_quoted() -> None:
    check, _ = _relation_check()
    death = LEONOV.split(". ")[0] + "."
    # "No. 11" pins whom the question asks about; the quoted window does not state it
    refused = _ask_of_leonov(
        check, "Which agency announced the death of cosmonaut No. 11?", "Roscosmos [1]", death
    )
    assert not refused.ok and "11" in refused.missing
    # a number that is part of a day or a year is left to the date rules
    assert _ask_of_leonov(
        check, "Which agency announced Leonov's death on 11 October?", "Roscosmos [1]", death
    ).ok
    spacewalk = "Leonov completed the first spacewalk by a human on March 18, 1965."
    assert _ask_of_leonov(check, "Who made the first spacewalk of 1965?", "Leonov [1]", spacewalk).ok
    # a number in a name ("Soyuz-19") is the name's, and a yes/no question's number is its claim
    assert _ask_of_leonov(
        check, "Which agency announced the death of the Soyuz-19 cosmonaut?", "Roscosmos [1]", death
    ).ok
    assert _ask_of_leonov(check, "did leonov die at 11?", "No [1]", death).ok
    # a long question naming reports is not held to it
    long = "Which agency, according to the report that English Wikinews published, announced the death of cosmonaut No. 11?"
    assert _ask_of_leonov(check, long, "Roscosmos [1]", death).ok
