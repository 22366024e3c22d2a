"""Question translation for cross-lingual search, with a scripted generator."""

from __future__ import annotations

from pathlib import Path

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, CompletionResponse, LLMMetadata
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms import CustomLLM

from rag.models import Filters
from rag.prompt_cache import PromptCache
from rag.translate import TRANSLATOR_PROMPT, QuestionTranslator, clean_translation, target_languages


class StreamingLLM(CustomLLM):
    """Streams `reply` a few characters at a time and counts what was pulled from the stream."""

    reply: str = ""
    prompts: list = Field(default_factory=list)
    pulled: int = 0

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata()

    def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
        return CompletionResponse(text=self.reply)

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
        self.prompts.append(prompt)
        text = ""
        for i in range(0, len(self.reply), 3):
            self.pulled += 1
            delta = self.reply[i : i + 3]
            text += delta
            yield CompletionResponse(text=text, delta=delta)

    def chat(self, messages: list[ChatMessage], **kwargs) -> ChatResponse:
        return ChatResponse(message=ChatMessage(role="assistant", content=self.reply))


def test_targets_are_the_corpus_languages_other_than_the_question_s():
    assert target_languages("阿里云是哪一年成立的？", ["en", "zh"]) == ["en"]
    assert target_languages("When was Aliyun founded?", ["en", "zh-Hans", "zh"]) == ["zh"]
    assert target_languages("When was Aliyun founded?", ["en"]) == []
    assert target_languages("When was Aliyun founded?", ["en", "zh"], Filters(languages=("en",))) == []


def test_the_first_line_is_the_translation_and_decoding_stops_there():
    llm = StreamingLLM(
        reply='Question: "In which year was Aliyun founded?"\nAliyun was founded in 2009. ' * 5
    )
    got = QuestionTranslator(llm).run("阿里云是哪一年成立的？", ["en"])
    assert got == {"en": "In which year was Aliyun founded?"}
    assert llm.pulled < len(llm.reply) / 3 / 2  # stopped at the first line, not at the end of the reply
    assert TRANSLATOR_PROMPT in llm.prompts[0] and "into English" in llm.prompts[0]


def test_a_reply_in_the_wrong_language_or_an_answer_is_dropped():
    wrong = StreamingLLM(reply="阿里云成立于2009年。")
    assert QuestionTranslator(wrong).run("阿里云是哪一年成立的？", ["en"]) == {}
    rambling = StreamingLLM(reply="Aliyun " * 80)
    assert QuestionTranslator(rambling).run("阿里云是哪一年成立的？", ["en"]) == {}


def test_translations_are_cached_per_question_in_memory_and_in_the_prompt_cache(tmp_path: Path):
    llm = StreamingLLM(reply="When was Aliyun founded?")
    cache = PromptCache(tmp_path, "model-a")
    translator = QuestionTranslator(llm, cache)
    for _ in range(2):
        assert translator.run("阿里云是哪一年成立的？", ["en"]) == {"en": "When was Aliyun founded?"}
    assert len(llm.prompts) == 1
    fresh = StreamingLLM(reply="something else entirely")
    again = QuestionTranslator(fresh, PromptCache(tmp_path, "model-a"))
    assert again.run("阿里云是哪一年成立的？", ["en"]) == {"en": "When was Aliyun founded?"}
    assert fresh.prompts == []


def test_a_failing_generator_leaves_the_question_untranslated():
    class Broken(StreamingLLM):
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
            raise RuntimeError("llama.cpp went away")

    assert QuestionTranslator(Broken()).run("阿里云是哪一年成立的？", ["en"]) == {}


def test_clean_translation_strips_labels_and_quotes():
    assert clean_translation("翻译：“阿里云是哪一年成立的？”") == "阿里云是哪一年成立的？"
    assert clean_translation("  When was it?  \nmore") == "When was it?"
