"""A question about an article in another language, through `Assistant.stream` with a scripted generator:
the question is translated once for search, the answer is checked against the foreign article and
written for the reader."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from fake_news_index import FakeNewsIndex
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, CompletionResponse, LLMMetadata
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms import CustomLLM

import rag.assistant
from rag.assistant import Assistant
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings
from rag.translate import TRANSLATOR_PROMPT

ARTICLES = [
    ("cd", "Aliyun opens data center", "China Daily", "2015-07-23T08:26:00+08:00", "en",
     "Aliyun said it now serves more than 1.4 million customers. That followed the opening in March "
     "of its first overseas data center in Silicon Valley in the US."),
    ("z1", "阿里云大会", "VOA Chinese", "2026-06-10", "zh", "阿里云大会在杭州举行，客户到场。"),
    ("z2", "杭州会展", "VOA Chinese", "2026-06-11", "zh", "杭州会展中心接待了很多客户。"),
    ("z3", "银行服务", "VOA Chinese", "2026-06-12", "zh", "银行现在为客户服务的时间延长。"),
    ("z4", "云计算", "VOA Chinese", "2026-06-13", "zh", "云计算服务商现在很多。"),
    ("z5", "客户调查", "VOA Chinese", "2026-06-14", "zh", "多少客户满意？调查结果公布。"),
]  # fmt: skip
QUESTION = "阿里云现在服务多少客户？"


class TwoPromptLLM(CustomLLM):
    """Translates when asked to, answers otherwise; records the prompts."""

    translation: str = "How many customers does Aliyun serve now?"
    answer: str = "1.4 million [1]"
    prompts: list = Field(default_factory=list)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata()

    def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
        self.prompts.append(prompt)
        text = self.translation if TRANSLATOR_PROMPT in prompt else self.answer
        return CompletionResponse(text=text, delta=text)

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
        yield self.complete(prompt)

    def chat(self, messages: list[ChatMessage], **kwargs) -> ChatResponse:
        return ChatResponse(message=ChatMessage(role="assistant", content=self.complete(str(messages)).text))


class AlwaysYes:
    """Yes to every check; 0.5 on the content-free prompts the judges calibrate with."""

    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        prompt = str(messages[-1].content)
        content_free = "N/A" in prompt or "[MASK]" in prompt or "Statement: \n" in prompt
        return (0.5, 0.5) if content_free else (0.99, 0.01)


def _assistant(tmp_path: Path, llm: TwoPromptLLM, **settings) -> Assistant:
    index = FakeNewsIndex(tmp_path, ARTICLES)
    defaults = {"translate_questions": True, "translate_when": "always", "precise_answers": True}
    rag = RagSettings(**{**defaults, **settings})
    return Assistant(rag, index, HybridRetriever(index, rag, state_dir=tmp_path / "state"), llm, AlwaysYes())


def test_a_chinese_question_finds_and_cites_the_english_article(tmp_path: Path) -> None:
    llm = TwoPromptLLM()
    answer = _assistant(tmp_path, llm).ask(QUESTION)
    assert "cd" in [p.article_id for p in answer.retrieved[:4]]  # among the passages the generator reads
    assert "searched in en too: How many customers does Aliyun serve now?" in answer.notes
    assert not answer.abstained, answer.notes
    assert answer.text == "超过140万 [1]"  # the cited sentence's qualifier restored, written for the reader
    assert "1.4 million customers" in answer.citations[0].quote and "translate" in answer.timings_ms
    assert sum(TRANSLATOR_PROMPT in p and "into English" in p for p in llm.prompts) == 1


def test_without_translation_the_english_article_is_drowned(tmp_path: Path) -> None:
    answer = _assistant(tmp_path, TwoPromptLLM(), translate_questions=False).ask(QUESTION)
    assert "cd" not in [p.article_id for p in answer.retrieved[:4]]
    assert not any(n.startswith("searched in") for n in answer.notes)


def test_a_one_language_corpus_asks_for_no_translation(tmp_path: Path, monkeypatch) -> None:
    llm = TwoPromptLLM()
    monkeypatch.setattr(rag.assistant, "build_translator", lambda *a: pytest.fail("loaded a translator"))
    index = FakeNewsIndex(tmp_path, ARTICLES[:1])
    settings = RagSettings(translate_questions=True, translator_model="qwen2.5-coder-0.5b")
    retriever = HybridRetriever(index, settings, state_dir=tmp_path / "s")
    Assistant(settings, index, retriever, llm, AlwaysYes()).ask("How many customers does Aliyun serve?")
    assert not any(TRANSLATOR_PROMPT in p for p in llm.prompts)


def test_a_separate_translator_model_translates_loaded_on_the_first_question(
    tmp_path: Path, monkeypatch
) -> None:
    generator, translator = TwoPromptLLM(), TwoPromptLLM()
    loads: list[tuple] = []
    monkeypatch.setattr(rag.assistant, "build_translator", lambda *a: loads.append(a) or translator)
    assistant = _assistant(tmp_path, generator, translator_model="qwen2.5-coder-0.5b")
    assert loads == []  # not loaded with the assistant
    answer = assistant.ask(QUESTION)
    assert "searched in en too: How many customers does Aliyun serve now?" in answer.notes
    assert [
        p for p in translator.prompts if TRANSLATOR_PROMPT in p and "into English" in p
    ] == translator.prompts[:1]
    assert not any(TRANSLATOR_PROMPT in p for p in generator.prompts)  # the generator only answers
    assert len(loads) == 1 and loads[0][1] is generator


def test_without_precise_answers_the_prompt_and_the_answer_are_as_before(tmp_path: Path) -> None:
    on, off = TwoPromptLLM(), TwoPromptLLM()
    _assistant(tmp_path / "on", on).ask(QUESTION)
    answer = _assistant(tmp_path / "off", off, precise_answers=False).ask(QUESTION)
    assert any("Keep the qualifier" in p for p in on.prompts)
    assert not any("Keep the qualifier" in p for p in off.prompts)
    assert answer.text == "1.4 million [1]"  # the generator's wording, not the cited sentence's


def test_translated_only_when_a_name_is_stated_in_no_article_of_the_questions_language(
    tmp_path: Path,
) -> None:
    """The gate: 阿里云 is named by a Chinese article, so the Chinese articles already cover the
    question's subject; 美国硅谷 is named by none of them, so the English articles are searched too."""
    covered, uncovered = TwoPromptLLM(), TwoPromptLLM()
    _assistant(tmp_path / "a", covered, translate_when="uncovered").ask(QUESTION)
    assert not any(TRANSLATOR_PROMPT in p for p in covered.prompts)
    uncovered.translation = "When did Aliyun open a data center in Silicon Valley in the US?"
    uncovered.answer = "March [1]"
    answer = _assistant(tmp_path / "b", uncovered, translate_when="uncovered").ask(
        "阿里云在美国硅谷开设数据中心是什么时候？"
    )
    assert sum(TRANSLATOR_PROMPT in p and "into English" in p for p in uncovered.prompts) == 1
    assert (
        "searched in en too: When did Aliyun open a data center in Silicon Valley in the US?" in answer.notes
    )


