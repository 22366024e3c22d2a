"""Syndicated copies: one story republished by several outlets, lightly edited, grouped at ingestion.

Each body gets a MinHash signature (datasketch) over shingles of `k` consecutive tokens: words, and
single characters in Chinese, which has no spaces to split words on. LSH finds stored bodies likely
to be similar, and the signatures' estimated Jaccard similarity confirms a copy. A new article joins
the group of the stored article it copies best, else starts its own group (its own id). The group id
goes into each chunk's metadata (`dup_group`) so answering can keep one copy per group, and the
signature into the article record (`minhash`) so later runs compare against everything stored
without re-reading bodies. Headlines and bylines are left out on purpose: syndicators change them.
"""

from __future__ import annotations

import base64
import bisect
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from index.calendar import day_from_number
from index.cjk import HAN
from index.models import Article
from index.store import STATUS_COMPLETE, NewsIndex, published_day

log = logging.getLogger(__name__)

_TOKEN = re.compile(rf"[{HAN}]|[^\W_{HAN}]+")
_SCHEME = "affine32"  # pinned: signatures stored in the index must stay comparable across versions
_SEED = 1
# Bodies with fewer shingles than this carry too little text to call a copy (a headline list, a
# one-line brief); they stay in a group of their own.
MIN_SHINGLES = 12
TOO_SHORT = "short"


def shingles(text: str, k: int) -> set[bytes]:
    """The set of k-token shingles of `text` (case and width folded)."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())
    return {" ".join(tokens[i : i + k]).encode("utf-8") for i in range(len(tokens) - k + 1)}


@dataclass(frozen=True)
class Grouping:
    """Where an article landed: its group id, its encoded signature, and the copy that decided it."""

    group: str
    signature: str
    copy_of: str | None = None
    similarity: float = 0.0


class Syndication:
    """Assigns articles to groups of near-duplicates; `run` takes one body at a time, in order.

    Articles already stored are registered with `add_stored` first (from their records), so a new
    article is compared with everything in the index and with the articles before it in this run.
    """

    def __init__(self, threshold: float = 0.5, num_perm: int = 128, k: int = 4) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.k = k
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, MinHash | LeanMinHash] = {}
        self._groups: dict[str, str] = {}
        self._prefix = f"m{num_perm}k{k}:"

    @classmethod
    def from_settings(cls, settings: Any) -> Syndication:
        return cls(
            settings.syndication_threshold, settings.syndication_num_perm, settings.syndication_shingle
        )

    def add_stored(self, article_id: str, group: str, signature: str) -> bool:
        """Register a stored article; False when its signature is missing or made with other parameters."""
        if signature == TOO_SHORT:
            self._groups[article_id] = group or article_id
            return True
        minhash = self._decode(signature)
        if minhash is None:
            return False
        self._insert(article_id, group or article_id, minhash)
        return True

    def readable(self, signature: str) -> bool:
        """Whether a stored signature was made with this instance's parameters (else it is recomputed)."""
        return signature == TOO_SHORT or signature.startswith(self._prefix)

    def run(self, article_id: str, body: str) -> Grouping:
        """Group `body` (the article replaces any earlier version of itself) and remember it."""
        self._forget(article_id)
        grams = shingles(body, self.k)
        if len(grams) < MIN_SHINGLES:
            self._groups[article_id] = article_id
            return Grouping(article_id, TOO_SHORT)
        minhash = MinHash(num_perm=self.num_perm, seed=_SEED, scheme=_SCHEME)
        minhash.update_batch(sorted(grams))
        best, best_sim = None, 0.0
        for other in self._lsh.query(minhash):
            sim = float(minhash.jaccard(self._signatures[other]))
            if sim >= self.threshold and (sim, other) > (best_sim, best or ""):
                best, best_sim = other, sim
        group = self._groups[best] if best is not None else article_id
        self._insert(article_id, group, minhash)
        return Grouping(group, self._encode(minhash), best, round(best_sim, 3))

    # -- internals ------------------------------------------------------------------------------
    def _insert(self, article_id: str, group: str, minhash: MinHash | LeanMinHash) -> None:
        self._lsh.insert(article_id, minhash)
        self._signatures[article_id] = minhash
        self._groups[article_id] = group

    def _forget(self, article_id: str) -> None:
        if article_id in self._signatures:
            self._lsh.remove(article_id)
            del self._signatures[article_id]
        self._groups.pop(article_id, None)

    def _encode(self, minhash: MinHash) -> str:
        raw = np.asarray(minhash.hashvalues, dtype="<u4").tobytes()
        return self._prefix + base64.b64encode(raw).decode("ascii")

    def _decode(self, signature: str) -> LeanMinHash | None:
        if not signature.startswith(self._prefix):
            return None
        try:
            values = np.frombuffer(base64.b64decode(signature[len(self._prefix) :]), dtype="<u4")
        except ValueError:
            return None
        if len(values) != self.num_perm:
            return None
        # LeanMinHash: no permutations to rebuild (30x cheaper per stored article), same comparisons
        return LeanMinHash(seed=_SEED, hashvalues=values.astype(np.uint32), scheme=_SCHEME)


