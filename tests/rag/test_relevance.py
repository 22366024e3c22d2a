"""The pre-generation "nothing relevant" decision does not move when unrelated articles are added.

Issue 19: 5,000 short unrelated uploads changed the corpus statistics under the fused score, and an
answerable question fell under the fixed abstention threshold. The decision now reads signals that
depend only on the question and each candidate, so a tiny index grown with unrelated articles must
decide every question exactly as before, while the fused ranking score itself does move.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from fake_news_index import DIM, FakeNewsIndex

from rag.relevance import nothing_relevant
from rag.retrieval import HybridRetriever, RetrievalResult
from rag.settings import RagSettings

ARTICLES = [
    ("hb", "Harbor bridge reopens", "Harbour Gazette", "2024-05-02", "en",
     "The harbor bridge reopened on Monday. The repairs cost 42 million kronor and took two years, "
     "the city council said."),
    ("fx", "Fan Expo Vancouver opens", "English Wikinews", "2019-04-20", "en",
     "Fan Expo Vancouver opened on Saturday. Tickets for Fan Expo Vancouver cost $45 for a day."),
    ("cd", "Aliyun opens data center", "China Daily", "2015-07-23", "en",
     "That followed the opening in March of its first overseas data center in Silicon Valley in the US."),
]  # fmt: skip

# question -> should the assistant abstain before generating?
QUESTIONS = {
    "How much did the harbor bridge repairs cost?": False,
    "When did Aliyun open its first overseas data center?": False,
    "How much did tickets for Fan Expo Vancouver cost?": False,
    "Who won the snooker world championship semifinal in Sheffield?": True,
    "What did the volcanologists measure at Mount Etna last winter?": True,
}

_WORDS = ("grain wheat corn soybean exports shipments tonnes quarter dividend shares stock bank rate "
          "interest profit net loss revenue ministry oil crude barrels tanker coffee sugar cocoa "
          "tariff dollar yen mark currency bonds treasury merger acquisition officials said rose "
          "pct million billion week").split()  # fmt: skip


def _unrelated(n: int, seed: int = 7) -> list[tuple]:
    """Short wire-style articles about commodities and markets: nothing the questions ask about.

    Unrelated for the fake embedding too: words sharing a hash bucket with a question word are left
    out (with real models adding articles can raise a question's best cosine; that is measured on
    real data by bench/growth_bench.py, not here).
    """
    taken = {bucket(w) for q in QUESTIONS for w in re.findall(r"[a-z0-9]+", q.lower())}
    vocab = [w for w in _WORDS if bucket(w) not in taken]
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        words = [vocab[j] for j in rng.integers(0, len(vocab), size=int(rng.integers(6, 14)))]
        out.append(
            (f"u{i}", " ".join(words[:4]).upper(), "Wire A", "1987-03-02", "en", " ".join(words) + ".")
        )
    return out


def bucket(token: str) -> int:
    """The fake embedding's dimension for `token` (tests/rag/fake_news_index.py)."""
    return int(hashlib.md5(token.encode()).hexdigest()[:8], 16) % DIM


def _decide(retriever: HybridRetriever, settings: RagSettings) -> dict[str, bool]:
    return {
        q: nothing_relevant(
            retriever.search(q, top_k=settings.retrieve_top_k),
            settings.abstain_below_dense,
            settings.abstain_below_coverage,
        )
        for q in QUESTIONS
    }


def test_decision_is_unchanged_after_adding_unrelated_articles(tmp_path: Path) -> None:
    settings = RagSettings()
    index = FakeNewsIndex(tmp_path, ARTICLES)
    retriever = HybridRetriever(index, settings, state_dir=tmp_path / "state")
    question = "How much did the harbor bridge repairs cost?"
    before = _decide(retriever, settings)
    score_before = retriever.search(question).passages[0].score

    index.add_many(_unrelated(400))
    retriever.refresh()
    after = _decide(retriever, settings)

    assert before == QUESTIONS
    assert after == before
    # the ranking score is corpus-dependent (why it no longer decides): it moved with the corpus
    assert retriever.search(question).passages[0].score != pytest.approx(score_before, abs=1e-3)


def test_abstains_only_when_both_signals_are_low() -> None:
    def result(dense: float, coverage: float) -> RetrievalResult:
        return RetrievalResult([], best_dense=dense, best_coverage=coverage)

    assert nothing_relevant(result(0.2, 0.1), 0.38, 0.5)
    assert not nothing_relevant(result(0.5, 0.1), 0.38, 0.5)  # near in meaning: a cross-lingual match
    assert not nothing_relevant(result(0.2, 0.8), 0.38, 0.5)  # most of the question's words in one chunk
