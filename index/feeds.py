"""Read RSS and Atom feeds into Articles: one per entry, the full page fetched when the entry has only
a summary.

feedparser reads the feed (RSS 0.9x/1.0/2.0, Atom; broken XML as far as it goes). Each entry becomes
an Article: title, link, publication time (the entry's own time zone kept), source = the feed's
title, language = the entry's or the feed's. An entry that carries its article (`content`, e.g.
RSS content:encoded) is used as it is; one with only a summary has its link fetched and read by the
same HTML path as saved pages (trafilatura, index.readers). Fetching goes through `PoliteFetcher`.

Incremental: an entry is identified by its link (its id when it has none) and fingerprinted by what
the feed says about it. An entry seen before with the same fingerprint whose article is still
stored is neither fetched nor rebuilt: the stored article is passed on, which the ingest then finds
unchanged, so nothing is embedded either. A changed entry is rebuilt (its page asked for with
If-None-Match/If-Modified-Since; a 304 reuses the stored body) and the ingest replaces the article.

Bad input is reported as `Skipped` with a reason code and the rest is read: not_found, unreadable,
malformed_feed, not_a_feed, empty_feed, no_link, not_html, undecodable, and the fetch failures of
index.fetching (http_404, timeout, unreachable, robots_disallowed, too_large). Nothing here deletes.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from index.calendar import publication_date
from index.cleaning import clean_body, normalize_text
from index.feed_state import EntryMemory, FeedMemory, FeedState
from index.fetching import FetchError, PoliteFetcher, Validators
from index.language import normalize_language
from index.models import Article, Skipped
from index.readers import build_article, decode_bytes, html_page_fields, normalize_published

log = logging.getLogger(__name__)

StoredLookup = Callable[[Sequence[str]], dict[str, Article]]

_URL = re.compile(r"^https?://", re.I)
_COMMENT = re.compile(r"(?:^|\s)#.*$")  # "#" at the start or after a space: a URL's own #fragment stays
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


@dataclass
class FeedCounts:
    """What reading the feeds did, beside the articles and skips it yielded."""

    feeds: int = 0
    feeds_not_modified: int = 0  # answered 304: their entries were passed on from the store
    feeds_failed: int = 0
    entries: int = 0
    entries_unchanged: int = 0  # seen before, same fingerprint, still stored: nothing fetched
    pages_fetched: int = 0
    pages_not_modified: int = 0
    too_old: int = 0  # published before the age limit: not read
    warnings: list[tuple[str, str]] = field(default_factory=list)


def is_url(value: str) -> bool:
    return bool(_URL.match(value.strip()))


def expand_feeds(values: Sequence[str]) -> tuple[list[str], list[Skipped]]:
    """Feed URLs and feed files from the command line; a file that is not itself a feed (does not
    start with "<") lists feeds, one per line (" #" starts a comment), relative paths from the file."""
    feeds: list[str] = []
    problems: list[Skipped] = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        if is_url(value):
            feeds.append(value)
            continue
        path = Path(value).expanduser()
        if not path.is_file():
            problems.append(
                Skipped(value, "not_found", f"{value} is neither an http(s) URL nor an existing file")
            )
            continue
        try:
            head = path.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        except OSError as exc:
            problems.append(Skipped(value, "unreadable", f"could not read {value}: {exc}"))
            continue
        if head.startswith(b"<"):
            feeds.append(str(path))
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            item = _COMMENT.sub("", line).strip()
            if not item:
                continue
            if is_url(item):
                feeds.append(item)
            elif (path.parent / item).is_file():
                feeds.append(str(path.parent / item))
            else:
                problems.append(
                    Skipped(
                        f"{path}:{number}",
                        "not_found",
                        f"{item!r} is neither an http(s) URL nor an existing file",
                    )
                )
    return list(dict.fromkeys(feeds)), problems


class FeedReader:
    """Turns feeds into Articles (see the module docstring); one public method, `read`.

    `stored` looks up stored articles by id (`NewsIndex.get_articles`); `min_published` drops entries
    published before it (the age limit of `newsrag watch --max-age`). `state` is updated in place and
    saved by the caller once the articles are stored; `counts` says what happened.
    """

    def __init__(
        self,
        fetcher: PoliteFetcher,
        state: FeedState,
        stored: StoredLookup,
        max_article_chars: int = 200_000,
        min_published: date | None = None,
    ) -> None:
        self._fetcher = fetcher
        self._state = state
        self._stored = stored
        self._max_chars = max_article_chars
        self._min_published = min_published
        self._yielded: set[str] = set()
        self.counts = FeedCounts()

    def read(self, feeds: Sequence[str]) -> Iterator[Article | Skipped]:
        """Every entry of every feed as an Article (or a Skipped saying why not), feed by feed."""
        for feed in feeds:
            self.counts.feeds += 1
            yield from self._feed(feed)

    # -- one feed -------------------------------------------------------------------------------
    def _feed(self, feed: str) -> Iterator[Article | Skipped]:
        memory = self._state.feeds.get(feed)
        headers: dict[str, str] = {}
        if is_url(feed):
            remembered = self._stored(memory.entries) if memory else {}
            # a 304 is only useful while every entry it stands for is still stored
            current = memory is not None and len(remembered) == len(set(memory.entries))
            validators = Validators(memory.etag, memory.last_modified) if current and memory else None
            try:
                got = self._fetcher.fetch(feed, validators)
            except FetchError as exc:
                self.counts.feeds_failed += 1
                yield Skipped(
                    feed, exc.reason, f"{exc.detail}; articles stored from this feed before are kept"
                )
                return
            if got.not_modified and memory is not None:
                self.counts.feeds_not_modified += 1
                for article_id in memory.entries:
                    if article_id in remembered and article_id not in self._yielded:
                        self._yielded.add(article_id)
                        self.counts.entries += 1
                        self.counts.entries_unchanged += 1
                        yield remembered[article_id]
                return
            data = got.body
            headers = {"content-type": got.content_type, "content-location": got.url}
            new_memory = FeedMemory(got.validators.etag, got.validators.last_modified)
        else:
            try:
                data = Path(feed).read_bytes()
            except OSError as exc:
                self.counts.feeds_failed += 1
                yield Skipped(feed, "unreadable", f"could not read the feed file {feed}: {exc}")
                return
            new_memory = FeedMemory()

        parsed = _parse(data, headers)
        entries = list(parsed.get("entries") or [])
        problem = _feed_problem(feed, data, parsed, len(entries))
        if problem is not None:
            yield problem
            if not entries:
                self.counts.feeds_failed += 1
                return
        meta = parsed.get("feed") or {}
        new_memory.title = " ".join(str(meta.get("title") or "").split())
        source = new_memory.title or urlsplit(feed).netloc or Path(feed).stem
        language = normalize_language(str(meta.get("language") or ""))
        yield from self._entries(feed, entries, source, language, new_memory)
        self._state.feeds[feed] = new_memory

    def _entries(
        self, feed: str, entries: list[Any], source: str, language: str, memory: FeedMemory
    ) -> Iterator[Article | Skipped]:
        infos = [_EntryInfo.of(feed, n, entry) for n, entry in enumerate(entries, start=1)]
        stored = self._stored([i.article_id for i in infos if i.article_id])
        for info in infos:
            self.counts.entries += 1
            if not info.article_id:
                yield Skipped(
                    info.origin,
                    "no_link",
                    f"entry {info.number} ({info.title or 'untitled'!r}) has neither a link nor an id; "
                    "there is nothing to fetch or to cite",
                )
                continue
            if info.article_id in self._yielded:  # the same story twice in a feed, or in two feeds
                continue
            day = publication_date(info.published_at)
            if self._min_published and day and day < self._min_published:
                self.counts.too_old += 1
                continue
            previous = self._state.entries.get(info.article_id)
            if info.article_id in stored and previous and previous.fingerprint == info.fingerprint:
                self.counts.entries_unchanged += 1
                item: Article | Skipped = stored[info.article_id]
            else:
                item = self._build(info, source, language, stored.get(info.article_id), previous)
            if isinstance(item, Article):
                self._yielded.add(item.id)
                memory.entries.append(item.id)
            yield item

    # -- one entry ------------------------------------------------------------------------------
    def _build(
        self,
        info: _EntryInfo,
        source: str,
        language: str,
        stored: Article | None,
        previous: EntryMemory | None,
    ) -> Article | Skipped:
        fields: dict[str, Any] = {
            "id": info.article_id,
            "title": info.title,
            "source": source,
            "url": info.link,
            "published_at": info.published_at,
            "language": info.language or language,
            "author": info.author,
            "category": info.category,
            "origin": info.origin,
        }
        warnings = []
        if info.date_warning:
            warnings.append(info.date_warning)
        memory = EntryMemory(info.fingerprint, info.link)
        if info.content:
            fields["body"] = info.content
            if not info.link:
                warnings.append("the entry has no link: citations cannot point at the article's page")
        elif not info.link:
            return Skipped(
                info.origin,
                "no_link",
                f"entry {info.number} ({info.title or 'untitled'!r}) has only a summary and no link to fetch the article from",
            )
        else:
            page = self._page(info, stored, previous)
            if isinstance(page, Skipped):
                return page
            page_fields, validators = page
            memory = EntryMemory(info.fingerprint, info.link, validators.etag, validators.last_modified)
            fields["body"] = page_fields["body"]
            for key in ("title", "published_at", "language", "author"):
                if not fields[key] and page_fields.get(key):
                    fields[key] = page_fields[key]
        if not fields["published_at"]:
            warnings.append(
                "no publication date in the entry or on its page: date filters and questions about "
                "'last week' will not find this article"
            )
        fields["warnings"] = tuple(warnings)
        article = build_article(self._max_chars, **fields)
        if isinstance(article, Article):
            self._state.entries[article.id] = memory
        return article

    def _page(
        self, info: _EntryInfo, stored: Article | None, previous: EntryMemory | None
    ) -> tuple[dict[str, Any], Validators] | Skipped:
        """The entry's page read as an article (or the stored body when the page has not changed)."""
        validators = (
            Validators(previous.etag, previous.last_modified)
            if stored is not None and previous is not None and previous.link == info.link
            else None
        )
        try:
            got = self._fetcher.fetch(info.link, validators)
        except FetchError as exc:
            return Skipped(info.origin, exc.reason, f"{exc.detail}; entry {info.title!r} was not stored")
        if got.not_modified and stored is not None:
            self.counts.pages_not_modified += 1
            fields = {"body": stored.body, "title": stored.title, "published_at": stored.published_at,
                      "language": stored.language, "author": stored.author}  # fmt: skip
            fresh = got.validators.etag or got.validators.last_modified
            return fields, got.validators if fresh else (validators or Validators())
        self.counts.pages_fetched += 1
        kind = got.content_type.split(";")[0].strip().lower()
        if kind not in _HTML_TYPES and not (
            kind in ("", "text/plain", "application/octet-stream") and _HTML_SNIFF.match(got.body[:2048])
        ):
            return Skipped(
                info.origin,
                "not_html",
                f"{info.link} is {kind or 'of unknown type'}, not a web page; entry {info.title!r} was not stored",
            )
        decoded = decode_bytes(got.body)
        if decoded is None:
            return Skipped(
                info.origin,
                "undecodable",
                f"the page at {info.link} is in an encoding that could not be determined",
            )
        page = html_page_fields(decoded[0], info.origin)
        if isinstance(page, Skipped):
            return page
        return page, got.validators


