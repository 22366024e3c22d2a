"""The pre-generation test "nothing relevant was retrieved", on signals that do not move as the corpus grows.

The ranking's fused score mixes BM25 normalised by the query's IDF mass: its scale depends on the
corpus (document frequencies, average length), so adding unrelated articles pushed answerable
questions under a fixed threshold (issue 19). This test reads two signals that are free of corpus
statistics instead: the best cosine of the question to any candidate (adding articles can only raise
it) and the best unweighted share of the question's content words in one candidate (a property of
that chunk and the question alone). It abstains only when both are low.
"""

from __future__ import annotations

from rag.retrieval import RetrievalResult


def nothing_relevant(result: RetrievalResult, below_dense: float, below_coverage: float) -> bool:
    """True when no candidate is close in meaning *and* none holds enough of the question's words."""
    return result.best_dense < below_dense and result.best_coverage < below_coverage
