"""Lexical retrieval: a bm25s index over the stored chunks, persisted beside the Chroma index.

We use bm25s directly rather than llama-index's `BM25Retriever` because that one tokenizes with a
`\\w\\w+` regex (a whole run of Chinese characters becomes one token) and fixes its filters at
construction; here each token is handled by its script (English: stop words + Snowball stemming,
Chinese: jieba search-mode segmentation) and filters are a per-query mask over the corpus.

The index lives under `<index_dir>/bm25/<fingerprint>-t<TOKENIZER_VERSION>-f<FORMAT_VERSION>/`: it is built once from
`NewsIndex.iter_chunks()`, reloaded by later processes, and rebuilt only when the index fingerprint
(or our tokenizer) changes.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_CHINESE, STOPWORDS_EN_PLUS

from index.cjk import HAN

log = logging.getLogger(__name__)

TOKENIZER_VERSION = 1
FORMAT_VERSION = 2  # 2: per-row arrays as memory-mapped .npy files
_TOKEN_RE = re.compile(rf"(?P<han>[{HAN}]+)|(?P<word>[^\W_{HAN}]+)")
_EN_STOP = frozenset(STOPWORDS_EN_PLUS)
_ZH_STOP = frozenset(STOPWORDS_CHINESE)
# Words that questions about news use to point at the evidence but that passages rarely contain;
# as query terms they have a high IDF and pull in the wrong chunks. Removed from queries only.
_QUERY_STOP = frozenset(
    {
        "article", "articles", "report", "reports", "reported", "reporting", "according",
        "suggest", "suggests", "suggested", "indicate", "indicates", "mention", "mentioned",
        "mentions", "discuss", "discussed", "discusses", "considering", "information", "news",
        "source", "sources", "consistent", "consistency", "inconsistency", "portrayal",
        "什么", "哪个", "哪些", "哪一天", "哪里", "多少", "是否", "何时", "报道", "据",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba  # loads its dictionary (about a second): only when Chinese shows up

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokenize(text: str, query: bool = False) -> list[str]:
    """Tokens for BM25: English words stemmed without stop words, Chinese runs segmented by jieba.

    Mixed text (a Chinese article quoting "Randy Bresnik") gets both treatments, token by token.
    `query=True` also drops question boilerplate ("reported", "article", "什么").
    """
    text = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    word_pos: list[int] = []
    for m in _TOKEN_RE.finditer(text):
        han = m.group("han")
        if han:
            out.extend(
                tok
                for tok in _jieba().cut_for_search(han)
                if tok not in _ZH_STOP and not (query and tok in _QUERY_STOP)
            )
        else:
            w = m.group("word")
            if w in _EN_STOP or (query and w in _QUERY_STOP):
                continue
            word_pos.append(len(out))
            out.append(w)
    if word_pos:
        for pos, stem in zip(word_pos, _stemmer().stemWords([out[p] for p in word_pos]), strict=True):
            out[pos] = stem
    return out


class ChunkSource(Protocol):
    """The part of `NewsIndex` that BM25 needs."""

    def iter_chunks(self) -> Iterable[tuple[Any, dict]]: ...

    def fingerprint(self) -> str: ...


def _codes(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Small-int codes per row plus the vocabulary: a filter is then one vectorised comparison."""
    vocab = sorted(set(values))
    lookup = {v: i for i, v in enumerate(vocab)}
    return np.asarray([lookup[v] for v in values], dtype=np.int32), vocab


def _id_array(ids: list[str]) -> np.ndarray:
    """UTF-8 bytes, fixed width: saved as one .npy and memory-mapped, no Python string per row."""
    return np.asarray([i.encode("utf-8") for i in ids], dtype=bytes) if ids else np.zeros(0, dtype="S1")


