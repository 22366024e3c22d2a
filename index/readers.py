"""Read news articles from files and folders, whatever their format, and report what could not be read.

The format is detected from the content, not configured: JSON Lines and JSON in the shared schema
(`{id, title, source, url, published_at, language, body}`), MultiHop-RAG's `corpus.json` and
`evidence_articles.jsonl` (no id; `facts` instead of a body), saved HTML pages (trafilatura) and scraped
pages saved as plain text. `.gz` files are decompressed on the fly. Bad input never stops a run: each
item that cannot be used comes out as a `Skipped` with a short reason code and a sentence saying what
to do. Reason codes: not_found, unreadable, unsupported_format, empty_file, binary_file, undecodable,
lfs_pointer, malformed_json, not_an_article, empty_body, duplicate_id, duplicate.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.cleaning import clean_body, has_prose, normalize_text, parse_published, parse_text_page
from index.dates import resolve_dates
from index.language import detect_language, normalize_language
from index.models import Article, Skipped

# Files a folder walk picks up (after removing ".gz"); others are reported as unsupported_format,
# except a folder's own documentation (README, LICENSE, ATTRIBUTION), which is passed over.
NEWS_SUFFIXES = frozenset(
    {"", ".json", ".jsonl", ".ndjson", ".txt", ".text", ".htm", ".html", ".xhtml", ".shtml"}
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section)\b",
    re.I | re.S,
)
_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z_-]+)", re.I)
_WS = re.compile(r"\s*")
_LFS_POINTER = re.compile(r"^version https://git-lfs\.github\.com/spec/", re.M)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_PUBLISHED_META = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "dc.date.issued",
        "dcterms.created",
        "dc.date",
        "date",
        "sailthru.date",
        "parsely-pub-date",
    }
)
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_SENTENCE_END = re.compile(r"[.!?][\"'”’)）]*(?=\s)|[。！？][\"'”’)）」』]*|\n\s*\n")

# Field names accepted for each Article field, in order of preference.
_BODY_KEYS = ("body", "text", "content", "article", "maintext", "facts")
_TITLE_KEYS = ("title", "headline")
_SOURCE_KEYS = ("source", "publisher", "sitename", "site_name", "site", "outlet")
_URL_KEYS = ("url", "link", "canonical_url", "href")
_DATE_KEYS = (
    "published_at",
    "published",
    "publish_date",
    "publication_date",
    "pubdate",
    "date",
    "datetime",
    "time",
)
_LANG_KEYS = ("language", "lang", "lang_code")
_ID_KEYS = ("id", "doc_id", "article_id", "uid", "guid")
_LIST_KEYS = ("articles", "data", "items", "documents", "docs", "records", "corpus")


def read_sources(paths: Sequence[Path], max_article_chars: int = 200_000) -> Iterator[Article | Skipped]:
    """Every article in `paths` (files or folders, walked recursively in sorted order, hidden files
    skipped) as an `Article` with cleaned body and resolved dates, or a `Skipped` saying why not.

    Within one call, an id seen twice is read once: an exact repeat is skipped as `duplicate`, a
    different article under a used id as `duplicate_id`, and the same article under another id (one
    page saved twice) as `duplicate`. Bodies longer than `max_article_chars` are cut at a sentence
    boundary and kept, with a warning on the Article (as are re-encodings and guessed dates).
    """
    seen = _Seen()
    for raw_path in paths:
        path = Path(raw_path)
        for item in _files(path):
            if isinstance(item, Skipped):
                yield item
                continue
            for result in _read_file(item, max_article_chars):
                yield seen.check(result) if isinstance(result, Article) else result


@dataclass
class _Seen:
    """Ids and contents already yielded in this run, with where they came from."""

    by_id: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_hash: dict[str, tuple[str, str]] = field(default_factory=dict)

    def check(self, article: Article) -> Article | Skipped:
        digest = article.content_hash
        if article.id in self.by_id:
            first_hash, first_origin = self.by_id[article.id]
            if first_hash == digest:
                return Skipped(
                    article.origin,
                    "duplicate",
                    f"exact repeat of article {article.id!r} already read "
                    f"from {first_origin}; nothing to do unless the copy is unintended",
                )
            return Skipped(
                article.origin,
                "duplicate_id",
                f"id {article.id!r} was already used by a different "
                f"article at {first_origin}; give one of them a unique id",
            )
        if digest in self.by_hash:
            first_id, first_origin = self.by_hash[digest]
            return Skipped(
                article.origin,
                "duplicate",
                f"same title, body and metadata as article {first_id!r} "
                f"from {first_origin}; the copy was not stored twice",
            )
        self.by_id[article.id] = (digest, article.origin)
        self.by_hash[digest] = (article.id, article.origin)
        return article


# ------------------------------------------------------------------------------------------ files


def _files(path: Path) -> Iterator[Path | Skipped]:
    if path.is_file():
        yield path
        return
    if not path.exists():
        yield Skipped(str(path), "not_found", f"{path} does not exist; check the path")
        return
    if not path.is_dir():
        yield Skipped(str(path), "unsupported_format", f"{path} is not a regular file or folder")
        return
    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(path):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(folder) / name for name in filenames if not name.startswith("."))
    for file in sorted(found):
        if _logical_suffix(file) in NEWS_SUFFIXES:
            yield file
        elif not _DOC_FILE.match(file.name):
            yield Skipped(
                str(file),
                "unsupported_format",
                f"{file.name} is not a news file type newsrag reads "
                f"({', '.join(sorted(s for s in NEWS_SUFFIXES if s))}, optionally .gz); "
                "pass it by name to have its content sniffed",
            )


# A data folder's own documentation (README.md, LICENSE, ATTRIBUTION.md) is passed over, not reported.
_DOC_FILE = re.compile(
    r"^(?:README|LICEN[CS]E|ATTRIBUTION|NOTICE|COPYING|CHANGELOG|AUTHORS)(?:\.\w+)?$", re.I
)


def _logical_suffix(path: Path) -> str:
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return Path(name).suffix.lower()


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(2)
    if head == b"\x1f\x8b":
        with gzip.open(path, "rb") as gz:
            return gz.read()
    return path.read_bytes()


def _read_file(path: Path, max_chars: int) -> Iterator[Article | Skipped]:
    origin = str(path)
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        yield Skipped(
            origin, "unreadable", f"could not read {path.name}: {exc}; check the file and its permissions"
        )
        return
    if not data.strip():
        yield Skipped(origin, "empty_file", f"{path.name} is empty")
        return
    if looks_binary(data):
        yield Skipped(
            origin,
            "binary_file",
            f"{path.name} looks like a binary file (NUL or control bytes), not "
            "text; export the articles as JSON, JSONL, HTML or plain text",
        )
        return
    decoded = decode_bytes(data)
    if decoded is None:
        yield Skipped(
            origin,
            "undecodable",
            f"{path.name} is not UTF-8 and its encoding could not be determined; re-save it as UTF-8",
        )
        return
    text, note = decoded
    file_warnings = (note,) if note else ()
    if _LFS_POINTER.search(text[:1024]) and len(text) < 2048:
        yield Skipped(
            origin,
            "lfs_pointer",
            f"{path.name} is a Git LFS pointer, not the data itself; fetch the real file (git lfs pull)",
        )
        return
    kind = detect_format(text, _logical_suffix(path))
    if kind == "jsonl":
        reader = _no_articles_guard(_read_jsonl(text, origin), origin)
    elif kind == "json":
        reader = _no_articles_guard(_read_json(text, origin), origin)
    elif kind == "html":
        reader = _read_html(text, origin)
    else:
        reader = _read_text_page(text, origin)
    for item in reader:
        if isinstance(item, Article):
            yield _finish(replace(item, warnings=file_warnings + item.warnings), max_chars)
        else:
            yield item


_GUARD_RECORDS = 5


def _no_articles_guard(items: Iterator[Article | Skipped], origin: str) -> Iterator[Article | Skipped]:
    """One skip for a whole file whose first records are all not articles (a query or gold file put
    among the news), instead of one skip per record."""
    head: list[Article | Skipped] = []
    for item in items:
        head.append(item)
        if len(head) == _GUARD_RECORDS:
            break
    if len(head) == _GUARD_RECORDS and all(
        isinstance(i, Skipped) and i.reason == "not_an_article" for i in head
    ):
        first = head[0]
        assert isinstance(first, Skipped)
        yield Skipped(
            origin,
            "not_an_article",
            f"the file holds no news articles: its first {_GUARD_RECORDS} records are not articles "
            f"({first.detail}); point newsrag at article files only",
        )
        return
    yield from head
    yield from items


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KiB (text with a UTF-16/32 BOM excepted)."""
    sample = data[:8192]
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)
    return control / len(sample) > 0.05


