"""Question translation for cross-lingual search, with a scripted generator."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_llm import ScriptedLLM
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, CompletionResponse, LLMMetadata
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms import CustomLLM
from pydantic import ValidationError

import rag.llm
from rag.llm import build_translator
from rag.models import Filters
from rag.prompt_cache import PromptCache
from rag.prompts import messages_to_chatml
from rag.settings import RagSettings
from rag.translate import (
    TRANSLATOR_PROMPT,
    QuestionTranslator,
    clean_translation,
    estimate_tokens,
    max_translation_tokens,
    numbers_as_asked,
    repeats_itself,
    target_languages,
    translation_messages,
    translation_prompt,
)


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
    # a statement for a question: the small model answered (and made up a name) instead of translating
    answered = StreamingLLM(reply="The new Sultan is King Abdullah II.")
    assert QuestionTranslator(answered).run("阿曼苏丹卡布斯去世后，谁成为新苏丹？", ["en"]) == {}
    asked = StreamingLLM(reply="Who became the new Sultan after Qaboos died?")
    assert QuestionTranslator(asked).run("阿曼苏丹卡布斯去世后，谁成为新苏丹？", ["en"]) != {}


@pytest.mark.parametrize(
    ("question", "reply", "kept"),
    [
        # typed without its mark, a question asks by its words: a statement is an answer made up
        ("穆加贝是在新加坡哪家医院去世的", "Mukasa died at the Singapore General Hospital.", False),
        (
            "who did rubio meet in washington friday re the iran deal",
            "里根在华盛顿与鲁波尔会面，讨论伊朗协议",
            False,
        ),
        ("sandra jephcott最后选上了没", "Sandra Jephcott was last picked out of the pool.", False),
        ("穆加贝一共统治津巴布韦多少年", "How many years did Mugabe rule Zimbabwe?", True),
        ("did the house vote down the ukraine support act", "众议院否决了乌克兰支持法案吗", True),
        # a claim to confirm or keywords ask nothing: their translation need not either
        (
            "2018年阿根廷参议院通过了堕胎合法化法案",
            "The Argentine Senate passed a law legalizing abortion in 2018.",
            True,
        ),
        ("dorsa derakhshani age", "德萨·德拉赫沙尼的年龄", True),
    ],
)
def test_a_question_typed_without_its_mark_must_be_translated_as_a_question(
    question: str, reply: str, kept: bool
) -> None:
    target = "zh" if reply[0] > "~" else "en"
    assert (QuestionTranslator(StreamingLLM(reply=reply)).run(question, [target]) != {}) is kept


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


def test_the_example_prompt_shows_a_translated_question_as_an_earlier_turn():
    messages = translation_messages("阿里云是哪一年成立的？", "en", "example")
    assert [m.role.value for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[1].content.endswith("\n中国的首都在哪里？")
    assert messages[2].content == "Where is the capital of China?"
    assert "Do not answer it" in messages[3].content and messages[3].content.endswith(
        "\n阿里云是哪一年成立的？"
    )
    into_chinese = translation_messages("When was Aliyun founded?", "zh", "example")
    assert into_chinese[2].content == "中国的首都在哪里？"
    # a language with no example written gets the request alone; "plain" never has one
    assert len(translation_messages("When was Aliyun founded?", "fr", "example")) == 2
    assert len(translation_messages("阿里云是哪一年成立的？", "en")) == 2


def test_the_translator_uses_the_configured_prompt():
    llm = StreamingLLM(reply="When was Aliyun founded?")
    got = QuestionTranslator(llm, style="example").run("阿里云是哪一年成立的？", ["en"])
    assert got == {"en": "When was Aliyun founded?"}
    assert "Where is the capital of China?" in llm.prompts[0] and "Do not answer it" in llm.prompts[0]
    assert RagSettings(translation_prompt="example").translation_prompt == "example"
    with pytest.raises(ValidationError):
        RagSettings(translation_prompt="fewshot")


def test_the_token_bound_follows_the_question_s_length():
    assert estimate_tokens("阿里云是哪一年成立的？") == 11  # one per CJK character and mark
    assert estimate_tokens("When did Aliyun open it in 2015?") == 11  # 6 words, 4 digits (one by one), a mark
    assert (
        estimate_tokens("UFC为白宫那场赛事花了多少钱？") == 14
    )  # a Latin word does not swallow the Han after it
    short, long = "阿里云是哪一年成立的？", "阿里云是哪一年在美国硅谷开设它的第一个海外数据中心的？"
    assert max_translation_tokens(short) == 2 * 11 + 8
    assert max_translation_tokens(long) > max_translation_tokens(short)


def test_a_reply_running_past_the_bound_is_cut_there_and_dropped(tmp_path: Path):
    question = "阿里云是哪一年成立的？"
    llm = StreamingLLM(reply="In which year, as the reports of that summer tell us at great length, " * 20)
    cache = PromptCache(tmp_path, "model-a")
    assert QuestionTranslator(llm, cache).run(question, ["en"]) == {}
    assert llm.pulled == max_translation_tokens(question)  # decoding stopped at the bound
    fixed = StreamingLLM(reply="In which year was Aliyun founded?")
    assert QuestionTranslator(fixed, PromptCache(tmp_path, "model-a")).run(question, ["en"]) == {
        "en": "In which year was Aliyun founded?"
    }  # the cut reply was not cached


def test_a_looping_reply_is_stopped_as_soon_as_it_repeats_and_dropped():
    question = "2018年10月14日，巴哈马城发生了什么？"
    llm = StreamingLLM(reply="2018年10月14日，巴哈马城" + "巴哈马城" * 30)
    assert QuestionTranslator(llm).run(question, ["zh"]) == {}
    assert llm.pulled < 12  # four repeats in, not at the token bound
    one_piece = ScriptedLLM(reply="What happened in " + "Nassau city " * 6)  # streamed as one delta
    assert QuestionTranslator(one_piece).run(question, ["en"]) == {}


def test_repeats_are_runs_of_a_short_piece_with_letters_not_numbers_or_a_repeated_word():
    assert repeats_itself("巴哈马城巴哈马城巴哈马城巴哈马城")
    assert repeats_itself("What about the city the city the city the city the city?")
    assert not repeats_itself("巴哈马城巴哈马城巴哈马城")  # three times: a name said thrice is possible
    assert not repeats_itself("Did the fund grow from 1,000,000,000 to 1,100,000,000 dollars?")
    assert not repeats_itself("Who said 'no, no, no' in 2019?")


def test_the_translator_model_is_loaded_on_the_first_translation_only():
    loads: list[int] = []

    def load() -> StreamingLLM:
        loads.append(1)
        return StreamingLLM(reply="When was Aliyun founded?")

    translator = QuestionTranslator(load)
    assert loads == []
    for _ in range(2):
        assert translator.run("阿里云是哪一年成立的？", ["en"]) == {"en": "When was Aliyun founded?"}
        assert translator.run("阿里云在哪里？", []) == {}
    assert loads == [1]


def test_generator_translates_by_default_and_a_packaged_name_loads_that_model(monkeypatch):
    generator = StreamingLLM()
    assert build_translator(RagSettings(), generator) is generator
    assert RagSettings().translator_settings() is None

    loaded: list[RagSettings] = []
    small = StreamingLLM(reply="small")
    monkeypatch.setattr(
        rag.llm, "load_llamacpp", lambda s: loaded.append(s) or rag.llm.LoadedModel(small, Path("x"), 0, 0)
    )
    settings = RagSettings(
        generator="ollama", translator_model="qwen2.5-coder-0.5b", llm_model_path=Path("a")
    )
    assert build_translator(settings, generator) is small
    (own,) = loaded
    assert (own.generator, own.packaged_model, own.llm_model_path) == ("llamacpp", "qwen2.5-coder-0.5b", None)
    assert own.llm_context_window < settings.llm_context_window
    assert own.generator_id() != settings.generator_id()  # its replies are cached apart from the generator's


def test_the_translator_model_setting_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSRAG_TRANSLATOR_MODEL", "qwen2.5-coder-0.5b")
    assert RagSettings().translator_model == "qwen2.5-coder-0.5b"
    monkeypatch.setenv("NEWSRAG_TRANSLATOR_MODEL", "gpt-9")
    with pytest.raises(ValidationError, match="translator_model"):
        RagSettings()


def test_a_looping_reply_cached_before_the_bound_is_dropped_too(tmp_path: Path):
    question = "2018年10月14日，巴哈马城发生了什么？"
    translator = QuestionTranslator(StreamingLLM(reply="What happened?"), PromptCache(tmp_path, "model-a"))
    messages = [
        ChatMessage(role="system", content=TRANSLATOR_PROMPT),
        ChatMessage(role="user", content=translation_prompt(question, "zh")),
    ]
    PromptCache(tmp_path, "model-a").put("translate", messages_to_chatml(messages, None), "巴哈马城" * 20)
    assert translator.run(question, ["zh"]) == {}


def test_a_translation_keeps_the_numbers_the_question_gives_and_no_others() -> None:
    # 35万 is 350,000: the misread scale is read as asked
    assert numbers_as_asked("Were there about 35,000 abortions each year?", "每年有35万左右的堕胎吗") == (
        "Were there about 350,000 abortions each year?"
    )
    # a year the question does not give is dropped with its preposition; a month by name is its number
    assert (
        numbers_as_asked("When did he join Congress in 1970?", "康耶斯是哪年加入国会的？")
        == "When did he join Congress?"
    )
    assert (
        numbers_as_asked("What happened on August 18, 2021?", "8月18日发生了什么？")
        == "What happened on August 18?"
    )
    # numbers as given, and numbers inside names, are left alone
    assert (
        numbers_as_asked("Was Cohen sentenced to five years?", "科恩被判了五年刑吗")
        == "Was Cohen sentenced to five years?"
    )
    assert (
        numbers_as_asked("When was the first COVID-19 case?", "第一例新冠病例是哪天")
        == "When was the first COVID-19 case?"
    )
    assert numbers_as_asked("Were there 1.4 million people in 2020?", "2020年有140万人吗") == (
        "Were there 1.4 million people in 2020?"
    )
    # into Chinese: the misread scale written as Chinese writes it, the date left as it is
    dow = "Did the Dow close above 51,000 for the first time on May 29, 2026?"
    assert (
        numbers_as_asked("2026年5月29日，道琼斯指数是否首次突破51？", dow)
        == "2026年5月29日，道琼斯指数是否首次突破5.1万？"
    )
    # a number this reading cannot value ("$14bn") leaves the translation alone
    assert numbers_as_asked("国会何时批准出售14亿美元的武器", "when did congress approve the $14bn sale") == (
        "国会何时批准出售14亿美元的武器"
    )
