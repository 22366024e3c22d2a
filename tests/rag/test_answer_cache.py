"""The answer cache: a repeated question is replayed without the generator, and an ingest clears it.

Fast: the scripted generator and tiny index of the answering-flow tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fake_news_index import FakeNewsIndex
from test_answer_flow import ARTICLES, ScriptedLLM, TableScorer

from rag.answer_cache import AnswerCache, answer_key
from rag.assistant import Assistant
from rag.models import Answer, Filters, Passage, Sources
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings

QUESTION = "Where did Aliyun open its first overseas data center?"


def _assistant(tmp_path: Path, **settings) -> tuple[Assistant, ScriptedLLM, FakeNewsIndex]:
    index = FakeNewsIndex(tmp_path, ARTICLES)
    rag = RagSettings(**settings)
    llm = ScriptedLLM(reply="Silicon Valley [1]")
    retriever = HybridRetriever(index, rag, state_dir=tmp_path / "state")
    return Assistant(rag, index, retriever, llm, TableScorer(lambda _: 0.99)), llm, index


def test_a_repeated_question_is_replayed_without_the_generator(tmp_path: Path) -> None:
    assistant, llm, _ = _assistant(tmp_path)
    first = list(assistant.stream(QUESTION))
    assert not first[-1].abstained, first[-1].notes  # a generated, checked answer
    asked = len(llm.asked)
    again = list(assistant.stream(f"  {QUESTION}  "))  # spacing does not make another question
    assert len(llm.asked) == asked  # no prompt reached the generator
    assert isinstance(again[0], Sources) and again[0].context == first[0].context
    assert again[1] == first[-1].text
    replay = again[-1]
    assert isinstance(replay, Answer) and replay.text == first[-1].text
    assert replay.citations == first[-1].citations and "answer cache: hit" in replay.notes
    assert set(replay.timings_ms) == {"answer_cache", "first_token", "total"}
    replay.citations.clear()  # the caller's copy, not the cache's
    assert assistant.ask(QUESTION).citations == first[-1].citations


def test_other_filters_settings_or_history_are_other_questions(tmp_path: Path) -> None:
    assistant, llm, _ = _assistant(tmp_path)
    assistant.ask(QUESTION)
    for variant in (
        {"filters": Filters(since=date(2015, 1, 1))},
        {"history": [{"role": "user", "content": "Tell me about Aliyun."}]},
    ):
        asked = len(llm.asked)
        assert "answer cache: hit" not in assistant.ask(QUESTION, **variant).notes
        assert len(llm.asked) > asked
    assistant.settings.min_answer_probability = 0.99  # a setting changed after opening
    asked = len(llm.asked)
    assert "answer cache: hit" not in assistant.ask(QUESTION).notes
    assert len(llm.asked) > asked
    key = answer_key("f", QUESTION, None, None, RagSettings().model_dump_json())
    assert key != answer_key("f", QUESTION, None, None, RagSettings(context_mode="windows").model_dump_json())
    assert key != answer_key("g", QUESTION, None, None, RagSettings().model_dump_json())


def test_an_ingest_that_changes_the_index_clears_the_cache(tmp_path: Path) -> None:
    assistant, llm, index = _assistant(tmp_path)
    assistant.ask(QUESTION)
    assistant.refresh()  # nothing changed: still cached
    asked = len(llm.asked)
    assistant.ask(QUESTION)
    assert len(llm.asked) == asked
    index.add("cd2", "Aliyun opens a second center", "China Daily", "2015-08-01", "en",
              "Aliyun opened a second overseas data center in Virginia.")  # fmt: skip
    assistant.refresh()
    assistant.ask(QUESTION)
    assert len(llm.asked) > asked


ANSWER_SETTINGS = {
    "context_mode": "windows",
    "min_answer_probability": 0.7,
    "yes_no_verdicts": False,
    "verdict_stated": 0.6,
    "verdict_contradicted": 0.6,
    "verdict_joint": 0.6,
    "verdict_joint_prior": 0.3,
    "evidence_filter": False,
    "require_question_constraints": True,
    "abstain_below_dense": 0.1,
    "context_passages": 3,
    "llm_max_new_tokens": 64,
}


def test_every_answer_affecting_setting_is_in_the_key() -> None:
    base = RagSettings()
    key = answer_key("f", QUESTION, None, None, base.model_dump_json())
    for name, value in ANSWER_SETTINGS.items():
        assert getattr(base, name) != value, name  # a real change
        changed = base.model_copy(update={name: value}).model_dump_json()
        assert answer_key("f", QUESTION, None, None, changed) != key, name


def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    assistant, llm, _ = _assistant(tmp_path, answer_cache_size=0)
    assistant.ask(QUESTION)
    asked = len(llm.asked)
    assistant.ask(QUESTION)
    assert len(llm.asked) > asked


def test_the_cache_keeps_the_most_recently_used_entries() -> None:
    cache = AnswerCache(max_entries=2)
    p = Passage(chunk_id="a#0", article_id="a", text="t", start=0, end=1, score=1.0)
    for key in ("k1", "k2"):
        cache.put(key, [p], Answer(question=key, text=key, abstained=False))
    assert cache.get("k1") is not None  # k1 now most recent
    cache.put("k3", [p], Answer(question="k3", text="k3", abstained=False))
    assert cache.get("k2") is None and cache.get("k1") is not None and len(cache) == 2
