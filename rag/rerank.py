"""Cheap re-scoring of fused candidates, article diversity, and the optional local cross-encoder.

No cross-encoder ships with newsrag, so by default the top candidates are re-scored by their best
*sentence*: a chunk that holds one sentence stating the fact beats a chunk that is vaguely about
the topic throughout. Two sentence scorers: `lexical` (IDF-weighted share of the query's terms
in the sentence: free) and `embed` (cosine of the query to each sentence with the index's own
embedding model: better on paraphrase, but costs one embedding per sentence).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.postprocessor import SentenceTransformerRerank
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from index.sentences import sentence_spans
from index.vectors import unit
from rag.bm25 import BM25Index, tokenize

_MIN_SENTENCE_CHARS = 12


def sentences(text: str) -> list[str]:
    """The chunk's sentences, very short fragments (bylines, "Photo:") dropped."""
    out = [text[s:e] for s, e in sentence_spans(text)]
    kept = [s for s in out if len(s) >= _MIN_SENTENCE_CHARS]
    return kept or out or [text]


def idf_weights(bm25: BM25Index, tokens: Sequence[str]) -> dict[str, float]:
    """Okapi IDF of each query token from the BM25 index's document frequencies (0 if unseen)."""
    model = bm25.model
    if model is None:
        return {}
    n = float(len(bm25))
    indptr = model.scores["indptr"]
    out = {}
    for tok in dict.fromkeys(tokens):
        tid = model.vocab_dict.get(tok)
        if tid is None or tid + 1 >= len(indptr):
            continue
        df = float(indptr[tid + 1] - indptr[tid])
        out[tok] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
    return out


def lexical_coverage(weights: dict[str, float], text: str) -> float:
    """Share of the query's IDF mass whose terms occur in `text` (0..1)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    present = set(tokenize(text))
    return sum(w for tok, w in weights.items() if tok in present) / total


def best_sentence_lexical(weights: dict[str, float], text: str) -> float:
    """The best single sentence's `lexical_coverage`."""
    return max((lexical_coverage(weights, s) for s in sentences(text)), default=0.0)


class SentenceEmbedder:
    """Sentence embeddings of chunks, cached by chunk id (the same chunks come back query after query)."""

    def __init__(self, embed: Callable[[list[str]], list[list[float]]], max_chunks: int = 4096) -> None:
        self._embed = embed
        self._cache: dict[str, np.ndarray] = {}
        self._max = max_chunks

    def best_similarity(self, query_vec: np.ndarray, chunks: Sequence[tuple[str, str]]) -> dict[str, float]:
        """Max cosine of `query_vec` (unit norm) to any sentence of each `(chunk_id, text)`."""
        missing = [(cid, text) for cid, text in chunks if cid not in self._cache]
        if missing:
            split = [sentences(text) for _, text in missing]
            flat = [s for group in split for s in group]
            vecs = unit(self._embed(flat)) if flat else np.zeros((0, 1))
            if len(self._cache) + len(missing) > self._max:
                self._cache.clear()
            pos = 0
            for (cid, _), group in zip(missing, split, strict=True):
                self._cache[cid] = vecs[pos : pos + len(group)]
                pos += len(group)
        return {cid: float((self._cache[cid] @ query_vec).max(initial=-1.0)) for cid, _ in chunks}


def diversify(ranked: Sequence[tuple[str, str, float]], k: int, penalty: float) -> list[tuple[str, float]]:
    """Greedy top-`k` of `(chunk_id, article_id, score)` where each chunk already taken from the same
    article costs `penalty`: a second article gets in unless the first one's next chunk is clearly better.
    Returned scores are the original ones (the penalty only orders)."""
    remaining = list(ranked)
    taken: dict[str, int] = {}
    out: list[tuple[str, float]] = []
    while remaining and len(out) < k:
        best = max(
            range(len(remaining)), key=lambda i: remaining[i][2] - penalty * taken.get(remaining[i][1], 0)
        )
        cid, aid, score = remaining.pop(best)
        taken[aid] = taken.get(aid, 0) + 1
        out.append((cid, score))
    return out


class CrossEncoderReranker:
    """llama-index's `SentenceTransformerRerank` over a cross-encoder in a local directory.

    Only a local path is accepted: a hub name would try to download.
    """

    def __init__(self, model_dir: Path, top_n: int) -> None:
        model_dir = Path(model_dir).expanduser()
        if not model_dir.is_dir():
            raise FileNotFoundError(
                f"reranker_dir {model_dir} is not a directory; set NEWSRAG_RERANKER_DIR to a local "
                "sentence-transformers cross-encoder folder, or unset it"
            )
        self.top_n = top_n
        self._post: Any = SentenceTransformerRerank(model=str(model_dir), top_n=top_n, device="cpu")

    def rerank(self, query: str, chunks: Sequence[tuple[str, str]]) -> dict[str, float]:
        """Cross-encoder score of each `(chunk_id, text)` kept in its top-n."""
        nodes = [NodeWithScore(node=TextNode(id_=cid, text=text), score=0.0) for cid, text in chunks]
        ranked = self._post.postprocess_nodes(nodes, query_bundle=QueryBundle(query_str=query))
        return {n.node.node_id: float(n.score or 0.0) for n in ranked}