def decode_bytes(data: bytes) -> tuple[str, str | None] | None:
    """Text and a note on how it was decoded (None for plain UTF-8), or None when nothing fits.

    Order: a byte-order mark, UTF-8, the charset the file declares (HTML meta, XML declaration),
    UTF-8 with a handful of bad bytes replaced, then charset_normalizer's guess (GBK, Big5, cp1252...).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if declared:
        name = declared.group(1).decode("ascii", "ignore")
        try:
            return data.decode(name), f"decoded as {name} (declared by the file)"
        except (LookupError, UnicodeDecodeError):
            pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad <= max(3, len(data) // 2000):
        return lenient, f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD"
    from charset_normalizer import from_bytes  # lazy: only for files that are not UTF-8

    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return None
    try:
        return data.decode(best.encoding), f"decoded as {best.encoding} (guessed; the file is not UTF-8)"
    except (LookupError, UnicodeDecodeError):
        return None


def detect_format(text: str, suffix: str = "") -> str:
    """Which reader fits, "jsonl", "json", "html" or "text", from the content (the suffix only breaks ties).

    A pretty-printed JSON object has one line starting with "{"; JSON Lines have one per record.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        return "jsonl" if "\n{" in stripped or "\n" not in stripped.rstrip() else "json"
    if _HTML_START.match(stripped) or (
        suffix in (".htm", ".html", ".xhtml", ".shtml") and "<" in stripped[:2000]
    ):
        return "html"
    return "text"


