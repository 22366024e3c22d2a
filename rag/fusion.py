"""Combining rankings: reciprocal rank fusion and score-normalised (convex) fusion.

Small and explicit rather than llama-index's `QueryFusionRetriever`: that one fuses only the
results each retriever returned, while here both scores are known for every candidate (the dense
cosine from the stored embedding, the BM25 score from the full score vector), which is what makes
score-based fusion fair to a chunk that only one side found.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def rrf(
    rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None, k: int = 60
) -> dict[str, float]:
    """Weighted reciprocal rank fusion: sum over rankings of `w / (k + rank)`, rank from 1."""
    weights = weights if weights is not None else [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


def minmax(values: np.ndarray) -> np.ndarray:
    """Scale to [0, 1] over the candidates; all-equal values map to 1 if positive, else 0."""
    if values.size == 0:
        return values
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-9:
        return np.full_like(values, 1.0 if hi > 0 else 0.0)
    return (values - lo) / (hi - lo)


def convex(dense: np.ndarray, sparse: np.ndarray, dense_weight: float) -> np.ndarray:
    """`w * minmax(dense) + (1 - w) * minmax(sparse)` over one candidate pool ("relative score fusion")."""
    return dense_weight * minmax(dense) + (1.0 - dense_weight) * minmax(sparse)