def load_syndication(
    index: NewsIndex, records: Mapping[str, dict[str, Any]], settings: Any, new: Sequence[Article]
) -> Syndication:
    """A Syndication holding the stored articles the `new` ones could be copies of, ready to group them.

    Copies run within days of each other, so only stored articles published within
    `settings.syndication_window_days` of a new article are loaded (all of them when a new article
    is undated; undated stored ones always): a feed refresh of a large index then loads a few
    thousand signatures, not all. Articles stored before grouping existed (or with other MinHash
    parameters) have no usable signature: their bodies are read once, grouped oldest first, and
    the result is stored.
    """
    syndication = Syndication.from_settings(settings)
    near = _near(new, settings.syndication_window_days)
    missing = []
    ordered = sorted(records.items(), key=lambda kv: (int(kv[1].get("published_day") or 0), kv[0]))
    for article_id, meta in ordered:
        if meta.get("status") != STATUS_COMPLETE or not near(int(meta.get("published_day") or 0)):
            continue
        if not syndication.add_stored(article_id, group_of(meta, article_id), str(meta.get("minhash") or "")):
            missing.append(article_id)
    if missing:
        updates: dict[str, tuple[str, str]] = {}
        for i in range(0, len(missing), index.max_batch_size):
            part = missing[i : i + index.max_batch_size]
            found = index.get_articles(part)
            for article_id in part:
                if article_id in found:
                    grouping = syndication.run(article_id, found[article_id].body)
                    updates[article_id] = (grouping.group, grouping.signature)
        index.set_groups(updates)
        copies = sum(1 for article_id, (group, _) in updates.items() if group != article_id)
        log.info(
            "near-duplicate signatures computed for %d article(s) stored before grouping; %d joined a group "
            "of syndicated copies",
            len(updates),
            copies,
        )
    return syndication


def signatures_missing(records: Mapping[str, Mapping[str, Any]], settings: Any) -> bool:
    """Whether a stored article lacks a usable signature (stored before grouping existed, or with other
    MinHash parameters): then even a run that stores nothing computes them, so an index built before
    grouping gets its groups on its next re-ingest, once."""
    probe = Syndication.from_settings(settings)
    return any(
        m.get("status") == STATUS_COMPLETE and not probe.readable(str(m.get("minhash") or ""))
        for m in records.values()
    )


def _near(new: Sequence[Article], window_days: int) -> Callable[[int], bool]:
    """Whether a stored article's publication day (YYYYMMDD, 0 unknown) is near any new article's."""
    days = [published_day(a) for a in new]
    if not days or 0 in days:
        return lambda day: True
    ordinals = sorted({d.toordinal() for d in map(day_from_number, days) if d is not None})

    def near(day: int) -> bool:
        known = day_from_number(day)
        if known is None or not ordinals:
            return True
        ordinal = known.toordinal()
        i = bisect.bisect_left(ordinals, ordinal - window_days)
        return i < len(ordinals) and ordinals[i] <= ordinal + window_days

    return near


def group_of(meta: Mapping[str, Any], article_id: str) -> str:
    """The group an article or chunk record belongs to (articles stored before grouping: their own)."""
    return str(meta.get("dup_group") or article_id)


__all__ = ["Grouping", "Syndication", "group_of", "load_syndication", "shingles"]
