"""The answering flow with a scripted generator: what reaches the reader, and what never does.

Fast: a tiny in-memory index (hash embeddings) and an LLM that replies from a script, with a scorer
that answers the Yes/No checks from a table, so every branch of `Assistant.stream` is exercised
without loading a model.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from fake_llm import ScriptedLLM
from fake_news_index import FakeNewsIndex
from llama_index.core.base.llms.types import ChatMessage

from rag.assistant import Assistant
from rag.citations import CheckedAnswer
from rag.cli import print_answer
from rag.models import ABSTAIN_TEXT, Answer, Citation, Passage, Sources
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings

ARTICLES = [
    ("cd", "Aliyun opens data center", "China Daily", "2015-07-23T08:26:00+08:00", "en",
     "Aliyun said it now serves more than 1.4 million customers. That followed the opening in March "
     "of its first overseas data center in Silicon Valley in the US. Jane Doe contributed to this story."),
    ("fx", "Fan Expo Vancouver opens", "English Wikinews", "2019-04-20", "en",
     "Fan Expo Vancouver opened on Saturday. Tickets for Fan Expo Vancouver cost $45 for a day. "
     "Which convention draws the most fans in Canada? Organisers did not say."),
    ("tc", "Toronto Comicon 2019 welcomes fans", "English Wikinews", "2019-03-18", "en",
     "Toronto Comicon 2019 was held at the Metro Toronto Convention Centre. Fans came in costume."),
    ("v1", "Pixel 8 review", "The Verge", "2023-10-04", "en",
     "The Verge reported that the Pixel 8 costs $699 and ships with Android 14."),
    ("t1", "Pixel 8 battery test", "TechCrunch", "2023-10-10", "en",
     "TechCrunch found that the Pixel 8 battery lasts a full day of heavy use."),
]  # fmt: skip


class TableScorer:
    """Answers the Yes/No checks: `rule(prompt)` gives P(Yes); content-free prompts get 0.5."""

    def __init__(self, rule: Callable[[str], float]) -> None:
        self.rule = rule
        self.prompts: list[str] = []

    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        prompt = str(messages[-1].content)
        self.prompts.append(prompt)
        p = 0.5 if "N/A" in prompt or "[MASK]" in prompt or "Statement: \n" in prompt else self.rule(prompt)
        return (p, 1 - p)


def _assistant(
    tmp_path: Path,
    reply: str,
    rule: Callable[[str], float] = lambda _: 0.99,
    articles: Sequence[tuple[str, ...]] = ARTICLES,
    **settings,
) -> Assistant:
    index = FakeNewsIndex(tmp_path, articles)
    rag = RagSettings(**settings)
    return Assistant(
        rag,
        index,
        HybridRetriever(index, rag, state_dir=tmp_path / "state"),
        ScriptedLLM(reply=reply),
        TableScorer(rule),
    )


def test_a_supported_answer_is_kept_with_its_sentence(tmp_path: Path) -> None:
    answer = _assistant(tmp_path, "Silicon Valley [1]").ask(
        "Where did Aliyun open its first overseas data center?"
    )
    assert not answer.abstained, answer.notes
    assert "in March of its first overseas data center in Silicon Valley" in answer.citations[0].quote
    assert any(n.startswith("answer check: ok") for n in answer.notes)


def test_sources_are_streamed_before_the_text(tmp_path: Path) -> None:
    items = list(_assistant(tmp_path, "1.4 million [1]").stream("How many customers does Aliyun serve?"))
    assert isinstance(items[0], Sources) and isinstance(items[-1], Answer)
    assert items[0].context and items[-1].citations


def test_a_value_for_another_subject_becomes_an_abstention(tmp_path: Path) -> None:
    """The near miss: the corpus names Toronto Comicon but gives no price; $45 is Fan Expo's. The
    judge refuses it; with the constraint check on, the missing name alone refuses it too; so does the
    subject check, the cited article naming no "Toronto Comicon". (The subject filter, off here, would
    keep the Fan Expo passage out of the context in the first place.)"""
    question = "How much did tickets for Toronto Comicon 2019 cost?"
    unnamed = _assistant(tmp_path / "d", "$45 [1]", subject_filter=False).ask(question)
    assert unnamed.abstained and any("no cited article names" in n for n in unnamed.notes)
    off = {"subject_filter": False, "require_cited_subject": False}
    judged = _assistant(tmp_path / "a", "$45 [1]", rule=lambda p: 0.1 if "Toronto" in p else 0.99, **off).ask(
        question
    )
    assert judged.abstained and judged.text == ABSTAIN_TEXT and judged.citations == []
    strict = _assistant(tmp_path / "b", "$45 [1]", require_question_constraints=True, **off).ask(question)
    assert strict.abstained
    assert any("missing=['toronto comicon 2019'" in n for n in strict.notes)
    lenient = _assistant(tmp_path / "c", "$45 [1]", **off).ask(
        question
    )  # judge says yes, constraints only noted
    assert not lenient.abstained
    assert any("missing=['toronto comicon 2019'" in n for n in lenient.notes)


def test_a_question_typed_in_lower_case_gets_its_names_from_the_passages(tmp_path: Path) -> None:
    """Typed in lower case, the near miss has no capitalised name for the subject checks to find;
    the passages write "Toronto Comicon", so it is read as a name and the Fan Expo answer abstains."""
    question = "how much did tickets for toronto comicon 2019 cost?"
    off = {"subject_filter": False, "min_relation_coverage": 0.0}  # the subject rule alone
    cased = _assistant(tmp_path / "a", "$45 [1]", **off).ask(question)
    assert cased.abstained and any("no cited article names" in n for n in cased.notes)
    assert any("Toronto Comicon" in n for n in cased.notes if n.startswith("read the question's names"))
    lower = _assistant(tmp_path / "b", "$45 [1]", truecase_questions=False, **off).ask(question)
    assert not lower.abstained  # nothing told the checks what the question was about


def test_the_answer_judge_can_refuse_what_the_constraints_let_through(tmp_path: Path) -> None:
    question = "How many customers does Aliyun serve?"
    doubted = _assistant(tmp_path / "a", "1.4 million [1]", rule=lambda _: 0.1).ask(question)
    assert doubted.abstained
    trusted = _assistant(tmp_path / "b", "1.4 million [1]", rule=lambda _: 0.99).ask(question)
    assert not trusted.abstained and "1.4 million" in trusted.text


def test_bylines_and_questions_are_never_cited(tmp_path: Path) -> None:
    byline = _assistant(tmp_path / "a", "Jane Doe [1]").ask("Who contributed to the Aliyun story?")
    assert byline.abstained and not byline.citations
    question = _assistant(tmp_path / "b", "Canada [1]").ask("Which convention draws the most fans in Canada?")
    assert all("?" not in c.quote for c in question.citations)
    assert question.abstained


def test_yes_needs_every_side_stated(tmp_path: Path) -> None:
    q = "Does The Verge report that the Pixel 8 costs $699, while TechCrunch reports that its battery lasts a week?"

    def rule(prompt: str) -> float:  # the TechCrunch side ("a week") is not what TechCrunch says
        if "statement is false" in prompt:
            return 0.2
        return 0.2 if "lasts a week" in prompt else 0.9

    llm_reply = "Yes [1][2]"  # what a careless generator would say; the verdict does not ask it
    answer = _assistant(tmp_path, llm_reply, rule).ask(q)
    assert not answer.text.startswith("Yes"), answer.notes
    assert answer.abstained


def test_no_needs_a_side_contradicted_by_its_report(tmp_path: Path) -> None:
    q = "Does The Verge report that the Pixel 8 costs $699, while TechCrunch reports that its battery lasts a week?"

    def rule(prompt: str) -> float:
        if "lasts a week" in prompt:
            return 0.9 if "statement is false" in prompt else 0.1
        return 0.1 if "statement is false" in prompt else 0.9

    answer = _assistant(tmp_path, "", rule).ask(q)
    assert answer.text.startswith("No"), answer.notes
    assert {c.source for c in answer.citations} == {"The Verge", "TechCrunch"}  # one quote per side


def test_yes_when_both_sides_are_stated_quotes_each_report(tmp_path: Path) -> None:
    q = "Does The Verge report that the Pixel 8 costs $699, while TechCrunch reports that its battery lasts a full day?"

    def rule(prompt: str) -> float:
        return 0.1 if "statement is false" in prompt else 0.9

    answer = _assistant(tmp_path, "", rule).ask(q)
    assert answer.text.startswith("Yes"), answer.notes
    assert {c.source for c in answer.citations} == {"The Verge", "TechCrunch"}


def test_nothing_relevant_abstains_without_asking_the_generator(tmp_path: Path, caplog) -> None:
    assistant = _assistant(tmp_path, "Paris [1]", abstain_below_dense=2.0, abstain_below_coverage=2.0)
    with caplog.at_level(logging.DEBUG, logger="rag.assistant"):
        answer = assistant.ask("Which football club did Aliyun sponsor?")
    assert answer.abstained and "no relevant passage retrieved" in answer.notes
    assert assistant._llm.asked == []
    # the log says so, as it does for a generated answer
    assert "before generating (no relevant passage retrieved)" in caplog.text


def test_a_question_about_an_outlet_the_index_lacks_abstains_without_asking_the_generator(
    tmp_path: Path,
) -> None:
    assistant = _assistant(tmp_path, "$699 [1]")
    answer = assistant.ask(
        "Based on an article by The Verge and another by CNET, what does the Pixel 8 cost?"
    )
    assert answer.abstained
    assert "The index holds no article from CNET, which the question names" in answer.notes
    out = io.StringIO()
    print_answer(answer, out)  # the command line says why
    assert "no article from CNET" in out.getvalue()
    assert assistant._llm.asked == []
    # stored outlets only: the same question is answered
    kept = assistant.ask("Based on an article by The Verge, what does the Pixel 8 cost?")
    assert not kept.abstained and kept.text.startswith("$699"), kept.notes


def test_an_outlet_a_stored_article_reports_on_is_not_reason_to_abstain(tmp_path: Path) -> None:
    articles = [
        *ARTICLES,
        ("rt", "Pixel 8 sales", "TechCrunch", "2023-10-12", "en",
         "According to a Bloomberg report, Google sold 2 million Pixel 8 phones in its first week."),
    ]  # fmt: skip
    answer = _assistant(tmp_path, "2 million [1]", articles=articles).ask(
        "How many Pixel 8 phones did Google sell in the first week, according to a Bloomberg article?"
    )
    assert not any("holds no article from" in n for n in answer.notes), answer.notes
    assert (
        not _assistant(tmp_path / "off", "$699 [1]", abstain_on_unknown_outlets=False)
        .ask("Based on an article by The Verge and another by CNET, what does the Pixel 8 cost?")
        .abstained
    )


def test_publication_order_is_settled_from_dates_not_generated(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, "No [1][2]")
    answer = assistant.ask(
        "Did The Verge report that the Pixel 8 costs $699 before TechCrunch reported that its battery lasts a full day?"
    )
    assert answer.text.startswith("Yes"), answer.notes
    assert assistant._llm.asked == []
    assert any("publication order" in n for n in answer.notes)


@pytest.mark.parametrize("enabled", [True, False])
def test_yes_no_verdicts_can_be_turned_off(tmp_path: Path, enabled: bool) -> None:
    assistant = _assistant(tmp_path, "Yes [1]", yes_no_verdicts=enabled)
    assistant.ask("Does The Verge report that the Pixel 8 costs $699?")
    assert (assistant._llm.asked == []) == enabled


@pytest.mark.parametrize("mode", ["both", "generator", "verdict"])
def test_a_short_one_claim_yes_no_question_is_answered_as_configured(tmp_path: Path, mode: str) -> None:
    """ "Did Aliyun open ... in Silicon Valley?" names no report: the generator answers it over its
    passages and the checks quote the sentence ("both" also asks the verdict); "verdict" judges it
    side by side without generating."""
    assistant = _assistant(tmp_path, "Yes [1]", yes_no_short_claims=mode)
    answer = assistant.ask("Did Aliyun open its first overseas data center in Silicon Valley?")
    assert (assistant._llm.asked == []) == (mode == "verdict")
    assert answer.text.startswith("Yes"), answer.notes
    assert "Silicon Valley" in answer.citations[0].quote
    assert any(n.startswith("side-by-side verdict") for n in answer.notes) == (mode == "both")


def test_a_generated_yes_the_verdict_does_not_confirm_abstains(tmp_path: Path) -> None:
    """The passage is judged to state the opposite: the generator's checked "Yes" is not returned."""

    def rule(prompt: str) -> float:
        return 0.9 if "statement is false" in prompt else 0.2 if "statement is true" in prompt else 0.99

    q = "Did Aliyun open its first overseas data center in Silicon Valley?"
    answer = _assistant(tmp_path, "Yes [1]", rule).ask(q)
    assert answer.abstained, answer.notes
    assert "the verdict does not confirm the reply: abstaining" in answer.notes
    assert (
        _assistant(tmp_path / "g", "Yes [1]", rule, yes_no_short_claims="generator")
        .ask(q)
        .text.startswith("Yes")
    )


