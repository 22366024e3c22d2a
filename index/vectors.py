"""Unit-length embedding vectors: cosine similarity is then a dot product.

The one normaliser for stored, query, sentence and article vectors, so that every score compares
vectors scaled the same way.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def unit(vectors: ArrayLike) -> np.ndarray:
    """`vectors` (one vector, or one per row) scaled to length 1 along the last axis, as float32.

    A zero vector stays zero instead of becoming NaN: it then matches nothing.
    """
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norms > 0, norms, 1.0)


__all__ = ["unit"]
