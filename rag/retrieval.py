"""Hybrid retrieval for answering: dense (Chroma via llama-index) + BM25, fused, re-scored, diversified.

    retriever = HybridRetriever(index, settings)
    passages = retriever.retrieve("When did Aliyun open its first US data center?", top_k=8)

One question becomes one or more queries (`rag.decompose`: "Did A report X before B reported Y?"
is retrieved as X and as Y). For each query the dense side asks Chroma through llama-index's
`ChromaVectorStore` with `MetadataFilters` pushed down to Chroma's `where`; the lexical side scores
every chunk with BM25 under the same filters as a mask. The union of both candidate lists is
scored on *both* signals (the cosine from the stored embedding, the BM25 score from the full score
vector), fused, and the best candidates are re-scored by their best sentence, with soft boosts for
sources and dates the question names. Queries are merged by taking each chunk's best score, so that
each side's best evidence reaches the top; a per-article penalty keeps one article from filling
the top-k. With `settings.reranker_dir` set, a local cross-encoder re-orders the final candidates.
The knobs of every step are `settings.retrieval` (`rag.settings.RetrievalSettings`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from llama_index.core.vector_stores.types import (
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)

from index.calendar import day_from_number, day_number
from index.chunking import dates_from_json
from index.language import detect_language, normalize_language
from index.vectors import unit
from rag import fusion
from rag.bm25 import BM25Index, load_or_build, tokenize
from rag.decompose import days_in, decompose_detailed, mentioned_sources, strip_sources
from rag.glossary import Glossary
from rag.glossary import load_or_build as load_glossary
from rag.models import Filters, Passage
from rag.rerank import (
    CrossEncoderReranker,
    SentenceEmbedder,
    best_sentence_lexical,
    diversify,
    idf_weights,
    lexical_coverage,
)
from rag.settings import RagSettings, RetrievalSettings

log = logging.getLogger(__name__)


class IndexLike(Protocol):
    """What retrieval uses of `index.store.NewsIndex` (see docs/contracts.md)."""

    collection: Any
    vector_store: Any
    embed_model: Any

    def iter_chunks(self) -> Any: ...

    def fingerprint(self) -> str: ...


@dataclass
class RetrievalResult:
    """Passages best first, with the signals behind each score (for abstention and debugging)."""

    passages: list[Passage]
    signals: list[dict[str, float]] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    best_dense: float = 0.0  # best cosine of the question to any candidate allowed by the filters
    # largest share of the question's content words (stemmed, stop words out, unweighted) that any
    # candidate's text and title contain: like `best_dense`, free of corpus statistics (no IDF)
    best_coverage: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Query:
    text: str  # what is embedded / matched
    sources: frozenset[str]  # stored source names the query names (soft boost)
    days: frozenset[int]  # publication days the query names (soft boost)
    language: str = ""  # the language it is written in
    translated: bool = False  # a translation of the question: it scores only chunks in its language


@dataclass
class _Resolved:
    metadata_filters: MetadataFilters | None
    mask: np.ndarray | None
    matches_nothing: bool = False


@dataclass
class _Record:
    text: str
    meta: dict
    vec: np.ndarray


@dataclass
class _Candidates:
    """Per query: dense hit ids, BM25 hit ids, and the BM25 score of every corpus row."""

    dense: list[list[str]]
    bm25: list[list[str]]
    bm25_scores: list[np.ndarray]


@dataclass
class _Pool:
    """The union of all candidates: ids, their records, stored vectors (one row each) and BM25 rows."""

    ids: list[str]
    records: dict[str, _Record]
    vectors: np.ndarray
    rows: np.ndarray


class HybridRetriever:
    """Hybrid dense + BM25 retrieval over a `NewsIndex`; see the module docstring."""

    def __init__(
        self,
        index: IndexLike,
        settings: RagSettings,
        state_dir: Path | None = None,
    ) -> None:
        self.index = index
        self.settings = settings
        self.config = settings.retrieval
        self._state_dir = state_dir or _index_dir(index, settings)
        self._query_vecs: dict[str, np.ndarray] = {}
        self._sentences = SentenceEmbedder(index.embed_model.get_text_embedding_batch)
        self._cross: CrossEncoderReranker | None = None
        if settings.reranker_dir is not None:
            self._cross = CrossEncoderReranker(
                settings.reranker_dir, top_n=max(settings.context_passages, 10)
            )
        self.refresh()

    def refresh(self) -> None:
        """Load (or build) the BM25 index for the index's current fingerprint."""
        self.bm25: BM25Index = load_or_build(self.index, self._state_dir)
        self.known_sources = [s for s in self.bm25.sources if s]
        self.known_languages = [lang for lang in self.bm25.languages if lang]
        # names glossed in another script (settings.glossary_names): of use in several languages only
        several = len({normalize_language(lang) for lang in self.known_languages}) > 1
        wanted = several and self.settings.glossary_names != "off"
        self.glossary = load_glossary(self.index, self._state_dir) if wanted else Glossary()

    def clear_caches(self) -> None:
        """Forget cached query and sentence embeddings (benchmarks measuring cold latency)."""
        self._query_vecs.clear()
        self._sentences = SentenceEmbedder(self.index.embed_model.get_text_embedding_batch)

    def with_config(self, **changes: Any) -> HybridRetriever:
        """A retriever sharing this one's index, BM25 and caches, with some knobs changed (benchmarks).

        `changes` are `RetrievalSettings` fields; an unknown name raises instead of being ignored.
        """
        unknown = set(changes) - set(RetrievalSettings.model_fields)
        if unknown:
            raise ValueError(f"not a retrieval setting: {', '.join(sorted(unknown))}")
        other = object.__new__(HybridRetriever)
        other.__dict__.update(self.__dict__)
        other.config = RetrievalSettings.model_validate({**self.config.model_dump(), **changes})
        return other

    # -- public API ---------------------------------------------------------------------------
    def retrieve(self, query: str, filters: Filters | None = None, top_k: int = 10) -> list[Passage]:
        """The `top_k` best passages for `query` under `filters`, best first."""
        return self.search(query, filters, top_k).passages

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        top_k: int = 10,
        translations: Mapping[str, str] | None = None,
    ) -> RetrievalResult:
        """`retrieve`, plus the per-passage signals, the sub-queries and timings.

        Stages: plan the queries, embed them, gather candidates (dense and BM25 per query), fetch
        the pool, score every pool chunk on both signals per query, rank (merge the queries, then
        the optional cross-encoder), and take the top-k with per-article diversity.

        `translations` ({language: the question in it}, `rag.translate`) are searched too, each one
        scoring only the chunks written in its language, so that an article in another language than
        the question gets keyword evidence of its own instead of being drowned by same-script hits.
        """
        timings: dict[str, float] = {}
        started = time.perf_counter()
        resolved = self._resolve(filters)
        queries = self._plan(query, translations or {})
        result = RetrievalResult([], queries=[q.text for q in queries], timings_ms=timings)
        if resolved.matches_nothing or not query.strip() or top_k <= 0:
            return result
        with _timed(timings, "embed"):
            vecs = self._embed_queries([q.text for q in queries])
        hits = self._candidates(queries, vecs, resolved, timings)
        if self.config.foreign_dense_k:
            with _timed(timings, "dense_foreign"):
                hits.dense[0] = self._with_foreign_hits(query, filters, vecs[0], hits.dense[0])
        with _timed(timings, "fetch"):
            pool = self._pool(hits)
        if pool is None:
            timings["total"] = _ms(started)
            return result
        with _timed(timings, "rescore"):
            per_query, signals = self._score(queries, vecs, hits, pool)
        # the best similarity of the question, in any language it was searched in, to an allowed chunk
        result.best_dense = max((s["dense"] for s in signals.values()), default=0.0)
        records = [pool.records[cid] for cid in pool.ids]
        # a translation's words count in the chunks of its language: a Chinese question's English
        # article holds few of its own words ("Arion鼻涕虫 ...": 0.1) but those of its translation
        result.best_coverage = max(
            _best_coverage(
                q.text,
                [r for r in records if not (q.translated and _foreign(r.meta.get("language"), q.language))],
            )
            for q in queries
            if q is queries[0] or q.translated
        )
        ranked = self._rank(query, per_query, pool.records, timings)
        chosen = diversify(
            [(cid, str(pool.records[cid].meta.get("article_id", cid)), s) for cid, s in ranked],
            top_k,
            self._diversity(sum(not q.translated for q in queries)),
        )
        if self.config.sentence_signal:
            with _timed(timings, "sentence_signal"):
                self._add_sentence_signal(vecs[0], [cid for cid, _ in chosen], pool.records, signals)
        result.passages = [_passage(cid, pool.records[cid], score) for cid, score in chosen]
        result.signals = [signals[cid] | {"score": score} for cid, score in chosen]
        timings["total"] = _ms(started)
        return result

    # -- stages of `search` ---------------------------------------------------------------------
    def _candidates(
        self, queries: list[_Query], vecs: list[np.ndarray], resolved: _Resolved, timings: dict[str, float]
    ) -> _Candidates:
        """Each query's dense hits and BM25 hits, and its BM25 score of every chunk (the filters applied)."""
        with _timed(timings, "dense"):
            dense = [
                self._dense(v, self.settings.dense_top_k, resolved) if self.config.fusion != "bm25" else []
                for v in vecs
            ]
        with _timed(timings, "bm25"):
            scores = [self._bm25_scores(q.text, resolved.mask) for q in queries]
            rows = [
                _top_rows(s, self.settings.sparse_top_k) if self.config.fusion != "dense" else []
                for s in scores
            ]
            bm25 = [[self.bm25.chunk_id(r) for r in query_rows] for query_rows in rows]
        return _Candidates(dense, bm25, scores)

    def _with_foreign_hits(
        self, question: str, filters: Filters | None, vec: np.ndarray, dense: list[str]
    ) -> list[str]:
        """The question's dense hits plus its nearest chunks in each other language of the corpus: the
        multilingual model ranks other languages' chunks lower as a whole, so a plain top-k can miss them."""
        own = detect_language(question)
        out = list(dense)
        for lang in self.known_languages:
            if normalize_language(lang) in ("", own):
                continue
            if filters is not None and filters.languages and lang not in self._resolve_languages(filters):
                continue
            narrowed = replace(filters or Filters(), languages=(lang,))
            resolved = self._resolve(narrowed)
            if not resolved.matches_nothing:
                out += self._dense(vec, self.config.foreign_dense_k, resolved)
        return list(dict.fromkeys(out))

    def _resolve_languages(self, filters: Filters) -> list[str]:
        wanted = {normalize_language(lang) or lang for lang in filters.languages}
        return [lang for lang in self.known_languages if (normalize_language(lang) or lang) in wanted]

    def _pool(self, hits: _Candidates) -> _Pool | None:
        """Every candidate of every query, fetched once with its stored vector; None when none is left."""
        ids = list(dict.fromkeys(cid for query_hits in (*hits.dense, *hits.bm25) for cid in query_hits))
        records = self._fetch(ids)
        ids = [cid for cid in ids if cid in records]
        if not ids:
            return None
        return _Pool(ids, records, np.stack([records[cid].vec for cid in ids]), self.bm25.rows_of(ids))

    def _score(
        self, queries: list[_Query], vecs: list[np.ndarray], hits: _Candidates, pool: _Pool
    ) -> tuple[list[dict[str, float]], dict[str, dict[str, float]]]:
        """Each query's score of its best pool chunks, and the first query's signals for every chunk
        (`dense`: the best cosine of the question or one of its translations).

        A translation scores only the chunks in its own language, where its words can match."""
        languages = [pool.records[cid].meta.get("language") for cid in pool.ids]
        per_query: list[dict[str, float]] = []
        signals: dict[str, dict[str, float]] = {cid: {} for cid in pool.ids}
        best_cos = np.full(len(pool.ids), -1.0)
        for j, (q, vec) in enumerate(zip(queries, vecs, strict=True)):
            other = np.array([_foreign(lang, q.language) for lang in languages], dtype=bool)
            foreign = other & self.config.cross_lingual_neutral
            cos = pool.vectors @ vec
            if j == 0 or q.translated:  # the question in any of its languages, not a sub-query
                best_cos = np.maximum(best_cos, cos)
            bm = _bm25_of_rows(hits.bm25_scores[j], pool.rows)
            weights = idf_weights(self.bm25, tokenize(q.text, query=True))
            # only a foreign chunk that beats every same-language chunk on meaning is treated as a
            # cross-lingual answer; the rest keep their (absent) lexical evidence
            leading = (
                foreign & (cos >= cos[~foreign].max())
                if foreign.any() and not foreign.all() and self.config.cross_lingual_evidence == "leading"
                else foreign
            )
            fused = self._fuse(pool.ids, cos, bm, hits.dense[j], hits.bm25[j], sum(weights.values()), leading)
            if q.translated:
                fused = np.where(other, -np.inf, fused)
            scores = self._rescore(q, pool.ids, fused, pool.records, weights, leading, cos)
            if q.translated:
                scores = {
                    cid: s
                    for i, cid in enumerate(pool.ids)
                    if not other[i] and (s := scores.get(cid)) is not None
                }
            per_query.append(scores)
            if j == 0:
                for i, cid in enumerate(pool.ids):
                    signals[cid].update(bm25=float(bm[i]), fused=float(fused[i]))
        for i, cid in enumerate(pool.ids):
            signals[cid]["dense"] = float(best_cos[i])
        return per_query, signals

    def _rank(
        self,
        question: str,
        per_query: list[dict[str, float]],
        records: dict[str, _Record],
        timings: dict[str, float],
    ) -> list[tuple[str, float]]:
        """Chunks best first: each chunk's best score over the queries, re-ordered by the cross-encoder."""
        merged = per_query[0] if len(per_query) == 1 else self._merge(per_query)
        ranked = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
        if self._cross is None:
            return ranked
        with _timed(timings, "cross_encoder"):
            head = [cid for cid, _ in ranked[: self._cross.top_n]]
            ce = self._cross.rerank(question, [(cid, _passage_text(records[cid])) for cid in head])
            return sorted(ce.items(), key=lambda kv: (-kv[1], kv[0]))

    def _diversity(self, n_queries: int) -> float:
        """The per-article penalty: by default only for questions about several things."""
        cfg = self.config
        return cfg.diversity if n_queries > 1 or not cfg.diversity_multi_only else 0.0

    def _add_sentence_signal(
        self,
        vec: np.ndarray,
        chosen: list[str],
        records: dict[str, _Record],
        signals: dict[str, dict[str, float]],
    ) -> None:
        """The best embedded-sentence similarity of each chosen chunk (a signal for abstention)."""
        sims = self._sentences.best_similarity(vec, [(cid, _passage_text(records[cid])) for cid in chosen])
        for cid, sim in sims.items():
            signals[cid]["sentence"] = sim

    # -- steps ----------------------------------------------------------------------------------
    def _plan(self, question: str, translations: Mapping[str, str]) -> list[_Query]:
        """The question itself, then its sub-queries when it is about several reports or events, then
        its translations into other languages."""
        texts = [question]
        if self.config.decompose:
            texts += [p.text for p in decompose_detailed(question)]
        own = detect_language(question)
        out = [self._query(text, own) for text in texts]
        for lang, text in translations.items():
            code = normalize_language(lang)
            if text.strip() and code and code != own:
                out.append(replace(self._query(text, code), translated=True))
        return out

    def _query(self, text: str, language: str) -> _Query:
        sources = mentioned_sources(text, self.known_sources)
        search_text = strip_sources(text, sources) if self.config.strip_source_names and sources else text
        return _Query(search_text or text, frozenset(sources), frozenset(days_in(text)), language)

    def _embed_query(self, text: str) -> np.ndarray:
        return self._embed_queries([text])[0]

    def _embed_queries(self, texts: list[str]) -> list[np.ndarray]:
        """Query vectors, cached by text (the same questions come back in a session and in the eval)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._query_vecs]
        if len(self._query_vecs) + len(missing) > 4096:
            self._query_vecs.clear()
        model = self.index.embed_model
        for text in missing:
            self._query_vecs[text] = unit(model.get_query_embedding(text))
        return [self._query_vecs[t] for t in texts]

    def _dense(self, vec: np.ndarray, k: int, resolved: _Resolved) -> list[str]:
        """Chunk ids nearest to `vec` under the filters, via llama-index's ChromaVectorStore.

        A broad filter is applied after an unfiltered, wider HNSW query instead of as Chroma's
        `where`: the `where` pre-filter scans sqlite's metadata tables (about 1 s per query at 100k
        chunks, docs/scale.md), the wide query takes milliseconds, and when at least `k` of its hits
        pass the filter they are exactly the filtered top-k. A narrow filter (a few thousand chunks)
        is answered exactly by comparing with those chunks' stored vectors. Otherwise Chroma filters.
        Which chunks pass is read from the keyword index's metadata columns (the same condition as
        the `where`; `refresh()` keeps that index in step with the store).
        """
        if k <= 0:
            return []
        if resolved.metadata_filters is not None and resolved.mask is not None:
            hits = self._dense_postfiltered(vec, k, resolved.mask)
            if hits is None and int(resolved.mask.sum()) <= self.config.exact_max_chunks:
                hits = self._dense_exact(vec, k, resolved.mask)
            if hits is not None:
                return hits
        res = self.index.vector_store.query(
            VectorStoreQuery(
                query_embedding=vec.tolist(), similarity_top_k=k, filters=resolved.metadata_filters
            )
        )
        return list(res.ids or [])

    def _dense_exact(self, vec: np.ndarray, k: int, mask: np.ndarray) -> list[str]:
        """Exact nearest chunks among the few that pass the filter, from their stored vectors."""
        ids = [self.bm25.chunk_id(int(row)) for row in np.flatnonzero(mask)]
        if not ids:
            return []
        got = self.index.collection.get(ids=ids, include=["embeddings"])
        if not got["ids"]:
            return []
        cos = unit(got["embeddings"]) @ vec
        order = np.argsort(-cos, kind="stable")[:k]
        return [got["ids"][i] for i in order]

    def _dense_postfiltered(self, vec: np.ndarray, k: int, mask: np.ndarray) -> list[str] | None:
        """The filtered top-k from one unfiltered query of about 2k/share hits, or None if it falls short."""
        share = float(mask.mean()) if mask.size else 0.0
        if share < self.config.postfilter_min_share:
            return None
        wide = min(int(np.ceil(2 * k / share)), self.config.postfilter_max_k, len(mask))
        # ids only: llama-index's query would build a node (text, metadata) for each of the wide hits
        got = self.index.collection.query(query_embeddings=[vec.tolist()], n_results=wide, include=[])
        ids = list(got["ids"][0]) if got["ids"] else []
        rows = self.bm25.rows_of(ids)
        if (rows < 0).any():  # a chunk the keyword index does not know: its metadata is unknown here
            return None
        kept = [cid for cid, row in zip(ids, rows, strict=True) if mask[row]]
        saw_everything = len(ids) < wide or wide >= len(mask)
        return kept[:k] if len(kept) >= k or saw_everything else None

    def _bm25_scores(self, text: str, mask: np.ndarray | None) -> np.ndarray:
        scores = self.bm25.scores(text)
        if mask is not None and scores.size:
            scores = np.where(mask, scores, 0.0)
        return scores

    def _fetch(self, ids: Sequence[str]) -> dict[str, _Record]:
        """Text, metadata and stored embedding of each chunk (one Chroma call)."""
        if not ids:
            return {}
        got = self.index.collection.get(ids=list(ids), include=["documents", "metadatas", "embeddings"])
        out = {}
        for cid, doc, meta, emb in zip(
            got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
        ):
            out[cid] = _Record(doc or "", dict(meta or {}), unit(emb))
        return out

    def _fuse(
        self,
        pool: list[str],
        cos: np.ndarray,
        bm: np.ndarray,
        dense_ids: list[str],
        bm25_ids: list[str],
        idf_mass: float,
        foreign: np.ndarray,
    ) -> np.ndarray:
        """Fused score (about 0..1) for every pool chunk."""
        cfg = self.config
        if cfg.fusion == "dense":
            return cos if cfg.normalize == "abs" else fusion.minmax(cos)
        lexical = np.minimum(bm / idf_mass, 1.0) if idf_mass > 0 else np.zeros_like(bm)
        if cfg.fusion == "bm25":
            return lexical if cfg.normalize == "abs" else fusion.minmax(bm)
        if cfg.fusion == "convex":
            if cfg.normalize == "abs":
                if foreign.any() and not foreign.all():
                    lexical = lexical.copy()
                    lexical[foreign] = self._standin(cos[foreign], cos[~foreign], lexical[~foreign])
                return cfg.dense_weight * cos + (1 - cfg.dense_weight) * lexical
            return fusion.convex(cos, bm, cfg.dense_weight)
        weights = [1.0, 1.0] if cfg.fusion == "rrf" else [2 * cfg.dense_weight, 2 * (1 - cfg.dense_weight)]
        fused = fusion.rrf([dense_ids, bm25_ids], weights, k=cfg.rrf_k)
        return fusion.minmax(np.array([fused.get(cid, 0.0) for cid in pool]))

    def _rescore(
        self,
        q: _Query,
        pool: list[str],
        fused: np.ndarray,
        records: dict[str, _Record],
        weights: dict[str, float],
        foreign: np.ndarray,
        cos: np.ndarray,
    ) -> dict[str, float]:
        """Fused score plus sentence, title, source and date evidence for the top candidates.

        Lexical sentence/title evidence cannot exist across languages: a chunk in another language
        than the question gets the median bonus of the same-language candidates instead.
        """
        cfg = self.config
        order = np.argsort(-fused, kind="stable")[: cfg.rescore_top]
        head = [pool[i] for i in order]
        sentence: dict[str, float] = {}
        if cfg.rescore == "lexical":
            sentence = {cid: best_sentence_lexical(weights, _passage_text(records[cid])) for cid in head}
        elif cfg.rescore == "embed":
            sims = self._sentences.best_similarity(
                self._embed_query(q.text), [(cid, _passage_text(records[cid])) for cid in head]
            )
            sentence = dict(zip(head, fusion.minmax(np.array([sims[c] for c in head])).tolist(), strict=True))
        bonus: dict[str, float] = {}
        for i in order:
            cid = pool[i]
            b = cfg.sentence_weight * sentence.get(cid, 0.0)
            if cfg.title_weight and weights:
                b += cfg.title_weight * lexical_coverage(weights, str(records[cid].meta.get("title", "")))
            bonus[cid] = b
        if cfg.rescore == "lexical":
            native = [i for i in order if not foreign[i]]
            strange = [i for i in order if foreign[i]]
            if strange:
                standin = (
                    self._standin(cos[strange], cos[native], np.array([bonus[pool[i]] for i in native]))
                    if native
                    else np.zeros(len(strange))
                )
                for i, b in zip(strange, standin, strict=True):
                    bonus[pool[i]] = float(b)
        out: dict[str, float] = {}
        for i in order:
            cid = pool[i]
            meta = records[cid].meta
            score = float(fused[i]) + bonus[cid]
            if q.sources and meta.get("source") in q.sources:
                score += cfg.source_boost
            if q.days:
                day = int(meta.get("published_day") or 0)
                if day in q.days:
                    score += cfg.date_boost
                elif any(abs(_ordinal(day) - _ordinal(d)) == 1 for d in q.days if day):
                    score += cfg.date_boost / 2  # time zones move a publication across midnight
            out[cid] = score
        return out

    def _standin(self, foreign_cos: np.ndarray, native_cos: np.ndarray, native: np.ndarray) -> np.ndarray:
        """Lexical evidence for chunks that cannot match the question's words (another language):
        the median of the same-language candidates, or with `cross_lingual_evidence="quantile"` the
        evidence a same-language candidate as close in meaning has (quantile mapping on the cosine)."""
        if self.config.cross_lingual_evidence != "quantile":
            return np.full(len(foreign_cos), float(np.median(native)))
        at = np.searchsorted(np.sort(native_cos), foreign_cos, side="right") / len(native_cos)
        return np.quantile(native, np.clip(at, 0.0, 1.0))

    def _merge(self, per_query: list[dict[str, float]]) -> dict[str, float]:
        """Each chunk's best score over the question and its sub-queries.

        Scores of different queries are on one scale (each query's fused score is normalised to its
        own candidates), so every sub-query's best chunk lands near the top.
        """
        merged: dict[str, float] = {}
        for scores in per_query:
            for cid, s in scores.items():
                merged[cid] = max(merged.get(cid, -np.inf), s)
        return merged

    def _resolve(self, filters: Filters | None) -> _Resolved:
        """Filters -> Chroma `where` (through MetadataFilters) and the same condition as a BM25 mask.

        Requested sources match stored ones case-insensitively and languages by primary subtag
        ("zh-Hans" finds "zh"); both sides then filter on the exact stored values, so they agree.
        Any date bound excludes chunks whose publication date is unknown.
        """
        if filters is None or filters.is_empty():
            return _Resolved(None, None)
        conds: list[MetadataFilter] = []
        mask = np.ones(len(self.bm25), dtype=bool)
        if filters.sources:
            wanted = {s.casefold().strip() for s in filters.sources}
            values = [s for s in self.known_sources if s.casefold().strip() in wanted] or list(
                filters.sources
            )
            conds.append(MetadataFilter(key="source", value=values, operator=FilterOperator.IN))
            mask &= self.bm25.mask_for("source", values)
        if filters.languages:
            wanted = {normalize_language(lang) or lang for lang in filters.languages}
            values = [
                lang for lang in self.known_languages if (normalize_language(lang) or lang) in wanted
            ] or list(filters.languages)
            conds.append(MetadataFilter(key="language", value=values, operator=FilterOperator.IN))
            mask &= self.bm25.mask_for("language", values)
        days = self.bm25.published_days
        if filters.since is not None:
            conds.append(
                MetadataFilter(
                    key="published_day", value=day_number(filters.since), operator=FilterOperator.GTE
                )
            )
            mask &= days >= day_number(filters.since)
        if filters.until is not None:
            conds.append(
                MetadataFilter(
                    key="published_day", value=day_number(filters.until), operator=FilterOperator.LTE
                )
            )
            mask &= days <= day_number(filters.until)
            if filters.since is None:
                conds.append(MetadataFilter(key="published_day", value=0, operator=FilterOperator.GT))
                mask &= days > 0
        empty = bool(filters.since and filters.until and filters.since > filters.until) or not mask.any()
        return _Resolved(MetadataFilters(filters=conds, condition=FilterCondition.AND), mask, empty)


def _foreign(chunk_lang: Any, query_lang: str) -> bool:
    """The chunk is in another language than the question (unknown languages count as the same)."""
    lang = normalize_language(str(chunk_lang or ""))
    return bool(lang and query_lang and lang != query_lang)


def _best_coverage(question: str, candidates: Sequence[_Record]) -> float:
    """The best unweighted share of the question's content words in a candidate (title + text)."""
    words = dict.fromkeys(tokenize(question, query=True), 1.0)
    return max(
        (lexical_coverage(words, f"{r.meta.get('title', '')}\n{_passage_text(r)}") for r in candidates),
        default=0.0,
    )