# ------------------------------------------------------------------------------------------ JSON


def _read_jsonl(text: str, origin: str) -> Iterator[Article | Skipped]:
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(
                where,
                "malformed_json",
                f"line {number} is not valid JSON ({_json_problem(exc)} at column {exc.colno}); fix or remove the line",
            )
            continue
        yield _from_record(record, where)


def _json_problem(exc: json.JSONDecodeError) -> str:
    """The decoder's message without a trailing "at" ("Unterminated string starting at"), which the
    caller's own "at column N" would double."""
    return exc.msg.removesuffix(" at")


def _read_json(text: str, origin: str) -> Iterator[Article | Skipped]:
    stripped = text.lstrip("\ufeff")
    start = _WS.match(stripped).end()
    if stripped.startswith("[", start):
        yield from _read_json_array(stripped, start, origin)
        return
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError as exc:
        yield Skipped(
            f"{origin}:{exc.lineno}",
            "malformed_json",
            f"{Path(origin).name} is not valid JSON "
            f"({_json_problem(exc)} at line {exc.lineno}, column {exc.colno}); fix the file",
        )
        return
    if isinstance(document, dict):
        lower = {str(k).lower(): v for k, v in document.items()}
        for key in _LIST_KEYS:
            if isinstance(lower.get(key), list) and not any(k in lower for k in _BODY_KEYS):
                for index, record in enumerate(lower[key]):
                    yield _from_record(record, f"{origin}:{key}[{index}]")
                return
    yield _from_record(document, origin)


def _read_json_array(text: str, start: int, origin: str) -> Iterator[Article | Skipped]:
    """Items of a top-level JSON list one by one, each with the line it starts on; a syntax error
    stops the file there but keeps what came before it."""
    decoder = json.JSONDecoder()
    pos = _WS.match(text, start + 1).end()
    line, counted = 1 + text.count("\n", 0, pos), pos
    if text.startswith("]", pos):
        return
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            record, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield Skipped(
                f"{origin}:{exc.lineno}",
                "malformed_json",
                f"invalid JSON at line {exc.lineno}, column "
                f"{exc.colno} ({exc.msg}); items after it were not read; fix the file",
            )
            return
        yield _from_record(record, f"{origin}:{line}")
        pos = _WS.match(text, end).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            return
        else:
            at = 1 + text.count("\n", 0, pos)
            yield Skipped(
                f"{origin}:{at}",
                "malformed_json",
                f"expected ',' or ']' at line {at}; items after it were not read; fix the file",
            )
            return


def _text_field(record: dict[str, Any], keys: Sequence[str]) -> str:
    for key in keys:
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return "\n".join(v.strip() for v in value)
    return ""