@pytest.mark.parametrize("mode", ["both", "verdict", "generator"])
def test_a_bare_yes_to_a_claim_in_no_question_form_is_confirmed_like_a_short_claim(
    tmp_path: Path, mode: str
) -> None:
    """ "aliyun opened its first overseas data center in madrid?" has no yes/no form, so it is
    generated; the generator's bare "Yes" shows it read a claim, which the verdict must confirm
    (here the passage is judged to state the opposite). Left to the generator, the "Yes" stays."""

    def rule(prompt: str) -> float:
        return 0.9 if "statement is false" in prompt else 0.2 if "statement is true" in prompt else 0.99

    q = "Aliyun opened its first overseas data center in Silicon Valley?"
    answer = _assistant(tmp_path, "Yes [1]", rule, yes_no_short_claims=mode).ask(q)
    if mode == "generator":
        assert answer.text.startswith("Yes"), answer.notes
    else:
        assert answer.abstained, answer.notes
        assert "the verdict does not confirm the reply: abstaining" in answer.notes


def test_a_reply_citing_an_article_in_another_language_is_confirmed_in_the_questions_translation(
    tmp_path: Path,
) -> None:
    """The verdict finds its evidence by the claim's words, so an English claim cited from a Chinese
    report is judged in its Chinese translation (the one retrieval searched), on the cited passage."""
    scorer = TableScorer(lambda prompt: 0.9 if "statement is true" in prompt else 0.2)
    index = FakeNewsIndex(tmp_path, ARTICLES)
    rag = RagSettings()
    retriever = HybridRetriever(index, rag, state_dir=tmp_path / "state")
    assistant = Assistant(rag, index, retriever, ScriptedLLM(reply="Yes [1]"), scorer)
    text = "阿里云今年3月在美国硅谷开设了首个海外数据中心。"
    cited = Passage(
        "zh#0", "zh", text, 0, len(text), 1.0, "阿里云在硅谷开设数据中心", source="新华网", language="zh"
    )
    citation = Citation(1, "zh", cited.title, "新华网", "", None, text, 0, len(text), "zh#0")
    checked = CheckedAnswer("Yes [1]", [citation], False)
    translation = "阿里云在硅谷开了首个海外数据中心吗"
    confirmed = assistant._confirmed(
        "did aliyun open its first overseas data center in silicon valley",
        [cited],
        None,
        checked,
        {"zh": translation},
    )
    assert not confirmed.abstained, confirmed.notes
    judged = [p for p in scorer.prompts if "Statement: " + translation.rstrip("吗") in p]
    assert judged and all("阿里云今年3月" in p for p in judged)