@dataclass
class BM25Index:
    """bm25s scores plus, per corpus row, the chunk id and the metadata that filters look at.

    Every per-row field is a numpy array and is memory-mapped when loaded, like bm25s' own matrix:
    processes that open the same index share one copy in the page cache, and a query only touches
    the posting lists of its terms (docs/scale.md, "BM25 at 1M chunks").
    """

    ids: np.ndarray  # bytes (UTF-8 chunk id) per row
    ids_sorted: np.ndarray  # the same ids, sorted, for binary search
    id_order: np.ndarray  # row of each entry of ids_sorted
    source_codes: np.ndarray
    sources: list[str]  # vocabulary of source_codes
    language_codes: np.ndarray
    languages: list[str]  # vocabulary of language_codes
    published_days: np.ndarray  # int32 YYYYMMDD, 0 when unknown
    model: bm25s.BM25 | None

    @classmethod
    def build(cls, records: Iterable[tuple[str, str, dict]]) -> BM25Index:
        """Index `(chunk_id, text, metadata)` records; the title is indexed with the text."""
        ids: list[str] = []
        sources: list[str] = []
        languages: list[str] = []
        days: list[int] = []
        corpus_tokens: list[list[str]] = []
        for chunk_id, text, meta in records:
            title = str(meta.get("title") or "")
            ids.append(chunk_id)
            sources.append(str(meta.get("source") or ""))
            languages.append(str(meta.get("language") or ""))
            days.append(int(meta.get("published_day") or 0))
            corpus_tokens.append(tokenize(f"{title}\n{text}"))
        model = None
        if ids:
            model = bm25s.BM25()
            model.index(corpus_tokens, show_progress=False)
        id_bytes = _id_array(ids)
        order = np.argsort(id_bytes, kind="stable").astype(np.int32)
        source_codes, source_vocab = _codes(sources)
        language_codes, language_vocab = _codes(languages)
        return cls(
            id_bytes,
            id_bytes[order],
            order,
            source_codes,
            source_vocab,
            language_codes,
            language_vocab,
            np.asarray(days, dtype=np.int32),
            model,
        )

    @classmethod
    def from_chunks(cls, chunks: Iterable[tuple[Any, dict]]) -> BM25Index:
        """Index what `NewsIndex.iter_chunks()` yields: the annotated text (resolved dates) is searched."""
        return cls.build((chunk.id, chunk.annotated_text or chunk.text, meta) for chunk, meta in chunks)

    def __len__(self) -> int:
        return len(self.ids)

    def chunk_id(self, row: int) -> str:
        return bytes(self.ids[row]).decode("utf-8")

    def rows_of(self, chunk_ids: Iterable[str]) -> np.ndarray:
        """The row of each chunk id, -1 for ids not in this index (written after it was built)."""
        wanted = _id_array(list(chunk_ids))
        if wanted.size == 0 or self.ids_sorted.size == 0:
            return np.full(wanted.size, -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.ids_sorted, wanted), self.ids_sorted.size - 1)
        found = self.ids_sorted[pos] == wanted
        return np.where(found, self.id_order[pos], -1).astype(np.int64)

    def mask_for(self, field: str, values: Iterable[str]) -> np.ndarray:
        """Rows whose `field` ("source" or "language") is one of `values` (exact stored values)."""
        vocab, codes = (
            (self.sources, self.source_codes) if field == "source" else (self.languages, self.language_codes)
        )
        allowed = set(values)
        wanted = [i for i, v in enumerate(vocab) if v in allowed]
        return np.isin(codes, wanted)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every corpus row for `query` (zeros when no query term is indexed)."""
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        token_ids = self.model.get_tokens_ids(tokenize(query, query=True))
        if not token_ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(token_ids), dtype=np.float32)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-`k` `(row, score)` with a positive score, best first; `mask` (bool per row) filters."""
        scores = self.scores(query)
        if scores.size == 0 or k <= 0:
            return []
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]

    # -- persistence ------------------------------------------------------------------------
    _ARRAYS = ("ids", "ids_sorted", "id_order", "source_codes", "language_codes", "published_days")

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name in self._ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)
        vocab = {"format": FORMAT_VERSION, "sources": self.sources, "languages": self.languages}
        (directory / "rows.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        if self.model is not None:
            self.model.save(str(directory / "bm25s"), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        """Memory-mapped: nothing per row is copied into this process."""
        vocab = json.loads((directory / "rows.json").read_text(encoding="utf-8"))
        if vocab.get("format") != FORMAT_VERSION:
            raise ValueError(f"BM25 format {vocab.get('format')}, expected {FORMAT_VERSION}")
        arrays = {
            name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in cls._ARRAYS
        }
        model = None
        if len(arrays["ids"]):
            model = bm25s.BM25.load(str(directory / "bm25s"), mmap=True, show_progress=False)
        return cls(
            arrays["ids"],
            arrays["ids_sorted"],
            arrays["id_order"],
            arrays["source_codes"],
            vocab["sources"],
            arrays["language_codes"],
            vocab["languages"],
            arrays["published_days"],
            model,
        )


_COMPLETE = "COMPLETE"


def fingerprint_name(fingerprint: str) -> str:
    """An index fingerprint as a file name (the derived indexes kept beside it are named by it)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", fingerprint)[:80] or "empty"


def bm25_dir(index_dir: Path, fingerprint: str) -> Path:
    return index_dir / "bm25" / f"{fingerprint_name(fingerprint)}-t{TOKENIZER_VERSION}-f{FORMAT_VERSION}"


def load_or_build(source: ChunkSource, index_dir: Path) -> BM25Index:
    """The BM25 index for the current content of `source`: loaded if persisted, else built and saved.

    Building writes to a temporary directory and renames it into place, so a crash or a second
    process building at the same time never leaves a half-written index that a later run would load.
    Indexes for older fingerprints are removed.
    """
    target = bm25_dir(index_dir, source.fingerprint())
    if (target / _COMPLETE).is_file():
        try:
            return BM25Index.load(target)
        except (OSError, ValueError, KeyError) as exc:  # corrupt: rebuild below
            log.warning("BM25 index at %s unreadable (%s); rebuilding", target, exc)
            shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    bm25 = BM25Index.from_chunks(source.iter_chunks())
    tmp = target.parent / f".tmp-{target.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    bm25.save(tmp)
    (tmp / _COMPLETE).write_text(str(len(bm25)), encoding="utf-8")
    try:
        os.replace(tmp, target)
    except OSError:  # another process won the race: its copy is as good as ours
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("built BM25 index of %d chunks in %.1fs at %s", len(bm25), time.perf_counter() - started, target)
    _prune(target)
    return bm25


def _prune(current: Path) -> None:
    """Remove indexes built for other fingerprints (and temporary dirs left by crashed builds)."""
    for other in current.parent.iterdir():
        if other == current or not other.is_dir():
            continue
        stale_tmp = other.name.startswith(".tmp-") and time.time() - other.stat().st_mtime > 3600
        if not other.name.startswith(".tmp-") or stale_tmp:
            shutil.rmtree(other, ignore_errors=True)
