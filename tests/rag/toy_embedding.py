"""A toy embedding for the rules that compare words by meaning (`rag.meaning`)."""

from __future__ import annotations

import numpy as np

from rag.meaning import Embed


def embed_with_synonyms(*pairs: tuple[str, str]) -> Embed:
    """Each word its own axis, except that each pair's words share one (cosine 1; any other pair 0)."""
    axis: dict[str, int] = {}
    for a, b in pairs:
        axis[a] = axis[b] = len(axis)

    def embed(texts: list[str]) -> np.ndarray:
        for text in texts:
            axis.setdefault(text, len(axis) + 100)
        vectors = np.zeros((len(texts), 1000))
        for i, text in enumerate(texts):
            vectors[i, axis[text]] = 1.0
        return vectors

    return embed