def test_a_bare_yes_the_verdict_confirms_is_kept(tmp_path: Path) -> None:
    answer = _assistant(tmp_path, "Yes [1]").ask(
        "so aliyun opened its first overseas data center in silicon valley"
    )
    assert answer.text.startswith("Yes"), answer.notes
    assert any(n.startswith("side-by-side verdict: Yes") for n in answer.notes)


LEVEES = (
    "lv", "Louisiana braces for Tropical Storm Barry", "English Wikinews", "2019-07-12", "en",
    "Tropical Storm Barry approached the coast on Friday. New Orleans officials have said they are not "
    "concerned about the levees, which have five or six feet of leeway.",
)  # fmt: skip


@pytest.mark.parametrize("enabled", [True, False])
def test_a_yes_its_cited_sentence_denies_is_answered_no(tmp_path: Path, enabled: bool) -> None:
    # the default route asks the side-by-side verdict to confirm a short claim's reply; a "No" read
    # from a denial is not put to it (its judges, here always 0.99, read past the "not")
    assistant = _assistant(
        tmp_path, "Yes [1]", articles=[*ARTICLES, LEVEES], no_when_the_quote_denies=enabled
    )
    answer = assistant.ask("are new orleans officials worried about the levees")
    if enabled:
        assert answer.text == "No [1]", answer.notes
        assert "not concerned about the levees" in answer.citations[0].quote
        assert "the cited sentence denies the claim: answered No" in answer.notes
    else:
        assert answer.abstained
    # a "No" the sentence denies is not turned into anything
    assert (
        not _assistant(tmp_path / "no", "No [1]", articles=[*ARTICLES, LEVEES])
        .ask("are new orleans officials worried about the levees")
        .text.startswith("Yes")
    )


