"""What feed refreshes remember between runs, in files beside the index (`INDEX_DIR/feeds/`).

* `state.json`: per feed its ETag/Last-Modified, title and entries; per entry (by article id) a
  fingerprint of what the feed said about it and the ETag/Last-Modified of its page. A remembered
  entry is trusted only while its article is still stored, so a lost or stale file costs refetches,
  never missing articles. Written whole to a temporary file and renamed, so a kill leaves the old one.
* `refreshes.jsonl`: one line per refresh (when, which feeds, what happened), newest last, so that
  `newsrag stats` and the UI can show the last refresh. Trimmed to the last `_KEEP_REFRESHES`.

Plain JSON files rather than Chroma records: they are fetch bookkeeping, not searchable content, and
with a Chroma server they stay with the machine that fetches.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_STATE_VERSION = 1
_KEEP_REFRESHES = 1000


def feeds_dir(index_dir: Path) -> Path:
    return index_dir / "feeds"


@dataclass
class EntryMemory:
    """A feed entry as last ingested: its fingerprint and its page's validators."""

    fingerprint: str
    link: str = ""
    etag: str = ""
    last_modified: str = ""


@dataclass
class FeedMemory:
    """A feed as last fetched."""

    etag: str = ""
    last_modified: str = ""
    title: str = ""
    entries: list[str] = field(default_factory=list)  # article ids, in feed order


@dataclass
class FeedState:
    """Everything remembered about feeds and their entries; `load` never fails, `save` is atomic."""

    feeds: dict[str, FeedMemory] = field(default_factory=dict)
    entries: dict[str, EntryMemory] = field(default_factory=dict)

    @classmethod
    def load(cls, index_dir: Path) -> FeedState:
        path = feeds_dir(index_dir) / "state.json"
        if not path.is_file():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != _STATE_VERSION:
                raise ValueError(f"version {raw.get('version')!r}")
            return cls(
                feeds={url: FeedMemory(**f) for url, f in raw.get("feeds", {}).items()},
                entries={aid: EntryMemory(**e) for aid, e in raw.get("entries", {}).items()},
            )
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning(
                "ignoring unreadable feed state %s (%s): feeds and pages are fetched in full once", path, exc
            )
            return cls()

    def save(self, index_dir: Path) -> None:
        """Write the state; entries no feed lists any more are forgotten (they rolled off their feed)."""
        listed = {aid for feed in self.feeds.values() for aid in feed.entries}
        self.entries = {aid: e for aid, e in self.entries.items() if aid in listed}
        directory = feeds_dir(index_dir)
        directory.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": _STATE_VERSION,
            "feeds": {url: asdict(f) for url, f in sorted(self.feeds.items())},
            "entries": {aid: asdict(e) for aid, e in sorted(self.entries.items())},
        }
        tmp = directory / "state.json.tmp"
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, directory / "state.json")


def record_refresh(index_dir: Path, record: dict[str, Any]) -> None:
    """Append one refresh to the log (trimmed to the most recent ones)."""
    directory = feeds_dir(index_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "refreshes.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) > 2 * _KEEP_REFRESHES:
        tmp = directory / "refreshes.jsonl.tmp"
        tmp.write_text("\n".join(lines[-_KEEP_REFRESHES:]) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def refresh_history(index_dir: Path, limit: int = 10) -> list[dict[str, Any]]:
    """The most recent refreshes, newest first (for the UI's corpus panel and `newsrag stats`)."""
    path = feeds_dir(index_dir) / "refreshes.jsonl"
    if not path.is_file():
        return []
    out = []
    for line in reversed(path.read_text(encoding="utf-8").splitlines()):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a kill
        if len(out) == limit:
            break
    return out


def last_refresh(index_dir: Path) -> dict[str, Any] | None:
    """The latest refresh ({"at", "feeds", "stored", "unchanged", "skipped", ...}) or None."""
    history = refresh_history(index_dir, limit=1)
    return history[0] if history else None


def describe_refresh(record: dict[str, Any]) -> str:
    """One line for people about a refresh record (`newsrag stats` and the UI's corpus panel say the same)."""
    return (
        f"{record.get('at', '?')} from {len(record.get('feeds') or [])} feed(s): {record.get('stored', 0)} "
        f"stored, {record.get('unchanged', 0)} unchanged, {record.get('skipped', 0)} skipped"
    )


__all__ = [
    "EntryMemory",
    "FeedMemory",
    "FeedState",
    "describe_refresh",
    "last_refresh",
    "record_refresh",
    "refresh_history",
]
