"""Answering settings: every retrieval and context knob is typed and overridable by NEWSRAG_* variables."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fake_news_index import FakeNewsIndex
from pydantic import ValidationError

from rag.assistant import Assistant
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings, RetrievalSettings


def test_retrieval_knobs_come_from_the_environment_and_reach_the_retriever(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSRAG_RETRIEVAL_FUSION", "bm25")
    monkeypatch.setenv("NEWSRAG_RETRIEVAL_DENSE_WEIGHT", "0.3")
    monkeypatch.setenv("NEWSRAG_RETRIEVAL_DECOMPOSE", "false")
    settings = RagSettings()
    settings.index.index_dir = tmp_path / "state"
    assert (settings.retrieval.fusion, settings.retrieval.dense_weight) == ("bm25", 0.3)
    assert settings.retrieval.decompose is False

    retriever = HybridRetriever(FakeNewsIndex(tmp_path), settings)
    monkeypatch.setattr(retriever, "_dense", lambda *a: pytest.fail("BM25-only fusion asked the dense side"))
    result = retriever.search("Did The Verge report the charger before Engadget reported the power bank?")
    assert result.passages and len(result.queries) == 1  # not decomposed


def test_a_bad_retrieval_value_is_refused_naming_the_setting(monkeypatch):
    monkeypatch.setenv("NEWSRAG_RETRIEVAL_DENSE_WEIGHT", "1.5")
    with pytest.raises(ValidationError, match="dense_weight"):
        RagSettings()
    monkeypatch.delenv("NEWSRAG_RETRIEVAL_DENSE_WEIGHT")
    monkeypatch.setenv("NEWSRAG_RETRIEVAL_FUSION", "best")
    with pytest.raises(ValidationError, match="fusion"):
        RetrievalSettings()


def test_with_config_validates_and_refuses_unknown_knobs(tmp_path):
    settings = RagSettings()
    settings.index.index_dir = tmp_path / "state"
    retriever = HybridRetriever(FakeNewsIndex(tmp_path), settings)
    assert retriever.with_config(fusion="rrf").config.fusion == "rrf"
    assert retriever.config.fusion == "convex"  # the original is untouched
    with pytest.raises(ValueError, match="not a retrieval setting: fusoin"):
        retriever.with_config(fusoin="rrf")
    with pytest.raises(ValidationError):
        retriever.with_config(rescore="sometimes")


def test_context_and_citation_knobs_are_passed_to_the_assistants_parts(monkeypatch):
    monkeypatch.setenv("NEWSRAG_CONTEXT_PER_ARTICLE", "1")
    monkeypatch.setenv("NEWSRAG_MIN_YES_NO_RELEVANCE", "0.35")
    monkeypatch.setenv("NEWSRAG_ORDER_CANDIDATES", "7")
    monkeypatch.setenv("NEWSRAG_SUBJECT_FILTER", "false")
    settings = RagSettings()
    index = SimpleNamespace(get_article=lambda _id: None, get_articles=lambda _ids: {})
    assistant = Assistant(settings, index, SimpleNamespace(known_sources=[]), llm=None)  # type: ignore[arg-type]
    assert assistant._selector.per_article == 1
    assert assistant._checker.min_yes_no_relevance == 0.35
    assert assistant._order._candidates == 7
    assert assistant._subject is None
