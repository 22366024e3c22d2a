"""The index: Chroma collections behind llama-index's ChromaVectorStore, plus the articles themselves.

Two collections, in an embedded persistent Chroma (`INDEX_DIR/chroma`) or on a Chroma server:

* `<collection>`: one record per chunk, written through `ChromaVectorStore.add` so that llama-index
  retrievers rebuild full TextNodes; document = verbatim chunk text, metadata = the keys in
  docs/contracts.md (plus llama-index's own `_node_content` etc.).
* `<collection>-articles`: one record per article, document = the full cleaned body (citations verify
  quotes against the whole article), metadata = the article's fields, its hashes and an ingest status;
  read by id only (its vector is a placeholder that Chroma requires).
  A Chroma collection rather than llama-index's docstore because it lives in the same database as the
  chunks, works unchanged against a Chroma server, and is written record by record (the docstore is a
  JSON file rewritten whole on persist, which neither a server nor a kill -9 tolerates).

An article's record doubles as its "complete" marker: the ingest writes it `pending` before touching
its chunks and `complete` after, so a run killed anywhere leaves evidence the next run repairs
(see index.pipeline). Chroma's default embedding function (which downloads an ONNX model) never runs:
collections are opened with `embedding_function=None` and every write carries its vectors.
"""

from __future__ import annotations

import hashlib
import socket
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.calendar import day_from_number, day_number
from index.chunking import dates_from_json, dates_json
from index.embedding import NewsEmbedding, build_embed_model
from index.feed_state import last_refresh
from index.models import Article, Chunk
from index.settings import IndexSettings

SCHEMA_VERSION = 1
STATUS_COMPLETE = "complete"
STATUS_PENDING = "pending"
# Keys that llama-index adds to every chunk record; not part of our metadata contract.
_LLAMA_KEYS = ("_node_content", "_node_type", "document_id", "doc_id", "ref_doc_id")
# What the generator should see of a chunk's metadata besides its text.
_LLM_KEYS = ("title", "source", "published_at")


class IndexNotFoundError(FileNotFoundError):
    """There is no index where the settings point; the message says how to build one."""


class EmbedModelMismatchError(RuntimeError):
    """The index was built with one embedding model and is being used with another."""


class ChromaUnavailableError(ConnectionError):
    """The configured Chroma server cannot be reached."""


@dataclass(frozen=True)
class ArticleWrite:
    """One article ready to store: its chunks, their embeddings and the key that marks it unchanged."""

    article: Article
    chunks: list[Chunk]
    embeddings: np.ndarray
    ingest_key: str
    group: str = ""  # syndicated-copy group (index.syndication); "" = the article's own
    signature: str = ""  # its encoded MinHash signature


def published_day(article: Article) -> int:
    """YYYYMMDD as an int for Chroma range filters ($gte/$lte); 0 when the date is unknown."""
    return day_number(article.published_date)


def chunk_metadata(chunk: Chunk, article: Article, group: str = "") -> dict[str, Any]:
    """The metadata contract of a chunk record (docs/contracts.md)."""
    return {
        "article_id": article.id,
        "chunk_index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published_at": article.published_at or "",
        "published_day": published_day(article),
        "language": article.language,
        "article_hash": article.content_hash,
        "annotated_text": chunk.annotated_text,
        "dates_json": dates_json(chunk.dates),
        "dup_group": group or article.id,
    }


