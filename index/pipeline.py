"""Ingest: read -> skip unchanged -> chunk -> embed -> store, safe to re-run and to kill.

Our own loop over llama-index building blocks (BaseEmbedding, ChromaVectorStore) rather than
`IngestionPipeline`: its de-duplication needs a docstore outside Chroma (a local file: lost in server
mode, rewritten whole on persist, not kill-safe) and it cannot order "old chunks out, new chunks in,
article marked complete" per article, which is what makes an interrupted run repairable.

Re-run safety: each stored article carries an `ingest_key` (its content hash, resolved dates, chunker
configuration and embedding model); an article whose key matches is not chunked or embedded again.
Kill safety: `NewsIndex.write_articles` marks an article `pending` before touching its chunks and
`complete` after; every run first checks the marks (and each complete article's chunk count) and
redoes or removes whatever an interrupted run left half-written.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from index.calendar import day_number
from index.chunking import Chunker, dates_json, embedding_text
from index.embedding import NewsEmbedding
from index.models import Article, Skipped
from index.settings import IndexSettings
from index.store import STATUS_COMPLETE, ArticleWrite, NewsIndex, location
from index.syndication import Syndication, load_syndication, signatures_missing

log = logging.getLogger(__name__)

# Articles are written in groups of about this many chunks: big enough for efficient Chroma writes,
# small enough that a kill loses little work.
_WRITE_GROUP_CHUNKS = 512


@dataclass
class IngestReport:
    """What a run did. `skipped` lists every input item not stored, with its reason."""

    read: int = 0
    stored: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (origin, warning) of stored input
    pruned: int = 0
    repaired: int = 0
    syndicated: int = 0  # stored articles found to be copies of another (index.syndication)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    location: str = ""

    @property
    def skip_reasons(self) -> Counter[str]:
        return Counter(s.reason for s in self.skipped)

    @property
    def exit_code(self) -> int:
        """0 when everything read was stored or unchanged, 3 when some input was skipped as bad."""
        return 3 if self.skipped else 0

    def summary(self) -> str:
        """One line: N articles (S stored, U unchanged), K input items skipped; M chunks in T s (X chunks/s).

        Skipped items are files, lines or records that never became articles, so they are not counted
        as articles."""
        rate = self.chunks / self.seconds if self.seconds > 0 else 0.0
        articles, skipped = self.stored + self.unchanged, len(self.skipped)
        return (
            f"{articles} article{'' if articles == 1 else 's'} ({self.stored} stored, {self.unchanged} "
            f"unchanged), {skipped} input item{'' if skipped == 1 else 's'} skipped; "
            f"{self.chunks} chunks in {self.seconds:.1f} s ({rate:.1f} chunks/s)"
        )


class Ingestor:
    """Builds or updates the index from sources; one public method, `run` (`ingest` takes items)."""

    def __init__(
        self,
        settings: IndexSettings | None = None,
        embed_model: NewsEmbedding | None = None,
        progress: bool = True,
    ) -> None:
        self.settings = settings or IndexSettings()
        self._embed_model = embed_model
        self._progress = progress

    def run(self, paths: Sequence[str | Path], prune: bool = False) -> IngestReport:
        """Ingest the articles found under `paths` (files or folders; formats detected)."""
        from index.readers import read_sources

        return self.ingest(read_sources([Path(p) for p in paths], self.settings.max_article_chars), prune)

    def ingest(
        self, items: Iterable[Article | Skipped], prune: bool = False, older_than: date | None = None
    ) -> IngestReport:
        """Ingest already-read items (what `run` does after reading); `prune` drops unseen articles,
        `older_than` drops stored articles published before that day (undated ones are kept)."""
        started = time.perf_counter()
        with _ingest_lock(self.settings):
            index = NewsIndex.open(self.settings, create=True, embed_model=self._embed_model)
            report = IngestReport(location=location(self.settings))
            chunker = Chunker(
                index.embed_model, self.settings.chunk_max_tokens, self.settings.chunk_overlap_sentences
            )
            config = f"{chunker.config_key}:{index.model_name}"

            records = index.records()
            counts = index.chunk_counts()
            broken = _broken_articles(records, counts)
            orphans = [a for a in counts if a not in records]
            if orphans:  # cannot happen with our write order; cleaned up all the same
                index.delete_articles(orphans)

            todo: list[Article] = []
            seen: set[str] = set()
            for item in items:
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                if item.id in seen:
                    report.skipped.append(
                        Skipped(
                            item.origin,
                            "duplicate_id",
                            f"article id {item.id!r} was already read in this run",
                        )
                    )
                    continue
                seen.add(item.id)
                report.read += 1
                report.warnings.extend((item.origin, w) for w in item.warnings)
                meta = records.get(item.id)
                if meta and item.id not in broken and meta.get("ingest_key") == ingest_key(item, config):
                    report.unchanged += 1
                else:
                    todo.append(item)

            syndication = (
                load_syndication(index, records, self.settings, todo)
                if todo or signatures_missing(records, self.settings)
                else Syndication()
            )
            self._store(index, chunker, config, todo, report, syndication)

            leftovers = [a for a in broken if a not in seen]
            if leftovers:  # half-written by a killed run and no longer in the sources
                index.delete_articles(leftovers)
            report.repaired = len(broken)
            if prune:
                gone = [a for a, m in records.items() if a not in seen and a not in broken]
                index.delete_articles(gone)
                report.pruned = len(gone)
            if older_than is not None:
                cutoff = day_number(older_than)
                old = [
                    a
                    for a, m in records.items()
                    if a not in seen and 0 < int(m.get("published_day") or 0) < cutoff
                ]
                index.delete_articles(old)
                report.pruned += len(old)
        report.seconds = time.perf_counter() - started
        return report

    def _store(
        self,
        index: NewsIndex,
        chunker: Chunker,
        config: str,
        todo: list[Article],
        report: IngestReport,
        syndication: Syndication,
    ) -> None:
        from tqdm.auto import tqdm

        bar = tqdm(
            total=sum(len(a.body) for a in todo),  # text to index: the ETA holds when article sizes vary
            desc="Indexing",
            disable=None if self._progress else True,
            dynamic_ncols=True,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]",
        )
        progress = _Progress(bar, report, len(todo))
        try:
            for group in _groups(chunker, todo, report, progress):
                texts = [embedding_text(a.title, c.annotated_text) for a, chunks in group for c in chunks]
                progress.start_group(group)
                vectors = self._embed(index.embed_model, texts, progress.embedded)
                writes, pos = [], 0
                for article, chunks in group:
                    grouping = syndication.run(article.id, article.body)
                    report.syndicated += grouping.copy_of is not None
                    vecs = vectors[pos : pos + len(chunks)]
                    key = ingest_key(article, config)
                    writes.append(
                        ArticleWrite(article, chunks, vecs, key, grouping.group, grouping.signature)
                    )
                    pos += len(chunks)
                report.chunks += index.write_articles(writes)
                report.stored += len(writes)
                progress.show()
        finally:
            bar.close()

    def _embed(
        self, model: NewsEmbedding, texts: list[str], on_batch: Callable[[list[int]], None]
    ) -> np.ndarray:
        """Embed in batches of similar length (less padding per batch), returned in the input order;
        `on_batch` is told the indices of each batch embedded."""
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        step = max(1, model.embed_batch_size)
        parts = []
        for i in range(0, len(order), step):
            batch = order[i : i + step]
            parts.append(model.encode_passages([texts[j] for j in batch]))
            on_batch(batch)
        vectors = np.empty((len(texts), model.dim), dtype=np.float32)
        vectors[order] = np.vstack(parts)
        return vectors


class _Progress:
    """The ingest bar, moved with every embedding batch (embedding is most of the time) rather than
    when a write group is stored.

    Each chunk counts as an equal part of its article, both of the article's text and of the article
    count. The bar measures text, so its ETA holds when articles grow longer along the sources; the
    postfix counts articles, chunks stored and chunks embedded.
    """

    def __init__(self, bar: Any, report: IngestReport, articles: int) -> None:
        self._bar = bar
        self._report = report
        self._articles = articles
        self._done = 0.0  # articles, in parts
        self._shares: list[tuple[int, float]] = []  # per chunk of the group: (characters, article part)

    def start_group(self, group: Sequence[tuple[Article, list]]) -> None:
        self._shares = []
        for article, chunks in group:  # whole characters, so the bar ends exactly at its total
            part, n = 1.0 / len(chunks), len(chunks)
            share, rest = divmod(len(article.body), n)
            self._shares += [(share, part)] * (n - 1) + [(share + rest, part)]

    def embedded(self, indices: list[int]) -> None:
        self._report.embedded += len(indices)
        self._advance(sum(self._shares[i][0] for i in indices), sum(self._shares[i][1] for i in indices))

    def skipped(self, article: Article) -> None:
        self._advance(len(article.body), 1.0)

    def show(self) -> None:
        self._advance(0, 0.0)

    def _advance(self, characters: int, articles: float) -> None:
        self._done += articles
        r = self._report
        counts = f"{self._done:.0f}/{self._articles} articles, chunks={r.chunks}, embedded={r.embedded}"
        self._bar.set_postfix_str(counts, refresh=False)
        self._bar.update(characters)


def ingest_key(article: Article, config: str) -> str:
    """Changes whenever re-ingesting the article would store something different."""
    h = hashlib.sha256()
    for part in (article.content_hash, dates_json(article.dates), article.author, article.category, config):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def _broken_articles(records: dict[str, dict], counts: Counter[str]) -> set[str]:
    """Articles a killed run left half-written: not marked complete, or chunk count off."""
    return {
        article_id
        for article_id, meta in records.items()
        if meta.get("status") != STATUS_COMPLETE or int(meta.get("n_chunks", -1)) != counts.get(article_id, 0)
    }


def _groups(
    chunker: Chunker, todo: list[Article], report: IngestReport, progress: _Progress
) -> Iterator[list[tuple[Article, list]]]:
    group: list[tuple[Article, list]] = []
    size = 0
    for article in todo:
        chunks = chunker.chunk(article)
        if not chunks:
            report.skipped.append(
                Skipped(article.origin, "empty_body", f"article {article.id!r} has no text to index")
            )
            progress.skipped(article)
            continue
        group.append((article, chunks))
        size += len(chunks)
        if size >= _WRITE_GROUP_CHUNKS:
            yield group
            group, size = [], 0
    if group:
        yield group


@contextmanager
def _ingest_lock(settings: IndexSettings) -> Iterator[None]:
    """One ingest at a time per local index directory (a server has its own concurrency)."""
    if settings.chroma_host:
        yield
        return
    directory = settings.resolved_index_dir
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".ingest.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"Another ingest is running on {directory}; wait for it to finish.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


__all__ = ["IngestReport", "Ingestor", "ingest_key"]