def test_a_bare_no_to_a_question_asking_what_abstains(tmp_path: Path) -> None:
    answer = _assistant(tmp_path, "No [1]").ask("Where did Aliyun open its first overseas data center?")
    assert answer.abstained
    assert any("asks for something else than yes or no" in n for n in answer.notes), answer.notes


def test_a_generated_no_to_a_claim_no_passage_is_about_abstains(tmp_path: Path) -> None:
    answer = _assistant(tmp_path, "No [1]").ask("Did Aliyun sponsor a football club in Madrid?")
    assert answer.abstained, answer.notes


def test_a_same_topic_article_about_another_subject_stays_out_of_the_context(tmp_path: Path) -> None:
    def context(**settings) -> list[str]:
        assistant = _assistant(tmp_path / str(len(settings)), "March [1]", context_min_ratio=0.0, **settings)
        assistant.index.add(
            "ac", "Allnet to consolidate data centers", "Reuters", "1987-03-09", "en",
            "Allnet said it will consolidate its two data centers and open its first new data center.",
        )  # fmt: skip
        assistant.refresh()
        items = list(assistant.stream("When did Aliyun open its first data center?"))
        return [p.article_id for p in items[0].context]

    assert "ac" in context(subject_filter=False)  # ranked into the context on its topic words
    assert "ac" not in context() and "cd" in context()  # it names no Aliyun; the China Daily article does


