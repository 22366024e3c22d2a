"""Reuters-21578 articles, and synthetic news articles recombined from their sentences, for scale runs.

    from bench.synthetic import reuters_articles, synthetic_articles, mixed_vectors
    real = list(reuters_articles(REUTERS, limit=200))
    more = synthetic_articles(REUTERS, start=0, seed=7)  # endless, deterministic

The Reuters file is read from its path (it is research-only: never copy it into the project). Synthetic
articles reuse real sentences so that token statistics (what BM25 and Chroma's indexes see) stay
those of news, with new ids, titles, sources and dates so that filters select realistic shares.
`mixed_vectors` makes embedding-like vectors for chunks that were not run through the encoder (see
docs/scale.md: encoding 100k chunks on two shared cores takes hours), by mixing real chunk vectors.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from index.models import Article
from index.vectors import unit

DEFAULT_REUTERS = Path("/work/shared/data/news/reuters21578.jsonl.gz")
SOURCES = (
    "Reuters",
    "Wire A",
    "Wire B",
    "Daily Ledger",
    "Harbour Gazette",
    "Metro Post",
    "Asia Desk",
    "Euro Desk",
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def reuters_records(path: Path = DEFAULT_REUTERS) -> Iterator[dict]:
    """The raw JSONL records that have a body."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if (rec.get("body") or "").strip():
                yield rec


def reuters_articles(
    path: Path = DEFAULT_REUTERS, limit: int | None = None, min_chars: int = 0
) -> Iterator[Article]:
    """Reuters records as Articles (what the reader would make of them, minus date resolution)."""
    n = 0
    for rec in reuters_records(path):
        body = " ".join(rec["body"].split())
        if len(body) < min_chars:
            continue
        yield Article(
            id=str(rec["id"]),
            title=str(rec.get("title") or "")[:200],
            body=body,
            source="Reuters",
            url="",
            published_at=rec.get("published_at") or None,
            language="en",
            origin=f"{path.name}:{rec['id']}",
        )
        n += 1
        if limit is not None and n >= limit:
            return


def sentence_pool(path: Path = DEFAULT_REUTERS, limit: int = 60_000) -> list[str]:
    """Up to `limit` distinct Reuters sentences of 40-400 characters."""
    seen: set[str] = set()
    out: list[str] = []
    for rec in reuters_records(path):
        for s in _SENTENCE.split(" ".join(rec["body"].split())):
            if 40 <= len(s) <= 400 and s not in seen:
                seen.add(s)
                out.append(s)
                if len(out) >= limit:
                    return out
    return out


def synthetic_articles(
    path: Path = DEFAULT_REUTERS, start: int = 0, seed: int = 7, sentences: tuple[int, int] = (4, 14)
) -> Iterator[Article]:
    """An endless, deterministic stream of articles `syn-<n>` made of shuffled Reuters sentences."""
    pool = sentence_pool(path)
    rng = np.random.default_rng(seed)
    first_day = date(1986, 1, 1)
    n = start
    while True:
        k = int(rng.integers(*sentences))
        picks = [pool[i] for i in rng.integers(0, len(pool), size=k)]
        day = first_day + timedelta(days=int(rng.integers(0, 3 * 365)))
        title_words = picks[0].split()[:8]
        yield Article(
            id=f"syn-{n}",
            title=" ".join(title_words).upper(),
            body=" ".join(picks),
            source=SOURCES[int(rng.integers(0, len(SOURCES)))],
            published_at=day.isoformat(),
            language="en",
            origin=f"synthetic:{n}",
        )
        n += 1


def mixed_vectors(basis: np.ndarray, n: int, rng: np.random.Generator, noise: float = 0.35) -> np.ndarray:
    """`n` unit vectors, each a random mix of two real chunk vectors plus Gaussian noise.

    They keep the real vectors' anisotropy (what makes HNSW's job realistic); they carry no meaning,
    so scale runs measure speed and size, never retrieval quality.
    """
    a = basis[rng.integers(0, len(basis), size=n)]
    b = basis[rng.integers(0, len(basis), size=n)]
    w = rng.uniform(0.5, 1.0, size=(n, 1)).astype(np.float32)
    v = w * a + (1 - w) * b + noise * rng.standard_normal(a.shape).astype(np.float32) / np.sqrt(a.shape[1])
    return unit(v)