def chunk_node(chunk: Chunk, article: Article, embedding: Sequence[float], group: str = "") -> Any:
    """A llama-index TextNode for a chunk: text verbatim, source = its article, embedding given."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    metadata = chunk_metadata(chunk, article, group)
    return TextNode(
        id_=chunk.id,
        text=chunk.text,
        metadata=metadata,
        embedding=list(map(float, embedding)),
        start_char_idx=chunk.start,
        end_char_idx=chunk.end,
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article.id)},
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=[k for k in metadata if k not in _LLM_KEYS],
    )


def chunk_from_record(chunk_id: str, document: str, metadata: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        article_id=str(metadata["article_id"]),
        index=int(metadata["chunk_index"]),
        text=document,
        start=int(metadata["start"]),
        end=int(metadata["end"]),
        annotated_text=str(metadata.get("annotated_text", document)),
        dates=dates_from_json(str(metadata.get("dates_json", ""))),
    )


def article_id_of_chunk(chunk_id: str) -> str:
    """Chunk ids are "<article id>#<index>-<hash>" (see index.chunking)."""
    return chunk_id.rsplit("#", 1)[0]


class NewsIndex:
    """An opened index: collections, vector store, the embedding model it was built with."""

    def __init__(
        self,
        settings: IndexSettings,
        client: Any,
        collection: Any,
        articles: Any,
        embed_model: NewsEmbedding,
    ) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.settings = settings
        self.client = client
        self.collection = collection
        self.articles = articles
        self.embed_model = embed_model
        self.vector_store = ChromaVectorStore(chroma_collection=collection)
        self.max_batch_size = max(1, int(client.get_max_batch_size()))

    # -- opening --------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        settings: IndexSettings | None = None,
        create: bool = False,
        embed_model: NewsEmbedding | None = None,
    ) -> NewsIndex:
        """Open the index the settings point at; with `create`, make it if missing.

        The embedding model is the one recorded in the index. A model asked for explicitly (an
        `embed_model` argument, or `settings.embed_model` set by the caller or NEWSRAG_EMBED_MODEL)
        that differs from the recorded one raises EmbedModelMismatchError instead of mixing vectors.
        """
        settings = settings or IndexSettings()
        client = _connect(settings, create)
        chunk_name, article_name = collection_names(settings)
        requested = embed_model.model_name if embed_model is not None else None
        if requested is None and "embed_model" in settings.model_fields_set:
            requested = settings.embed_model
        try:
            collection = client.get_collection(chunk_name, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError (or ValueError in older servers)
            if not _is_not_found(exc):
                raise
            if not create:
                raise IndexNotFoundError(not_found_message(settings)) from None
            model = embed_model or build_embed_model(settings.embed_model, settings.embed_batch_size)
            meta = {"embed_model": model.model_name, "embed_dim": model.dim, "newsrag_schema": SCHEMA_VERSION}
            config = {"hnsw": {"space": "cosine"}}
            collection = client.get_or_create_collection(
                chunk_name, embedding_function=None, metadata=meta, configuration=config
            )
        recorded = (collection.metadata or {}).get("embed_model")
        if not recorded:
            raise EmbedModelMismatchError(
                f"Collection {chunk_name!r} at {location(settings)} was not made by newsrag "
                "(no embedding model recorded); use another --index or collection name."
            )
        if requested is not None and requested != recorded:
            raise EmbedModelMismatchError(
                f"The index at {location(settings)} was built with embedding model {recorded!r}; "
                f"{requested!r} was asked for. Vectors of different models cannot be mixed: use "
                f"--embed-model {recorded} (or leave it out), or build a new index elsewhere "
                f"(--index OTHER_DIR) with {requested!r}."
            )
        model = embed_model or build_embed_model(str(recorded), settings.embed_batch_size)
        recorded_dim = int((collection.metadata or {}).get("embed_dim", model.dim))
        if recorded_dim != model.dim:
            raise EmbedModelMismatchError(
                f"The index at {location(settings)} holds {recorded_dim}-d vectors but {recorded!r} "
                f"makes {model.dim}-d ones."
            )
        articles = client.get_or_create_collection(
            article_name,
            embedding_function=None,
            metadata={"embed_model": model.model_name, "embed_dim": model.dim},
            configuration={"hnsw": {"space": "cosine"}},
        )
        if settings.chroma_host:
            collection = _ServerCollection(collection, location(settings))
            articles = _ServerCollection(articles, location(settings))
        return cls(settings, client, collection, articles, model)

    @property
    def model_name(self) -> str:
        return str(self.embed_model.model_name)

    # -- reading --------------------------------------------------------------------------------
    def get_article(self, article_id: str) -> Article | None:
        """The whole stored article (body included), or None if it is not (completely) stored."""
        got = self.articles.get(ids=[article_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        meta = got["metadatas"][0] or {}
        if meta.get("status") != STATUS_COMPLETE:
            return None
        return _article_from_record(got["ids"][0], got["documents"][0] or "", meta)

    def get_articles(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The completely stored articles among `article_ids`, by id (one query per batch)."""
        out: dict[str, Article] = {}
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), self.max_batch_size):
            got = self.articles.get(ids=ids[i : i + self.max_batch_size], include=["documents", "metadatas"])
            for article_id, body, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                if (meta or {}).get("status") == STATUS_COMPLETE:
                    out[article_id] = _article_from_record(article_id, body or "", meta or {})
        return out

    def iter_chunks(self) -> Iterator[tuple[Chunk, dict[str, Any]]]:
        """Every stored chunk with its contract metadata (llama-index's internal keys removed)."""
        for ids, documents, metadatas in _scan(
            self.collection, ["documents", "metadatas"], self.max_batch_size
        ):
            for chunk_id, document, metadata in zip(ids, documents, metadatas, strict=True):
                meta = {k: v for k, v in (metadata or {}).items() if k not in _LLAMA_KEYS}
                yield chunk_from_record(chunk_id, document or "", meta), meta

    def records(self) -> dict[str, dict[str, Any]]:
        """Metadata of every article record by article id (complete and pending ones)."""
        out: dict[str, dict[str, Any]] = {}
        for ids, _, metadatas in _scan(self.articles, ["metadatas"], self.max_batch_size):
            for article_id, meta in zip(ids, metadatas, strict=True):
                out[article_id] = dict(meta or {})
        return out

    def chunk_counts(self) -> Counter[str]:
        """Stored chunks per article id, from the chunk ids alone (cheap: no documents or metadata)."""
        counts: Counter[str] = Counter()
        for ids, _, _ in _scan(self.collection, [], self.max_batch_size):
            counts.update(article_id_of_chunk(i) for i in ids)
        return counts

    def fingerprint(self) -> str:
        """A digest that changes whenever stored content changes (for caches built on the index)."""
        h = hashlib.sha256()
        h.update(f"{self.model_name}\x00{self.collection.count()}\x00".encode())
        for article_id, meta in sorted(self.records().items()):
            parts = (article_id, meta.get("ingest_key", ""), meta.get("status", ""), meta.get("n_chunks", 0))
            h.update("\x00".join(map(str, parts)).encode("utf-8"))
            h.update(b"\x01")
        return h.hexdigest()[:16]

    def stats(self) -> dict[str, Any]:
        """Counts for people and dashboards: articles, chunks, per source/language, date range."""
        records = self.records()
        complete = [m for m in records.values() if m.get("status") == STATUS_COMPLETE]
        days = sorted(int(m.get("published_day", 0)) for m in complete if int(m.get("published_day", 0)))
        out: dict[str, Any] = {
            "articles": len(complete),
            "chunks": self.collection.count(),
            "sources": dict(Counter(str(m.get("source", "")) for m in complete).most_common()),
            "languages": dict(Counter(str(m.get("language", "")) for m in complete).most_common()),
            "date_range": [_day_iso(days[0]), _day_iso(days[-1])] if days else [None, None],
            "embed_model": self.model_name,
            "embed_dim": self.embed_model.dim,
            "location": location(self.settings),
        }
        groups = Counter(str(m.get("dup_group") or "") for m in complete if m.get("dup_group"))
        shared = [n for n in groups.values() if n > 1]
        if shared:
            out["syndicated_groups"], out["syndicated_articles"] = len(shared), sum(shared)
        refresh = last_refresh(self.settings.resolved_index_dir)
        if refresh:
            out["last_refresh"] = refresh
        incomplete = len(records) - len(complete)
        if incomplete:
            out["incomplete_articles"] = incomplete
        return out

    # -- writing (used by index.pipeline) -------------------------------------------------------
    def write_articles(self, batch: Sequence[ArticleWrite]) -> int:
        """Store a batch of articles so that a kill at any point is repairable; returns chunks written.

        Order: (1) article records upserted `pending` (body, new hashes), (2) the articles' old chunks
        deleted, (3) new chunks added, (4) records marked `complete` with their chunk count. Only step
        4 makes an article count as stored; anything else is redone by the next run.
        """
        if not batch:
            return 0
        ids = [w.article.id for w in batch]
        self._upsert_records(batch, STATUS_PENDING)
        self._delete_chunks_of(ids)
        nodes = [
            chunk_node(chunk, w.article, vector, w.group)
            for w in batch
            for chunk, vector in zip(w.chunks, w.embeddings, strict=True)
        ]
        for i in range(0, len(nodes), self.max_batch_size):
            self.vector_store.add(nodes[i : i + self.max_batch_size])
        metas = [_record_metadata(w, STATUS_COMPLETE) for w in batch]
        for i in range(0, len(ids), self.max_batch_size):
            self.articles.update(
                ids=ids[i : i + self.max_batch_size], metadatas=metas[i : i + self.max_batch_size]
            )
        return len(nodes)

    def set_groups(self, groups: dict[str, tuple[str, str]]) -> None:
        """Record syndicated-copy groups for stored articles: {article id: (group, signature)}.

        For articles stored before grouping existed. Chunks first, the record last: a kill in between
        leaves the record without a signature, and the next run computes it again.
        """
        ids = [a for a in groups if groups[a][0] != a]
        for i in range(0, len(ids), self.max_batch_size):
            part = ids[i : i + self.max_batch_size]
            where = {"article_id": part[0]} if len(part) == 1 else {"article_id": {"$in": part}}
            got = self.collection.get(where=where, include=["metadatas"])
            if got["ids"]:
                metas = [
                    {**(m or {}), "dup_group": groups[str((m or {})["article_id"])][0]}
                    for m in got["metadatas"]
                ]
                self.collection.update(ids=got["ids"], metadatas=metas)
        ids = list(groups)
        for i in range(0, len(ids), self.max_batch_size):
            got = self.articles.get(ids=ids[i : i + self.max_batch_size], include=["metadatas"])
            if got["ids"]:
                metas = [
                    {**(m or {}), "dup_group": groups[a][0], "minhash": groups[a][1]}
                    for a, m in zip(got["ids"], got["metadatas"], strict=True)
                ]
                self.articles.update(ids=got["ids"], metadatas=metas)

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        """Remove articles and their chunks; the record goes last so a kill leaves it to be retried."""
        ids = list(article_ids)
        for i in range(0, len(ids), self.max_batch_size):
            part = ids[i : i + self.max_batch_size]
            existing = self.articles.get(ids=part, include=["metadatas"])
            if existing["ids"]:
                metas = [{**(m or {}), "status": STATUS_PENDING} for m in existing["metadatas"]]
                self.articles.update(ids=existing["ids"], metadatas=metas)
            self._delete_chunks_of(part)
            self.articles.delete(ids=part)

    def _delete_chunks_of(self, article_ids: Sequence[str]) -> None:
        for i in range(0, len(article_ids), self.max_batch_size):
            part = list(article_ids[i : i + self.max_batch_size])
            where = {"article_id": part[0]} if len(part) == 1 else {"article_id": {"$in": part}}
            self.collection.delete(where=where)

    def _upsert_records(self, batch: Sequence[ArticleWrite], status: str) -> None:
        for i in range(0, len(batch), self.max_batch_size):
            part = batch[i : i + self.max_batch_size]
            self.articles.upsert(
                ids=[w.article.id for w in part],
                documents=[w.article.body for w in part],
                metadatas=[_record_metadata(w, status) for w in part],
                embeddings=[_placeholder_vector(self.embed_model.dim)] * len(part),
            )


