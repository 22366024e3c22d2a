"""Keep the index up with feeds: one refresh (`FeedRefresher`), and a loop of them (`Watcher`).

A refresh reads the feeds (index.feeds), ingests what changed through the ordinary pipeline (so
unchanged articles are not embedded again and changed ones replace their old version), prunes
articles older than the age limit through the store's delete path, then saves the feed state and
appends the refresh to `INDEX_DIR/feeds/refreshes.jsonl` (shown by `newsrag stats` and the UI).

`newsrag watch FEEDS --every 15m` runs refreshes in a loop; a cron line around `newsrag ingest
--feed ...` does the same from the system scheduler (README).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from index.embedding import NewsEmbedding
from index.feed_state import FeedState, record_refresh
from index.feeds import FeedCounts, FeedReader, expand_feeds
from index.fetching import PoliteFetcher
from index.models import Skipped
from index.pipeline import Ingestor, IngestReport
from index.settings import IndexSettings
from index.store import NewsIndex

log = logging.getLogger(__name__)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.I)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_duration(text: str) -> timedelta:
    """ "90s", "15m", "2h", "30d", "1w" as a timedelta; ValueError with the accepted forms otherwise."""
    m = _DURATION.match(text)
    if not m or float(m[1]) <= 0:
        raise ValueError(f"{text!r} is not a duration; use a number and a unit: 90s, 15m, 2h, 30d, 1w")
    return timedelta(seconds=float(m[1]) * _UNITS[m[2].lower()])


@dataclass
class RefreshReport:
    """One refresh: what the feeds gave, what the ingest did, and when."""

    at: str
    feeds: list[str]
    ingest: IngestReport
    counts: FeedCounts
    skipped: list[Skipped] = field(default_factory=list)  # feed arguments that were not feeds
    max_age_days: float | None = None

    @property
    def exit_code(self) -> int:
        return 3 if self.skipped or self.ingest.skipped else 0

    def summary(self) -> str:
        c, r = self.counts, self.ingest
        parts = [
            f"{c.feeds} feed(s)",
            f"{r.stored} stored",
            f"{r.unchanged} unchanged",
            f"{len(r.skipped) + len(self.skipped)} skipped",
        ]
        if r.pruned:
            parts.append(f"{r.pruned} pruned")
        if c.too_old:
            parts.append(f"{c.too_old} entries older than the age limit not read")
        if r.syndicated:
            parts.append(f"{r.syndicated} grouped with syndicated copies")
        fetched = f"{c.pages_fetched} page(s) fetched, {c.feeds_not_modified} feed(s) and {c.pages_not_modified} page(s) not modified"
        return f"refresh {self.at}: {', '.join(parts)}; {fetched}; {r.chunks} chunks in {r.seconds:.1f} s"

    def record(self) -> dict[str, Any]:
        """The line kept in refreshes.jsonl (what the UI shows as "last refresh")."""
        r, c = self.ingest, self.counts
        reasons: dict[str, int] = {}
        for s in [*self.skipped, *r.skipped]:
            reasons[s.reason] = reasons.get(s.reason, 0) + 1
        return {
            "at": self.at,
            "feeds": self.feeds,
            "stored": r.stored,
            "unchanged": r.unchanged,
            "skipped": len(r.skipped) + len(self.skipped),
            "skip_reasons": reasons,
            "pruned": r.pruned,
            "too_old": c.too_old,
            "syndicated": r.syndicated,
            "feeds_failed": c.feeds_failed,
            "feeds_not_modified": c.feeds_not_modified,
            "pages_fetched": c.pages_fetched,
            "pages_not_modified": c.pages_not_modified,
            "embedded": r.embedded,
            "seconds": round(r.seconds, 2),
            "max_age_days": self.max_age_days,
        }


class FeedRefresher:
    """Refreshes the index from feeds; one public method, `run`. Keeps the embedding model loaded
    between runs (a `newsrag watch` loop loads it once)."""

    def __init__(
        self,
        settings: IndexSettings | None = None,
        embed_model: NewsEmbedding | None = None,
        fetcher: PoliteFetcher | None = None,
        progress: bool = True,
    ) -> None:
        self.settings = settings or IndexSettings()
        self._embed_model = embed_model
        self._fetcher = fetcher
        self._progress = progress

    def run(
        self, feeds: Sequence[str], max_age: timedelta | None = None, today: date | None = None
    ) -> RefreshReport:
        """Read `feeds` (URLs, feed files, files listing feeds) and ingest what changed."""
        at = datetime.now(UTC).replace(microsecond=0)
        feed_list, problems = expand_feeds(feeds)
        index = NewsIndex.open(self.settings, create=True, embed_model=self._embed_model)
        self._embed_model = index.embed_model
        directory = self.settings.resolved_index_dir
        state = FeedState.load(directory)
        cutoff = (today or at.date()) - max_age if max_age is not None else None
        reader = FeedReader(
            self._fetcher or PoliteFetcher.from_settings(self.settings),
            state,
            index.get_articles,
            self.settings.max_article_chars,
            min_published=cutoff,
        )
        ingestor = Ingestor(self.settings, embed_model=index.embed_model, progress=self._progress)
        report = ingestor.ingest(reader.read(feed_list), older_than=cutoff)
        state.save(directory)
        refresh = RefreshReport(
            at=at.isoformat(),
            feeds=feed_list,
            ingest=report,
            counts=reader.counts,
            skipped=problems,
            max_age_days=max_age.total_seconds() / 86_400 if max_age is not None else None,
        )
        record_refresh(directory, refresh.record())
        log.info(refresh.summary())
        return refresh


class Watcher:
    """Runs a refresh every `every`, until interrupted or `times` runs; one public method, `run`.

    A refresh that fails (the Chroma server down, a full disk) is logged and retried at the next
    tick; a refresh that takes longer than `every` is followed by the next one straight away.
    """

    def __init__(
        self,
        refresh: Callable[[], RefreshReport],
        every: timedelta,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        say: Callable[[str], None] = print,
    ) -> None:
        self._refresh = refresh
        self._every = every.total_seconds()
        self._clock = clock
        self._sleep = sleep
        self._say = say

    def run(self, times: int | None = None) -> list[RefreshReport]:
        done: list[RefreshReport] = []
        n = 0
        while times is None or n < times:
            started = self._clock()
            n += 1
            try:
                report = self._refresh()
                done.append(report)
                self._say(report.summary())
                for skipped in [*report.skipped, *report.ingest.skipped]:
                    self._say(f"  skipped {skipped.origin} [{skipped.reason}]: {skipped.detail}")
            except Exception as exc:  # keep watching: the next tick may well succeed
                log.error("refresh failed (%s: %s); trying again at the next tick", type(exc).__name__, exc)
                self._say(f"refresh failed: {type(exc).__name__}: {exc}")
            if times is not None and n >= times:
                break
            wait = self._every - (self._clock() - started)
            if wait > 0:
                self._sleep(wait)
        return done


__all__ = ["FeedRefresher", "RefreshReport", "Watcher", "parse_duration"]