def test_an_english_question_whose_names_english_articles_state_is_not_translated(tmp_path: Path) -> None:
    llm = TwoPromptLLM(answer="1.4 million [1]")
    _assistant(tmp_path, llm, translate_when="uncovered").ask("How many customers does Aliyun serve?")
    assert not any(TRANSLATOR_PROMPT in p for p in llm.prompts)


GLOSSED = [
    ("e1", "Court news", "English Wikinews", "2025-12-16", "en", "A court in London sentenced a man on Monday."),
    ("z1", "黎智英案宣判", "VOA Chinese", "2025-12-15", "zh", "香港苹果日报创办人黎智英(Jimmy Lai)星期一出庭。"),
    ("z2", "黎智英被判刑", "VOA Chinese", "2025-12-20", "zh", "黎智英被判处20年监禁。"),
]  # fmt: skip


def _glossed(tmp_path: Path, llm: TwoPromptLLM, **settings) -> Assistant:
    index = FakeNewsIndex(tmp_path, GLOSSED)
    defaults = {"translate_questions": True, "translate_when": "uncovered", "glossary_names": "translated"}
    rag = RagSettings(**{**defaults, **settings})
    return Assistant(rag, index, HybridRetriever(index, rag, state_dir=tmp_path / "state"), llm, AlwaysYes())