# --- connection and naming --------------------------------------------------------------------------


def collection_names(settings: IndexSettings) -> tuple[str, str]:
    return settings.collection, f"{settings.collection}-articles"


def chroma_path(settings: IndexSettings) -> Path:
    return settings.resolved_index_dir / "chroma"


def location(settings: IndexSettings) -> str:
    if settings.chroma_host:
        return f"chroma://{settings.chroma_host}:{settings.chroma_port}/{settings.collection}"
    return str(settings.resolved_index_dir)


def not_found_message(settings: IndexSettings) -> str:
    if settings.chroma_host:
        return (
            f"No index at {location(settings)}. Build it with: newsrag ingest [PATH ...] "
            f"--chroma-host {settings.chroma_host} --chroma-port {settings.chroma_port}"
        )
    where = settings.resolved_index_dir
    return f"No index at {where}. Build it with: newsrag ingest [PATH ...] --index {where}"


def _connect(settings: IndexSettings, create: bool) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        host, port = settings.chroma_host, settings.chroma_port
        try:  # fail fast and clearly: chromadb's own HTTP client waits without a timeout
            socket.create_connection((host, port), timeout=settings.chroma_timeout_s).close()
        except OSError as exc:
            raise ChromaUnavailableError(f"Cannot reach the Chroma server at {host}:{port}: {exc}") from exc
        client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
        _set_http_timeout(client, settings.chroma_timeout_s)
        return client
    path = chroma_path(settings)
    if not create and not (path / "chroma.sqlite3").is_file():
        raise IndexNotFoundError(not_found_message(settings))
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _set_http_timeout(client: Any, seconds: float) -> None:
    """Best effort: give chromadb's httpx session a timeout (it has none by default)."""
    try:
        import httpx

        client._server._session.timeout = httpx.Timeout(seconds * 6, connect=seconds)
    except Exception:  # private attribute; absent in other chromadb versions, which is fine
        pass