def _asked_twice(tmp_path: Path, first: str, second: str, **settings) -> tuple[Answer, list[str]]:
    """Asked with `second_answer` on (off by default: the packaged 1.5B rescued no answer with it)."""
    assistant = _assistant(tmp_path, "", **{"second_answer": True, **settings})
    assistant._llm.replies = [first, second]
    answer = assistant.ask("Where did Aliyun open its first overseas data center?")
    return answer, assistant._llm.asked


def test_a_refused_reply_is_asked_again_and_the_checked_second_reply_kept(tmp_path: Path) -> None:
    """The byline's name is refused (never evidence); asked again, naming that reply, the generator
    gives the place the passage states, which passes every check and is what the reader gets."""
    answer, asked = _asked_twice(tmp_path, "Jane Doe [1]", "Silicon Valley [1]")
    assert len(asked) == 2 and "Jane Doe [1]" in asked[1] and "do not state it as the answer" in asked[1]
    assert not answer.abstained and answer.text.startswith("Silicon Valley")
    assert "Silicon Valley in the US" in answer.citations[0].quote
    assert any(n.startswith("second answer: Silicon Valley") for n in answer.notes)


def test_a_second_reply_faces_the_same_checks(tmp_path: Path) -> None:
    unsupported, _ = _asked_twice(tmp_path / "a", "Jane Doe [1]", "Toronto [1]")
    assert unsupported.abstained and unsupported.citations == []
    repeated, _ = _asked_twice(tmp_path / "b", "Jane Doe [1]", "Jane Doe [1]")
    assert repeated.abstained and repeated.citations == []


def test_the_generators_own_abstention_and_a_kept_reply_are_not_asked_again(tmp_path: Path) -> None:
    for n, first in enumerate((ABSTAIN_TEXT, "Silicon Valley [1]")):
        answer, asked = _asked_twice(tmp_path / str(n), first, "Toronto [1]")
        assert len(asked) == 1, answer.notes


def test_the_second_ask_is_off_unless_turned_on(tmp_path: Path) -> None:
    assert RagSettings().second_answer is False
    answer, asked = _asked_twice(tmp_path, "Jane Doe [1]", "Silicon Valley [1]", second_answer=False)
    assert answer.abstained and len(asked) == 1