def _from_record(record: Any, where: str) -> Article | Skipped:
    if not isinstance(record, dict):
        return Skipped(
            where, "not_an_article", f"expected a JSON object for an article, found {type(record).__name__}"
        )
    rec = {str(k).lower(): v for k, v in record.items()}
    if not any(k in rec for k in _BODY_KEYS + _TITLE_KEYS):
        keys = ", ".join(list(rec)[:8])
        return Skipped(
            where,
            "not_an_article",
            f"record has no body or title field (keys: {keys}); newsrag "
            "expects {id, title, source, url, published_at, language, body}",
        )
    raw_body = _text_field(rec, _BODY_KEYS)
    body = clean_body(raw_body)
    if not body:
        if not any(k in rec for k in _BODY_KEYS):
            why = f"the record has no body field (looked for {', '.join(_BODY_KEYS)})"
        elif not raw_body.strip():
            why = "the body is empty or whitespace only"
        else:
            why = "the body holds only page chrome (menus, share links, ads), nothing left after cleaning"
        return Skipped(where, "empty_body", f"{why}; add the article text or drop the record")
    title = " ".join(_text_field(rec, _TITLE_KEYS).split())
    source = _text_field(rec, _SOURCE_KEYS).strip()
    url = _text_field(rec, _URL_KEYS).strip()
    published_at, date_warning = normalize_published(_text_field(rec, _DATE_KEYS))
    article_id = _text_field(rec, _ID_KEYS).strip()
    if not article_id:
        prefix = "mhr" if "facts" in rec or ("author" in rec and "category" in rec) else "doc"
        article_id = derive_id(prefix, url, source, title, published_at, "")
    return Article(
        id=article_id,
        title=title,
        body=body,
        source=source,
        url=url,
        published_at=published_at,
        language=normalize_language(_text_field(rec, _LANG_KEYS)),
        author=_text_field(rec, ("author", "authors", "byline")).strip(),
        category=_text_field(rec, ("category", "section", "categories")).strip(),
        origin=where,
        warnings=(date_warning,) if date_warning else (),
    )


def derive_id(prefix: str, url: str, source: str, title: str, published_at: str | None, body: str) -> str:
    """A stable id for an article that has none: from its URL, else source+title+date, else its body."""
    if url:
        basis = url
    elif title or source or published_at:
        basis = f"{source}\n{title}\n{published_at or ''}"
    else:
        basis = body
    return f"{prefix}-{hashlib.sha1(basis.encode('utf-8')).hexdigest()[:12]}"


def normalize_published(value: str) -> tuple[str | None, str | None]:
    """ISO 8601 publication time (kept as date-only when only a date is given) and a warning if the
    value had to be guessed or could not be read."""
    value = value.strip()
    if not value:
        return None, None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value, None
    try:
        return datetime.fromisoformat(value).isoformat(), None
    except ValueError:
        pass
    if re.fullmatch(r"\d{9,10}(?:\.\d+)?", value):
        return datetime.fromtimestamp(float(value), tz=UTC).isoformat(), None
    parsed = parse_published(value)
    if parsed is None:
        return None, f"publication date {value!r} could not be read; dates in the text are left unresolved"
    return parsed, f"publication date {value!r} is not ISO 8601; read as {parsed}"


# ------------------------------------------------------------------------------------------ pages


def _read_text_page(text: str, origin: str) -> Iterator[Article | Skipped]:
    page = parse_text_page(text)
    yield Article(
        id=derive_id("page", "", page.source, page.title, page.published_at, page.body),
        title=page.title,
        body=page.body,
        source=page.source,
        published_at=page.published_at,
        language="",  # a plain page declares none: detected from the text
        origin=origin,
        warnings=page.warnings,
    )