class _ServerCollection:
    """A server collection whose lost connections and timeouts raise ChromaUnavailableError naming the
    server, instead of a bare httpx error ("ConnectError: [Errno 111]") surfacing in answers and the UI."""

    def __init__(self, inner: Any, where: str) -> None:
        self._inner = inner
        self._where = where

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            import httpx

            try:
                return attr(*args, **kwargs)
            except httpx.TransportError as exc:  # refused, reset, timed out
                raise ChromaUnavailableError(
                    f"Lost the Chroma server at {self._where}: {type(exc).__name__}: {exc or 'no answer'}"
                ) from exc

        return call


def _is_not_found(exc: Exception) -> bool:
    name = type(exc).__name__
    return name in {"NotFoundError", "InvalidCollectionException"} or "does not exist" in str(exc)


def _scan(collection: Any, include: list[str], page: int) -> Iterator[tuple[list[str], list[Any], list[Any]]]:
    """Page through a whole collection (get() with limit/offset), yielding ids, documents, metadatas."""
    offset = 0
    while True:
        got = collection.get(include=include, limit=page, offset=offset)
        ids = got["ids"]
        if not ids:
            return
        documents = got.get("documents") or [None] * len(ids)
        metadatas = got.get("metadatas") or [None] * len(ids)
        yield ids, documents, metadatas
        if len(ids) < page:
            return
        offset += len(ids)


