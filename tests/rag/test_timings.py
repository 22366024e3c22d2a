"""Every answer reports when its first token came (`timings_ms["first_token"]`), in the API and in
the CLI's `--json` record, whichever way it was answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_llm import ScriptedLLM
from fake_news_index import FakeNewsIndex
from test_answer_flow import ARTICLES, TableScorer

from rag.assistant import Assistant
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings


def _assistant(path: Path, **settings: object) -> Assistant:
    index = FakeNewsIndex(path, ARTICLES)
    rag = RagSettings(**settings)
    return Assistant(
        rag,
        index,
        HybridRetriever(index, rag, state_dir=path / "state"),
        ScriptedLLM(reply="Silicon Valley [1]"),
        TableScorer(lambda _: 0.99),
    )


@pytest.fixture
def assistant(tmp_path: Path) -> Assistant:
    return _assistant(tmp_path)


@pytest.mark.parametrize(
    "question",
    [
        "Where did Aliyun open its first overseas data center?",  # generated
        "Did The Verge report that the Pixel 8 costs $699?",  # a yes/no verdict
        "What is the boiling point of mercury on Jupiter?",  # nothing relevant: abstained
    ],
)
@pytest.mark.parametrize("times", [1, 2])  # the second time from the answer cache
def test_first_token_is_in_every_answer_and_its_json(assistant: Assistant, question: str, times: int) -> None:
    for _ in range(times):
        answer = assistant.ask(question)
    record = answer.to_json("q1")
    timings = record["timings_ms"]
    assert 0 <= timings["first_token"] <= timings["total"]
    assert timings["first_token"] > 0 or times == 2  # a cache hit can round to 0.0 ms
    assert ("answer cache: hit" in answer.notes) == (times == 2)


def test_windows_time_is_reported_when_the_generator_reads_windows(tmp_path: Path) -> None:
    question = "Where did Aliyun open its first overseas data center?"
    answer = _assistant(tmp_path / "windows", context_mode="windows").ask(question)
    assert answer.timings_ms["windows"] <= answer.timings_ms["generate"]
    assert "windows" not in _assistant(tmp_path / "chunks").ask(question).timings_ms  # default: chunks