def _read_html(text: str, origin: str) -> Iterator[Article | Skipped]:
    import trafilatura  # lazy: ~0.6 s import, only for HTML input

    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={
                "original_date": True,
                "extensive_search": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            },
        )
    except Exception as exc:  # trafilatura wraps lxml; a page it cannot parse must not stop the run
        yield Skipped(
            origin, "unreadable", f"the HTML could not be parsed ({exc}); check that it is a web page"
        )
        return
    meta: dict[str, Any] = {}
    if doc is not None:
        meta = doc if isinstance(doc, dict) else doc.as_dict()
    title = " ".join((meta.get("title") or "").split())
    body_text = meta.get("text") or ""
    lines = normalize_text(body_text).split("\n")
    if lines and title and " ".join(lines[0].split()).lower() == title.lower():
        lines = lines[1:]  # trafilatura repeats the <h1> headline as the first line
    body = clean_body("\n\n".join(line for line in lines if line.strip()))
    if not has_prose(body):
        body = ""  # a menu or a caption that trafilatura fell back to, not an article
    url = (meta.get("url") or "").strip()
    source = (meta.get("sitename") or "").strip()
    published_at = _meta_published(text) or _html_date(meta.get("date"))
    lang_match = _HTML_LANG.search(text[:5000])
    language = normalize_language(lang_match.group(1) if lang_match else meta.get("language"))
    yield Article(
        id=derive_id("page", url, source, title, published_at, body),
        title=title,
        body=body,
        source=source,
        url=url,
        published_at=published_at,
        language=language,
        author=(meta.get("author") or "").strip(),
        origin=origin,
    )


def _meta_published(html: str) -> str | None:
    """The publication timestamp from standard page metadata (Open Graph, schema.org, Dublin Core).

    htmldate, which trafilatura uses, prefers a date in a URL on the page and then drops the time of
    day; the metadata keeps it ("2021-03-04T10:15:00+00:00"), so it is asked first.
    """
    head = html[:200_000]
    for tag in _META_TAG.finditer(head):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag.group(0))}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _PUBLISHED_META and attrs.get("content"):
            published, _ = normalize_published(attrs["content"])
            if published:
                return published
    ld = _JSONLD_PUBLISHED.search(head)
    return normalize_published(ld.group(1))[0] if ld else None


def _html_date(value: str | None) -> str | None:
    """htmldate's "%Y-%m-%dT%H:%M:%S%z" as ISO 8601; a bare midnight without offset means date-only."""
    if not value:
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return normalize_published(value)[0]
    if parsed.tzinfo is None and (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0):
        return parsed.date().isoformat()
    return parsed.isoformat()


# ------------------------------------------------------------------------------------------ finishing


def _finish(draft: Article, max_chars: int) -> Article | Skipped:
    """What every format shares after reading: the empty-body check, truncation at a sentence, the
    language when the source declared none (a draft's language is "" then) and the resolved dates."""
    body = draft.body
    if not body.strip():
        return Skipped(
            draft.origin,
            "empty_body",
            "no article text left after removing page chrome (navigation, link lists, credits); "
            "check that the file holds the article itself",
        )
    warnings = list(draft.warnings)
    if len(body) > max_chars:
        original = len(body)
        body = truncate_at_sentence(body, max_chars)
        warnings.append(
            f"body truncated from {original} to {len(body)} characters at a sentence boundary "
            f"(max_article_chars={max_chars})"
        )
    language = draft.language or detect_language(f"{draft.title}\n{body[:3000]}")
    dates = tuple(resolve_dates(body, draft.published_at, language))
    return replace(draft, body=body, language=language, dates=dates, warnings=tuple(warnings))


def truncate_at_sentence(body: str, max_chars: int) -> str:
    """The longest prefix of `body` within `max_chars` that ends at a sentence or paragraph end;
    a word boundary if no sentence ends in the last fifth, a hard cut as the last resort (CJK text
    without spaces)."""
    if len(body) <= max_chars:
        return body
    head = body[:max_chars]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= max_chars * 0.8:
        return head[: ends[-1]].rstrip()
    space = head.rfind(" ")
    if space >= max_chars * 0.5:
        return head[:space].rstrip()
    return head.rstrip()


# ------------------------------------------------------------------------------------------ for feeds


def html_page_fields(text: str, origin: str) -> dict[str, Any] | Skipped:
    """What the HTML reader finds in a web page (title, cleaned body, site, date, language, author),
    before the checks every format shares: feeds merge these with their entry's own metadata."""
    for item in _read_html(text, origin):
        return dict(item.__dict__) if isinstance(item, Article) else item
    return Skipped(origin, "empty_body", "the page yielded nothing to read")


def build_article(max_chars: int, **fields: Any) -> Article | Skipped:
    """An Article from fields read elsewhere (a feed entry): the same finishing as files get (body cut
    at a sentence past `max_chars`, language detected when unknown, relative dates resolved)."""
    return _finish(Article(**fields), max_chars)