@pytest.mark.parametrize(
    ("translation", "searched"),
    [
        (
            "李建良被判了多久？",
            "李建良被判了多久？ 日报创办人黎智英",
        ),  # the name mistranslated: 黎智英 searched too
        ("How long was Jimmy Lai sentenced to?", None),  # copied, so dropped: not searched by the name alone
    ],
)
def test_a_translated_question_also_searches_its_names_as_the_corpus_glosses_them(
    tmp_path: Path, translation: str, searched: str | None
) -> None:
    llm = TwoPromptLLM(translation=translation, answer="20 years [1]")
    answer = _glossed(tmp_path / "on", llm).ask("How long was Jimmy Lai sentenced to?")
    if searched is None:
        assert not any(note.startswith("searched in zh too") for note in answer.notes)
    else:
        assert f"searched in zh too: {searched}" in answer.notes
    off = _glossed(tmp_path / "off", TwoPromptLLM(translation=translation), glossary_names="off")
    notes = off.ask("How long was Jimmy Lai sentenced to?").notes
    assert not any("黎智英" in note for note in notes)


def test_the_glossary_is_read_from_the_index_only_when_asked_for(tmp_path: Path) -> None:
    index = FakeNewsIndex(tmp_path / "index", GLOSSED)
    off = HybridRetriever(index, RagSettings(), state_dir=tmp_path / "off")
    assert len(off.glossary) == 0 and not (tmp_path / "off" / "glossary").exists()
    on = HybridRetriever(index, RagSettings(glossary_names="translated"), state_dir=tmp_path / "on")
    assert on.glossary.han_of == {"Jimmy Lai": ["日报创办人黎智英"]}


def test_always_translates_a_question_naming_a_glossed_name_its_own_language_states_too(
    tmp_path: Path,
) -> None:
    covered = [
        *GLOSSED,
        ("e2", "Lai in court", "English Wikinews", "2025-12-15", "en", "Jimmy Lai appeared in court."),
    ]
    asked = "How long was Jimmy Lai sentenced to?"
    for mode, translated in (("translated", False), ("always", True)):
        llm = TwoPromptLLM(translation="黎智英被判了多久？", answer="20 years [1]")
        index = FakeNewsIndex(tmp_path / mode, covered)
        rag = RagSettings(translate_questions=True, translate_when="uncovered", glossary_names=mode)
        answer = Assistant(
            rag, index, HybridRetriever(index, rag, state_dir=tmp_path / f"{mode}-state"), llm, AlwaysYes()
        ).ask(asked)
        assert any(TRANSLATOR_PROMPT in p for p in llm.prompts) is translated, mode
        assert ("searched in zh too: 黎智英被判了多久？ 日报创办人黎智英" in answer.notes) is translated, mode


STADIUM = [
    ("e1", "Drone over a stadium", "English Wikinews", "2026-01-02", "en", "A drone flew over the stadium on Monday."),
    ("z1", "无人机事件", "VOA Chinese", "2026-01-03", "zh", "无人机在赛场上空飞行。电力在20:21恢复。"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("translation", "refused"),
    [("无人机几点飞离赛场？", True), ("赛场的电力几点恢复？", False)],
)
def test_a_cited_passage_in_another_language_is_checked_against_the_question_translated(
    tmp_path: Path, translation: str, refused: bool
) -> None:
    """Retrieval searched the English question untranslated (it names nothing the English articles do
    not), and the answer cites a Chinese sentence: the answer rules read the question translated into
    Chinese. "电力在20:21恢复" (power came back at 20:21) says nothing of a drone or a stadium."""
    llm = TwoPromptLLM(translation=translation, answer="20:21 [1][2]")
    index = FakeNewsIndex(tmp_path, STADIUM)
    # every retrieved passage read: the toy embedding scores the Chinese one far under the English one
    rag = RagSettings(translate_questions=True, translate_when="uncovered", context_min_ratio=0.0)
    assistant = Assistant(rag, index, HybridRetriever(index, rag, state_dir=tmp_path / "s"), llm, AlwaysYes())
    answer = assistant.ask("What time did the drone fly away from the stadium?")
    assert not any(n.startswith("searched in") for n in answer.notes)  # not translated for search
    assert sum(TRANSLATOR_PROMPT in p and "into Simplified Chinese" in p for p in llm.prompts) == 1
    assert f"translated for the answer check into zh: {translation}" in answer.notes
    assert answer.abstained is refused, answer.notes
    if refused:
        assert any("(read in the question's translation)" in n for n in answer.notes)