@dataclass(frozen=True)
class _EntryInfo:
    """What one feed entry says, normalised."""

    origin: str
    number: int
    article_id: str
    fingerprint: str
    title: str
    link: str
    published_at: str | None
    date_warning: str | None
    language: str
    author: str
    category: str
    content: str  # the entry's own article text ("" when it carries only a summary)

    @classmethod
    def of(cls, feed: str, number: int, entry: Any) -> _EntryInfo:
        link = str(entry.get("link") or "").strip()
        guid = str(entry.get("id") or "").strip()
        key = link or guid
        # dict.get: feedparser's own get() maps "updated" to "published" with a deprecation warning
        raw_date = str(
            dict.get(entry, "published") or dict.get(entry, "updated") or dict.get(entry, "created") or ""
        )
        published_at, warning = _published(raw_date, entry)
        contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
        summary = str(entry.get("summary") or "")
        said = [
            key,
            link,
            str(entry.get("title") or ""),
            raw_date,
            str(dict.get(entry, "updated") or ""),
            summary,
            contents,
        ]
        fingerprint = hashlib.sha256(json.dumps(said, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
        title_detail = entry.get("title_detail") or {}
        tags = [str(t.get("term") or "") for t in entry.get("tags") or [] if t.get("term")]
        return cls(
            origin=link or f"{feed} entry {number}",
            number=number,
            article_id=feed_article_id(key) if key else "",
            fingerprint=fingerprint,
            title=" ".join(html.unescape(str(entry.get("title") or "")).split()),
            link=link,
            published_at=published_at,
            date_warning=warning,
            language=normalize_language(str(title_detail.get("language") or "")),
            author=str(entry.get("author") or "").strip(),
            category=", ".join(tags),
            content=html_text(max(contents, key=len)) if contents else "",
        )


def feed_article_id(key: str) -> str:
    """A stable article id for a feed entry, from its link (or id): the same story keeps its id."""
    return f"feed-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def html_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs kept, page chrome cleaned.

    Our own few lines over lxml: trafilatura expects whole pages and often drops a short fragment.
    """
    if "<" not in fragment:
        return clean_body(normalize_text(html.unescape(fragment)))
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises ParserError on empty or hopeless markup
        return ""
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter("script", "style"):
        element.drop_tree()
    return clean_body(normalize_text(root.text_content()))


def _parse(data: bytes, headers: dict[str, str]) -> Any:
    import feedparser  # lazy: only when feeds are read

    return feedparser.parse(data, response_headers=headers or None)


def _feed_problem(feed: str, data: bytes, parsed: Any, n_entries: int) -> Skipped | None:
    """Why a feed could not be read (completely), or None."""
    if not data.strip():
        return Skipped(feed, "empty_feed", f"{feed} is empty")
    version = parsed.get("version") or ""
    if n_entries == 0 and not version:
        what = "an HTML page" if _HTML_SNIFF.match(data[:2048]) else "not RSS or Atom"
        return Skipped(feed, "not_a_feed", f"{feed} is {what}; give the URL of its RSS or Atom feed")
    if (
        parsed.get("bozo")
        and parsed.get("bozo_exception") is not None
        and _is_xml_error(parsed["bozo_exception"])
    ):
        recovered = (
            f"{n_entries} entr{'y' if n_entries == 1 else 'ies'} recovered and read"
            if n_entries
            else "nothing could be read"
        )
        return Skipped(
            feed, "malformed_feed", f"{feed} is not well-formed XML ({parsed['bozo_exception']}); {recovered}"
        )
    if n_entries == 0:
        return Skipped(feed, "empty_feed", f"{feed} has no entries")
    return None


def _is_xml_error(exc: object) -> bool:
    """feedparser also flags harmless things (a charset that differs from the declared one, a feed
    served as text/html); only XML that does not parse counts as malformed."""
    from xml.sax import SAXException

    return isinstance(exc, SAXException)


def _published(raw: str, entry: Any) -> tuple[str | None, str | None]:
    """ISO 8601 publication time in the entry's own offset, and a warning if it had to be guessed."""
    raw = raw.strip()
    if raw:
        try:
            return parsedate_to_datetime(raw).isoformat(), None  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            pass
        published, warning = normalize_published(raw)  # Atom: ISO 8601; anything else: dateparser
        if published:
            return published, warning
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)
        if parsed:  # feedparser's own reading, in UTC
            return datetime(*parsed[:6], tzinfo=UTC).isoformat(), None
    return None, (f"publication date {raw!r} could not be read" if raw else None)


__all__ = ["FeedCounts", "FeedReader", "expand_feeds", "feed_article_id", "html_text", "is_url"]