def test_a_number_that_measures_another_thing_becomes_an_abstention(tmp_path: Path) -> None:
    """The judge says Yes (0.99) to both; the sentence writes 699 as dollars, which answers the
    price and not the weight."""
    weight = _assistant(tmp_path / "w", "699 [1]").ask("How much does the Pixel 8 weigh?")
    assert weight.abstained and any("measure of another thing" in n for n in weight.notes)
    price = _assistant(tmp_path / "p", "$699 [1]").ask("What does the Pixel 8 cost?")
    assert not price.abstained, price.notes


def _scripted(tmp_path: Path, replies: list[str], **settings) -> tuple[Assistant, ScriptedLLM]:
    index = FakeNewsIndex(tmp_path, ARTICLES)
    rag = RagSettings(**settings)
    llm = ScriptedLLM(reply=ABSTAIN_TEXT, replies=list(replies))
    retriever = HybridRetriever(index, rag, state_dir=tmp_path / "state")
    return Assistant(rag, index, retriever, llm, TableScorer(lambda _: 0.99)), llm


@pytest.mark.parametrize(("claimed", "verdict"), [("$60", "No"), ("$45", "Yes")])
def test_a_yes_no_question_claiming_a_value_is_answered_by_the_value_its_article_states(
    tmp_path: Path, claimed: str, verdict: str
) -> None:
    """The generator's "Yes" is refused (the article does not state $60); asked for the value instead,
    it says $45, which every check passes, and the comparison answers with the quote."""
    assistant, llm = _scripted(
        tmp_path,
        ["Yes [1]", "How much did a day ticket for Fan Expo Vancouver cost?", "$45 [1]"],
        yes_no_short_claims="generator",
    )
    answer = assistant.ask(f"Did a day ticket for Fan Expo Vancouver cost {claimed}?")
    if verdict == "No":
        assert not answer.abstained, answer.notes
        assert answer.text == "No, $45 [1]"
        assert "Tickets for Fan Expo Vancouver cost $45 for a day" in answer.citations[0].quote
        assert any(f"Value: {claimed[1:]}" in str(prompt) for prompt in llm.asked)
    else:  # a "$45" claim: the generator's own "Yes" already passes, and nothing is asked again
        assert answer.text == "Yes [1]" and len(llm.asked) == 1


def test_a_value_the_checks_refuse_leaves_the_abstention(tmp_path: Path) -> None:
    """Asked for the value, the generator names Toronto Comicon's venue, not a price: no comparison."""
    assistant, _ = _scripted(
        tmp_path,
        [
            "Yes [1]",
            "How much did a day ticket for Fan Expo Vancouver cost?",
            "Metro Toronto Convention Centre [1]",
        ],
        yes_no_short_claims="generator",
    )
    answer = assistant.ask("Did a day ticket for Fan Expo Vancouver cost $60?")
    assert answer.abstained and answer.text == ABSTAIN_TEXT and not answer.citations
    assert any("asked for the claimed value" in n for n in answer.notes)


def test_the_value_probe_can_be_turned_off(tmp_path: Path) -> None:
    assistant, llm = _scripted(
        tmp_path, ["Yes [1]"], yes_no_short_claims="generator", yes_no_value_probe=False
    )
    assert assistant.ask("Did a day ticket for Fan Expo Vancouver cost $60?").abstained
    assert len(llm.asked) == 1


SEARCH = [
    ("ag", "Search under scrutiny", "The Age", "2023-10-20", "en",
     "Critics say Google tweaks its search results to earn more from advertising."),
    ("ts", "Publishers sue over search", "TechCrunch", "2023-12-15", "en",
     "The class action claims Google siphons off publishers' readers and advertising revenue."),
]  # fmt: skip


@pytest.mark.parametrize("enabled", [True, False])
def test_an_answer_cites_every_named_report_that_states_it(tmp_path: Path, enabled: bool) -> None:
    q = "Which company tweaks search results, according to The Age, and is sued by publishers, per TechCrunch?"
    assistant = _assistant(tmp_path, "Google [1]", articles=SEARCH, cite_named_reports=enabled)
    answer = assistant.ask(q)
    assert not answer.abstained, answer.notes
    if enabled:  # each report the question names is quoted, and the answer check reads both
        assert {c.source for c in answer.citations} == {"The Age", "TechCrunch"}
        assert any("missing=[]" in n for n in answer.notes), answer.notes
    else:  # the reply's one report: the other named report is a constraint left unstated
        assert len(answer.citations) == 1 and any("missing=['source " in n for n in answer.notes)