def _index_dir(index: Any, settings: RagSettings) -> Path:
    own = getattr(index, "settings", None)
    if own is not None and hasattr(own, "resolved_index_dir"):
        return Path(own.resolved_index_dir)
    return settings.index.resolved_index_dir


def _top_rows(scores: np.ndarray, k: int) -> list[int]:
    if scores.size == 0 or k <= 0:
        return []
    k = min(k, int(np.count_nonzero(scores > 0)))
    if k == 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")].tolist()


def _passage_text(rec: _Record) -> str:
    return str(rec.meta.get("annotated_text") or rec.text)


def _passage(cid: str, rec: _Record, score: float) -> Passage:
    m = rec.meta
    return Passage(
        chunk_id=cid,
        article_id=str(m.get("article_id", "")),
        text=rec.text,
        start=int(m.get("start", 0) or 0),
        end=int(m.get("end", 0) or 0),
        score=float(score),
        title=str(m.get("title", "")),
        source=str(m.get("source", "")),
        url=str(m.get("url", "")),
        published_at=str(m.get("published_at") or "") or None,
        language=str(m.get("language", "")),
        annotated_text=str(m.get("annotated_text") or rec.text),
        dates=dates_from_json(str(m.get("dates_json") or "")),
        group=str(m.get("dup_group") or ""),
    )


def _ordinal(day: int) -> int:
    known = day_from_number(day)
    return known.toordinal() if known else 0


def _bm25_of_rows(scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The BM25 score of each pool chunk from a query's score vector (0 for a row BM25 lacks)."""
    if not scores.size:
        return np.zeros(len(rows))
    return np.where(rows >= 0, scores[np.maximum(rows, 0)], 0.0)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Record the milliseconds the block takes as `timings[stage]`."""
    tick = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = _ms(tick)