def _record_metadata(write: ArticleWrite, status: str) -> dict[str, Any]:
    a = write.article
    return {
        "status": status,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "published_at": a.published_at or "",
        "published_day": published_day(a),
        "language": a.language,
        "author": a.author,
        "category": a.category,
        "origin": a.origin,
        "content_hash": a.content_hash,
        "ingest_key": write.ingest_key,
        "n_chunks": len(write.chunks),
        "dates_json": dates_json(a.dates),
        "dup_group": write.group or a.id,
        "minhash": write.signature,
    }


def _article_from_record(article_id: str, body: str, meta: dict[str, Any]) -> Article:
    return Article(
        id=article_id,
        title=str(meta.get("title", "")),
        body=body,
        source=str(meta.get("source", "")),
        url=str(meta.get("url", "")),
        published_at=str(meta.get("published_at") or "") or None,
        language=str(meta.get("language", "en")),
        author=str(meta.get("author", "")),
        category=str(meta.get("category", "")),
        origin=str(meta.get("origin", "")),
        dates=dates_from_json(str(meta.get("dates_json", ""))),
    )


def _placeholder_vector(dim: int) -> list[float]:
    """What an article record carries as its vector: Chroma stores one per record (and we pass every
    vector ourselves), but nothing searches articles by vector, so it is the same unit vector for all."""
    return [1.0] + [0.0] * (dim - 1)


def _day_iso(day: int) -> str | None:
    known = day_from_number(day)
    return known.isoformat() if known else None


__all__ = [
    "ArticleWrite",
    "ChromaUnavailableError",
    "EmbedModelMismatchError",
    "IndexNotFoundError",
    "NewsIndex",
    "chunk_metadata",
    "chunk_node",
    "published_day",
]
