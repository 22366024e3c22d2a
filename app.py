"""newsrag's chat UI: ask the news corpus, read the cited passages, filter, add articles.

    python app.py [--host 127.0.0.1] [--port 7860] [--index DIR] [--no-demo]

Basic auth comes from NEWSRAG_AUTH="user:password" (never a default password). On first run the
bundled demo corpus (index/demo/) is indexed before the server starts. Everything rendered from
articles is HTML-escaped: article text is untrusted.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.offline import enforce_offline

# Before gradio is imported: its import and launch() otherwise check for updates and send analytics.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
enforce_offline()

import gradio as gr  # noqa: E402

from rag.models import Answer, Citation, Filters, Passage  # noqa: E402

log = logging.getLogger("newsrag.app")

DEMO_DIR = Path(__file__).resolve().parent / "index" / "demo"
UPLOAD_SUFFIXES = (".jsonl", ".json", ".html", ".htm", ".txt")
NOTICE = "⚠️ "  # prefixes app messages in the chat; they are not answers and never go back as history
EXAMPLES = [
    "When did Aliyun open its first US data center?",
    "Where will Alibaba's cloud unit open new data centers?",
    "How many people died when the apartment building in Magnitogorsk collapsed?",
    "美国为什么批评中国在香港成立国际调解院？",
]


class AppSettings(BaseSettings):
    """Where the UI listens and how much it accepts; NEWSRAG_* environment overrides."""

    model_config = SettingsConfigDict(env_prefix="NEWSRAG_", extra="ignore")

    app_host: str = "127.0.0.1"
    app_port: int = 7860
    auth: SecretStr | None = Field(default=None, description='basic auth as "user:password"')
    max_question_chars: int = 1000
    max_upload_mb: float = 20.0
    max_upload_files: int = 20


class UserFacingError(Exception):
    """A problem the person can act on; shown as a plain message, never as a traceback."""


class AssistantLike(Protocol):
    def ask(self, question: str, filters: Filters | None = None, history: Any = None) -> Answer: ...

    def stream(
        self, question: str, filters: Filters | None = None, history: Any = None
    ) -> Iterator[str | Answer]: ...


# --------------------------------------------------------------------------- settings & inputs


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """NEWSRAG_AUTH="user:password" -> ("user", "password"); None when unset."""
    if value is None or value == "":
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise UserFacingError('NEWSRAG_AUTH must look like "user:password" (both parts non-empty).')
    return user.strip(), password


def _parse_day(value: Any, label: str) -> date | None:
    """A date from the date pickers or the API: "2016-01-01", "2016-01-01 00:00:00", a date or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value).date()
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise UserFacingError(f"'{label}' must be a date like 2016-01-01, not {text[:40]!r}.") from None


def to_filters(
    sources: Sequence[str] | str | None = None,
    languages: Sequence[str] | str | None = None,
    since: Any = None,
    until: Any = None,
) -> Filters:
    """The filter widgets' values as `rag.models.Filters`; a clear error for bad dates."""

    def _names(values: Sequence[str] | str | None) -> tuple[str, ...]:
        if isinstance(values, str):
            values = [values]
        return tuple(sorted({v.strip() for v in values or () if isinstance(v, str) and v.strip()}))

    since_day = _parse_day(since, "Published since")
    until_day = _parse_day(until, "Published until")
    if since_day and until_day and since_day > until_day:
        raise UserFacingError(
            f"The date range is empty: 'since' ({since_day}) is after 'until' ({until_day})."
        )
    return Filters(sources=_names(sources), languages=_names(languages), since=since_day, until=until_day)


def check_question(message: Any, max_chars: int) -> str:
    """The question text, stripped; a clear error when empty or over the length cap."""
    if isinstance(message, dict):  # a multimodal textbox sends {"text": ..., "files": [...]}
        message = message.get("text", "")
    question = (message or "").strip()
    if not question:
        raise UserFacingError("Please type a question.")
    if len(question) > max_chars:
        raise UserFacingError(
            f"Your question is {len(question):,} characters long; the limit is {max_chars:,}. "
            "Please shorten it."
        )
    return question


def _content_text(content: Any) -> str:
    """Text of a chat message's content, in any of the shapes Gradio hands back."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text", "") if content.get("type", "text") == "text" else ""
    if isinstance(content, list | tuple):
        return "\n".join(t for t in (_content_text(c) for c in content) if t)
    return ""


def history_to_messages(history: Iterable[Any] | None) -> list[dict[str, str]]:
    """The chat so far as `{"role", "content"}` messages for the assistant, minus app notices."""
    messages: list[dict[str, str]] = []
    for item in history or ():
        role = item.get("role") if isinstance(item, dict) else getattr(item, "role", None)
        content = item.get("content") if isinstance(item, dict) else getattr(item, "content", None)
        text = _content_text(content).strip()
        if role not in ("user", "assistant") or not text:
            continue
        if role == "assistant" and text.startswith(NOTICE):
            if messages and messages[-1]["role"] == "user":
                messages.pop()  # the question that got a notice instead of an answer
            continue
        messages.append({"role": role, "content": text})
    return messages


# --------------------------------------------------------------------------- rendering (escaped)


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links become clickable: `javascript:` and friends in article metadata are not."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s\"'<>]+$", url, re.IGNORECASE) else None


def _day(published_at: str | None) -> str:
    if not published_at:
        return "date unknown"
    try:
        return datetime.fromisoformat(published_at).date().isoformat()
    except ValueError:
        return published_at[:32]


def _title_html(title: str, url: str | None) -> str:
    title = title.strip() or "(untitled)"
    link = _safe_url(url)
    if link:
        return f'<a href="{_e(link)}" target="_blank" rel="noopener noreferrer">{_e(title)}</a>'
    return f"<span>{_e(title)}</span>"


def _passage_for(citation: Citation, passages: Sequence[Passage]) -> Passage | None:
    """The retrieved chunk a citation quotes from: same chunk id, else a chunk of the article covering it."""
    for p in passages:
        if citation.chunk_id and p.chunk_id == citation.chunk_id:
            return p
    for p in passages:
        if p.article_id == citation.article_id and p.start <= citation.start and citation.end <= p.end:
            return p
    for p in passages:
        if p.article_id == citation.article_id and citation.quote and citation.quote in p.text:
            return p
    return None


def highlight_quote(context: str | None, quote: str, offset: int | None = None) -> str:
    """The chunk text with the quoted passage in <mark>, every piece escaped before the tags go in."""
    if context:
        at = offset if offset is not None and context[offset : offset + len(quote)] == quote else -1
        if at < 0:
            at = context.find(quote) if quote else -1
        if at >= 0:
            before, after = context[:at], context[at + len(quote) :]
            return f"{_e(before)}<mark>{_e(quote)}</mark>{_e(after)}"
    return f"<mark>{_e(quote)}</mark>"


def _filters_line(filters: Filters | None) -> str:
    if filters is None or filters.is_empty():
        return ""
    parts = []
    if filters.sources:
        parts.append("sources: " + ", ".join(filters.sources))
    if filters.languages:
        parts.append("languages: " + ", ".join(filters.languages))
    if filters.since:
        parts.append(f"since {filters.since.isoformat()}")
    if filters.until:
        parts.append(f"until {filters.until.isoformat()}")
    return f'<p class="nr-filters">Filtered by {_e("; ".join(parts))}</p>'


def render_sources(answer: Answer, filters: Filters | None = None) -> tuple[str, str]:
    """HTML for the cited sources (one card per citation) and for the retrieved-but-uncited passages."""
    cards = []
    for c in sorted(answer.citations, key=lambda c: c.n):
        passage = _passage_for(c, answer.retrieved)
        context = passage.text if passage else None
        offset = c.start - passage.start if passage else None
        cards.append(
            f'<article class="nr-card" id="nr-cite-{int(c.n)}">'
            f'<div class="nr-head"><span class="nr-n">[{int(c.n)}]</span> {_title_html(c.title, c.url)}</div>'
            f'<div class="nr-meta">{_e(c.source or "unknown source")} · {_e(_day(c.published_at))}</div>'
            f'<blockquote class="nr-passage">{highlight_quote(context, c.quote, offset)}</blockquote>'
            "</article>"
        )
    if cards:
        cited = "".join(cards)
    elif answer.abstained:
        cited = '<p class="nr-empty">No passage in the corpus answers this question.</p>'
    else:
        cited = '<p class="nr-empty">This answer cites no passage.</p>'
    timings = " · ".join(f"{_e(k)} {v / 1000:.1f} s" for k, v in answer.timings_ms.items())
    cited = (
        f'<div class="nr-sources">{_filters_line(filters)}{cited}'
        + (f'<p class="nr-timings">{timings}</p>' if timings else "")
        + "</div>"
    )

    cited_chunks = {c.chunk_id for c in answer.citations if c.chunk_id}
    cited_spans = [(c.article_id, c.start, c.end) for c in answer.citations]

    def _is_cited(p: Passage) -> bool:
        if p.chunk_id in cited_chunks:
            return True
        return any(a == p.article_id and p.start <= s and e <= p.end for a, s, e in cited_spans)

    rows = [
        f'<li class="nr-uncited"><div class="nr-head"><span class="nr-score">{p.score:.3f}</span> '
        f"{_title_html(p.title, p.url)}</div>"
        f'<div class="nr-meta">{_e(p.source or "unknown source")} · {_e(_day(p.published_at))}</div>'
        f'<blockquote class="nr-passage">{_e(p.text)}</blockquote></li>'
        for p in answer.retrieved
        if not _is_cited(p)
    ]
    uncited = (
        f'<ol class="nr-uncited-list">{"".join(rows)}</ol>'
        if rows
        else '<p class="nr-empty">No other passages were retrieved.</p>'
    )
    if answer.notes:  # how the answer was checked: useful when it abstains or drops a citation
        notes = "".join(f"<li>{_e(n)}</li>" for n in answer.notes)
        uncited += f'<p class="nr-meta">Notes</p><ul class="nr-notes nr-meta">{notes}</ul>'
    return cited, uncited


def _names_of(value: Any) -> list[str]:
    """Names from `stats()["sources"]` / `["languages"]` (a name -> count dict, or a list)."""
    if isinstance(value, dict):
        return sorted(str(k) for k in value if k)
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return sorted(str(v) for v in value if v)
    return []


def _date_range_text(value: Any) -> str:
    if isinstance(value, list | tuple) and len(value) == 2 and any(value):
        first, last = (_day(str(v)) if v else "?" for v in value)
        return f"{first} – {last}"
    return "unknown"


def render_stats(stats: dict | None, problem: str = "") -> str:
    """The corpus status panel: counts, sources, languages, date range (all escaped)."""
    if stats is None:
        return f'<div class="nr-status nr-warn">{_e(problem or "No index yet.")}</div>'
    raw_sources = stats.get("sources") or {}
    counts = raw_sources if isinstance(raw_sources, dict) else {}
    sources = _names_of(raw_sources)
    by_size = sorted(sources, key=lambda s: -int(counts.get(s, 0)))
    shown = ", ".join(f"{s} ({counts[s]})" if s in counts else s for s in by_size[:12])
    shown += f" … (+{len(sources) - 12})" if len(sources) > 12 else ""
    languages = _names_of(stats.get("languages", []))
    return (
        '<div class="nr-status"><dl>'
        f"<dt>Articles</dt><dd>{_e(stats.get('articles', 0))}</dd>"
        f"<dt>Chunks</dt><dd>{_e(stats.get('chunks', 0))}</dd>"
        f"<dt>Sources</dt><dd>{len(sources)}: {_e(shown)}</dd>"
        f"<dt>Languages</dt><dd>{_e(', '.join(languages) or 'none')}</dd>"
        f"<dt>Published</dt><dd>{_e(_date_range_text(stats.get('date_range')))}</dd>"
        "</dl></div>"
    )


@dataclass
class Rejected:
    """An uploaded file that never reached the ingestor, and why."""

    name: str
    reason: str


def render_report(report: Any, rejected: Sequence[Rejected] = (), base: Path | None = None) -> str:
    """The upload outcome: what was rejected before ingest, then the `IngestReport`'s counts and skips
    (`read`, `stored`, `unchanged` counts and `skipped`, a list of `index.models.Skipped`)."""
    parts = []
    if rejected:
        items = "".join(f"<li><b>{_e(r.name)}</b>: {_e(r.reason)}</li>" for r in rejected)
        parts.append(f'<div class="nr-warn"><p>Rejected before indexing:</p><ul>{items}</ul></div>')
    if report is not None:
        skips = list(report.skipped)
        counts = (
            f"read {report.read} · stored {report.stored} · unchanged {report.unchanged} · "
            f"skipped {len(skips)}"
        )
        parts.append(f'<p class="nr-counts">{_e(counts)}</p>')
        if skips:
            rows = []
            for s in skips:
                origin = str(s.origin)
                if base is not None:
                    origin = origin.replace(str(base) + os.sep, "")
                rows.append(f"<tr><td>{_e(origin)}</td><td>{_e(s.reason)}</td><td>{_e(s.detail)}</td></tr>")
            parts.append(
                '<table class="nr-skips"><thead><tr><th>Item</th><th>Reason</th><th>Detail</th></tr>'
                f"</thead><tbody>{''.join(rows)}</tbody></table>"
            )
    return "".join(parts) or '<p class="nr-empty">Nothing to add.</p>'


# --------------------------------------------------------------------------- uploads


def sanitize_filename(name: str) -> str:
    """A safe base name: no directories, no leading dots, only [A-Za-z0-9._-], at most 80 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("._-")[:64] or "upload"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower()[:8]
    return f"{stem}.{suffix}" if suffix else stem


def stage_uploads(
    files: Sequence[Any] | None, uploads_dir: Path, max_bytes: int, max_files: int
) -> tuple[list[Path], list[Rejected]]:
    """Validate the uploaded files and copy the good ones into `uploads_dir` under sanitized names.

    The copy is named by content hash, so uploading the same file twice lands on the same path and the
    ingestor reports it unchanged. Files are only read, never executed.
    """
    staged: list[Path] = []
    rejected: list[Rejected] = []
    paths = [Path(getattr(f, "name", f)) for f in files or () if f]
    if len(paths) > max_files:
        rejected += [
            Rejected(p.name, f"too many files at once (limit {max_files})") for p in paths[max_files:]
        ]
        paths = paths[:max_files]
    limit_mb = max_bytes / 1_000_000
    for path in paths:
        shown = path.name
        if path.suffix.lower() not in UPLOAD_SUFFIXES:
            rejected.append(Rejected(shown, f"unsupported file type; accepted: {', '.join(UPLOAD_SUFFIXES)}"))
            continue
        try:
            size = path.stat().st_size
        except OSError as exc:
            rejected.append(Rejected(shown, f"could not read the upload ({exc.strerror})"))
            continue
        if size == 0:
            rejected.append(Rejected(shown, "the file is empty"))
            continue
        if size > max_bytes:
            rejected.append(Rejected(shown, f"{size / 1_000_000:.1f} MB is over the {limit_mb:g} MB limit"))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        uploads_dir.mkdir(parents=True, exist_ok=True)
        target = uploads_dir / f"{digest}-{sanitize_filename(path.name)}"
        if not target.exists():
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)
        staged.append(target)
    return staged, rejected


# --------------------------------------------------------------------------- model & corpus state


def _index_missing(exc: BaseException) -> bool:
    from index.store import IndexNotFoundError  # lazy: keeps `import app` light

    return isinstance(exc, IndexNotFoundError)


class AssistantLoader:
    """Opens the assistant once, in a background thread, so the page is usable while the model loads.

    `use` serializes calls into the model: one llama.cpp model answers one question at a time, whichever
    event (chat, example, API) asks.
    """

    def __init__(self, factory: Callable[[], AssistantLike]):
        self._factory = factory
        self._state_lock = threading.Lock()
        self.use = threading.Lock()
        self._assistant: AssistantLike | None = None
        self.state = "idle"  # idle | loading | ready | no_index | failed
        self.detail = ""
        self._started = 0.0
        self.load_s = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._state_lock:
            if self.state == "loading":
                return
            self.state, self.detail, self._started = "loading", "", time.monotonic()
        self._thread = threading.Thread(target=self._load, name="newsrag-assistant-loader", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> str:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state

    def _load(self) -> None:
        try:
            assistant = self._factory()
        except Exception as exc:
            missing = _index_missing(exc)
            if not missing:
                log.exception("could not open the assistant")
            with self._state_lock:
                self.state = "no_index" if missing else "failed"
                self.detail = str(exc) if missing else f"{type(exc).__name__}: {exc}"
            return
        with self._state_lock:
            self._assistant, self.state = assistant, "ready"
            self.load_s = time.monotonic() - self._started
        log.info("assistant ready in %.1f s", self.load_s)

    def current(self) -> AssistantLike | None:
        """The assistant if it is loaded, else None (never waits)."""
        return self._assistant if self.state == "ready" else None

    def get(self) -> AssistantLike:
        """The assistant, or a UserFacingError saying why there is none yet."""
        if self.state == "ready" and self._assistant is not None:
            return self._assistant
        raise UserFacingError(self.message())

    def message(self) -> str:
        if self.state == "ready":
            return f"Model ready (loaded in {self.load_s:.1f} s)."
        if self.state == "loading":
            waited = time.monotonic() - self._started
            return f"The model is still loading ({waited:.0f} s so far); please ask again in a moment."
        if self.state == "no_index":
            return (
                "There is no index yet. Add articles under “Corpus” (JSONL, HTML or text files), "
                f"or build one with `newsrag ingest`. ({self.detail})"
            )
        if self.state == "failed":
            return f"The model could not be loaded: {self.detail}"
        return "The model has not been started."

    def status_html(self) -> str:
        css = {"ready": "nr-ok", "loading": "nr-busy"}.get(self.state, "nr-warn")
        return f'<div class="nr-model {css}">{_e(self.message())}</div>'

    def after_ingest(self, stored: int) -> None:
        """New articles: (re)open when there was no usable assistant, else let it notice the change."""
        if self.state in ("no_index", "failed", "idle"):
            self.start()
        elif self.state == "ready" and stored:
            refresh = getattr(self._assistant, "refresh", None)
            if callable(refresh):
                with self.use:
                    refresh()


class CorpusStatus:
    """The index's stats, computed once and again after each ingest (not on every page load)."""

    def __init__(self, stats_fn: Callable[[], dict]):
        self._stats_fn = stats_fn
        self._lock = threading.Lock()
        self._cached: tuple[dict | None, str] | None = None

    def get(self) -> tuple[dict | None, str]:
        with self._lock:
            if self._cached is None:
                try:
                    self._cached = (self._stats_fn(), "")
                except Exception as exc:
                    if not _index_missing(exc):
                        log.exception("could not read index stats")
                    self._cached = (None, _no_index_text(exc) if _index_missing(exc) else f"{exc}")
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None


def _no_index_text(exc: BaseException) -> str:
    return f"No index yet: add articles below, or run `newsrag ingest`. ({exc})"


# --------------------------------------------------------------------------- the UI

CSS = """
.nr-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px;
  margin-bottom: 8px; }
.nr-head { font-weight: 600; }
.nr-n, .nr-score { font-variant-numeric: tabular-nums; margin-right: 4px; }
.nr-meta, .nr-timings, .nr-filters, .nr-empty { color: var(--body-text-color-subdued); font-size: 0.85em; }
.nr-passage { margin: 6px 0 0; padding-left: 8px; border-left: 3px solid var(--border-color-primary);
  white-space: pre-wrap; font-size: 0.9em; }
.nr-passage mark { background: #fde68a; color: #111; padding: 0 1px; }
.nr-uncited { margin-bottom: 8px; }
.nr-uncited-list { max-height: 520px; overflow-y: auto; padding-right: 4px; }
.nr-status dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
.nr-status dt { font-weight: 600; }
.nr-status dd { margin: 0; }
.nr-warn { color: #b45309; }
.nr-ok { color: #15803d; }
.nr-busy { color: #1d4ed8; }
.nr-skips { font-size: 0.85em; }
"""

WORKING_HTML = '<p class="nr-empty">Searching the corpus and writing the answer…</p>'
EMPTY_SOURCES = '<p class="nr-empty">Ask a question: the passages its answer cites appear here.</p>'


@dataclass
class UI:
    """What `build_ui` wires together; tests reach into it."""

    demo: gr.Blocks
    loader: AssistantLoader
    corpus: CorpusStatus
    settings: AppSettings
    handlers: dict[str, Callable[..., Any]] = field(default_factory=dict)


def build_ui(
    assistant_factory: Callable[[], AssistantLike],
    ingest_fn: Callable[[list[Path]], Any],
    stats_fn: Callable[[], dict],
    uploads_dir: Path,
    settings: AppSettings | None = None,
    examples: Sequence[str] = EXAMPLES,
    start_loading: bool = True,
) -> UI:
    """The Blocks app; every dependency is injected so tests can run it with fakes."""
    settings = settings or AppSettings()
    loader = AssistantLoader(assistant_factory)
    corpus = CorpusStatus(stats_fn)
    max_bytes = int(settings.max_upload_mb * 1_000_000)

    def respond(message: Any, history: list, sources: Any, languages: Any, since: Any, until: Any):
        """Stream the answer into the chat, then replace it with the verified text and show its sources."""
        try:
            question = check_question(message, settings.max_question_chars)
            filters = to_filters(sources, languages, since, until)
            assistant = loader.get()
        except UserFacingError as exc:
            yield NOTICE + str(exc), EMPTY_SOURCES, ""
            return
        messages = history_to_messages(history)
        if not loader.use.acquire(blocking=False):
            yield "⏳ Waiting: the model is busy with another request…", WORKING_HTML, ""
            loader.use.acquire()
        try:
            yield "…", WORKING_HTML, ""
            text, final = "", None
            for item in assistant.stream(
                question, filters=None if filters.is_empty() else filters, history=messages
            ):
                if isinstance(item, str):
                    text += item
                    yield text, WORKING_HTML, ""
                elif isinstance(item, Answer):
                    final = item
        except Exception as exc:
            log.exception("answering %r failed", question)
            yield NOTICE + f"Something went wrong while answering: {type(exc).__name__}: {exc}", "", ""
            return
        finally:
            loader.use.release()
        if final is None:
            yield NOTICE + "The assistant finished without an answer.", "", ""
            return
        cited, uncited = render_sources(final, filters)
        yield final.text, cited, uncited

    def ask(
        question: str,
        sources: list[str] | None = None,
        languages: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> dict:
        """Answer one question (no conversation) and return the Answer as JSON with its citations."""
        try:
            question = check_question(question, settings.max_question_chars)
            filters = to_filters(sources, languages, since, until)
            assistant = loader.get()
        except UserFacingError as exc:
            raise gr.Error(str(exc)) from None
        try:
            with loader.use:
                answer = assistant.ask(question, filters=None if filters.is_empty() else filters)
        except Exception as exc:
            log.exception("answering %r failed", question)
            raise gr.Error(f"Something went wrong while answering: {type(exc).__name__}: {exc}") from None
        return answer.to_json()

    def corpus_view() -> tuple[str, dict, dict]:
        stats, problem = corpus.get()
        sources = _names_of(stats.get("sources", [])) if stats else []
        languages = _names_of(stats.get("languages", [])) if stats else []
        return render_stats(stats, problem), gr.update(choices=sources), gr.update(choices=languages)

    def ingest(files: list | None):
        if not files:
            return (
                render_report(None, [Rejected("(nothing)", "choose one or more files first")]),
                *corpus_view(),
            )
        staged, rejected = stage_uploads(files, uploads_dir, max_bytes, settings.max_upload_files)
        report = None
        if staged:
            try:
                with loader.use:  # the ingest embeds with the model the assistant queries with
                    report = ingest_fn(staged)
            except Exception as exc:
                log.exception("ingest of uploads failed")
                rejected = [*rejected, Rejected(", ".join(p.name for p in staged), f"ingest failed: {exc}")]
            corpus.invalidate()
            if report is not None:
                loader.after_ingest(report.stored)
        return (render_report(report, rejected, base=uploads_dir), *corpus_view())

    def model_tick():
        done = loader.state in ("ready", "failed", "no_index")
        return loader.status_html(), gr.Timer(active=not done)

    # Stats are read in the background (seconds on a large index); each page load fills them in.
    threading.Thread(target=corpus.get, name="newsrag-stats", daemon=True).start()

    # delete_cache: uploads pass through Gradio's temp folder first; our copies live in uploads_dir.
    with gr.Blocks(title="newsrag", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        with gr.Row(equal_height=False):
            gr.Markdown("## newsrag · questions over the news, answered with cited passages")
            model_status = gr.HTML(loader.status_html(), elem_id="nr-model-status")
        timer = gr.Timer(1.0)
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=250):
                gr.Markdown("### Filters")
                # Choices arrive with the page (demo.load); allow_custom_value because the server checks
                # values against the choices it was built with. An unknown source simply matches nothing.
                f_sources = gr.Dropdown(
                    choices=[],
                    value=[],
                    multiselect=True,
                    allow_custom_value=True,
                    label="Sources",
                    elem_id="nr-f-sources",
                )
                f_languages = gr.Dropdown(
                    choices=[],
                    value=[],
                    multiselect=True,
                    allow_custom_value=True,
                    label="Languages",
                    elem_id="nr-f-languages",
                )
                f_since = gr.DateTime(
                    include_time=False, type="string", label="Published since", elem_id="nr-f-since"
                )
                f_until = gr.DateTime(
                    include_time=False, type="string", label="Published until", elem_id="nr-f-until"
                )
                with gr.Accordion("Corpus", open=True):
                    corpus_html = gr.HTML(elem_id="nr-corpus")
                    upload = gr.File(
                        file_count="multiple",
                        file_types=list(UPLOAD_SUFFIXES),
                        label=f"Add articles (JSONL, JSON, HTML, text; ≤ {settings.max_upload_mb:g} MB each)",
                        elem_id="nr-upload",
                    )
                    add_btn = gr.Button("Add to index", elem_id="nr-add")
                    report_html = gr.HTML(elem_id="nr-report")
            sources_html = gr.HTML(EMPTY_SOURCES, elem_id="nr-sources", render=False)
            uncited_html = gr.HTML("", elem_id="nr-uncited", render=False)
            with gr.Column(scale=3, min_width=380):
                gr.ChatInterface(
                    respond,
                    chatbot=gr.Chatbot(
                        height=560,
                        buttons=["copy", "copy_all"],  # no "share": it uploads to Hugging Face
                        elem_id="nr-chat",
                        label="Conversation",
                        placeholder="Ask about the news in the corpus. Answers cite their sources as [1], [2].",
                    ),
                    textbox=gr.Textbox(
                        placeholder=f"Ask a question (up to {settings.max_question_chars:,} characters)",
                        elem_id="nr-question",
                        submit_btn=True,
                        stop_btn=False,
                    ),
                    additional_inputs=[f_sources, f_languages, f_since, f_until],
                    additional_outputs=[sources_html, uncited_html],
                    examples=[[q] for q in examples],  # lists: the filters are inputs too
                    run_examples_on_click=True,
                    cache_examples=False,
                    api_name="chat",
                    fill_height=False,
                )
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Sources")
                sources_html.render()
                with gr.Accordion("Retrieved but not cited", open=False, elem_id="nr-uncited-acc"):
                    uncited_html.render()

        gr.api(ask, api_name="ask")
        timer.tick(model_tick, outputs=[model_status, timer], queue=False, api_visibility="private")
        demo.load(corpus_view, outputs=[corpus_html, f_sources, f_languages], api_visibility="private")
        demo.load(model_tick, outputs=[model_status, timer], queue=False, api_visibility="private")
        add_btn.click(
            ingest,
            inputs=[upload],
            outputs=[report_html, corpus_html, f_sources, f_languages],
            api_name="ingest",
        )

    if start_loading:
        loader.start()
    return UI(demo, loader, corpus, settings, {"respond": respond, "ask": ask, "ingest": ingest})


def launch_options(settings: AppSettings, auth: tuple[str, str] | None) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch`: loopback unless told, never a share tunnel or telemetry."""
    return {
        "server_name": settings.app_host,
        "server_port": settings.app_port,
        "auth": auth,
        "share": False,  # explicit: GRADIO_SHARE=True in the environment must not open a tunnel
        "ssr_mode": False,
        "mcp_server": False,
        "enable_monitoring": False,
        "max_file_size": int(settings.max_upload_mb * 1_000_000),
        "show_error": False,
        "quiet": True,  # its banner suggests share=True; main() prints the address instead
        "css": CSS,
    }


# --------------------------------------------------------------------------- entry point


@dataclass
class IndexServices:
    """The real ingest and stats for one index; they reuse the assistant's open index once it is loaded
    (one embedding model in memory, not two)."""

    settings: Any  # IndexSettings
    loader: AssistantLoader | None = None

    def _loaded_index(self) -> Any:
        return getattr(self.loader.current() if self.loader else None, "index", None)

    def ingest(self, paths: list[Path]) -> Any:
        from index.pipeline import Ingestor

        embed_model = getattr(self._loaded_index(), "embed_model", None)
        return Ingestor(self.settings, embed_model=embed_model).run(paths)

    def stats(self) -> dict:
        from index.store import NewsIndex

        return (self._loaded_index() or NewsIndex.open(self.settings)).stats()


def ensure_index(index_settings: Any, build_demo: bool) -> None:
    """Build the demo index (progress in the terminal) when there is none yet."""
    from index.store import IndexNotFoundError, NewsIndex

    try:
        NewsIndex.open(index_settings)
        return
    except IndexNotFoundError:
        if not build_demo:
            print(f"No index at {index_settings.resolved_index_dir}; the UI will say how to add one.")
            return
    from index.pipeline import Ingestor

    print(
        f"No index at {index_settings.resolved_index_dir}: building it from the demo corpus {DEMO_DIR} "
        "(first run only)…",
        flush=True,
    )
    t0 = time.monotonic()
    report = Ingestor(index_settings).run([DEMO_DIR])
    print(
        f"Demo index built in {time.monotonic() - t0:.0f} s: {report.summary()}.",
        flush=True,
    )


def parse_args(argv: Sequence[str] | None, defaults: AppSettings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="app.py", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=defaults.app_host, help="interface to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=defaults.app_port, help="port (default %(default)s)")
    parser.add_argument(
        "--index",
        type=Path,
        default=None,
        help="index directory (default: NEWSRAG_INDEX_DIR or ~/.local/share/newsrag/index)",
    )
    parser.add_argument("--no-demo", action="store_true", help="do not build the demo index when none exists")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    enforce_offline()
    settings = AppSettings()
    args = parse_args(argv, settings)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # gradio's own startup checks, at INFO
    settings = settings.model_copy(update={"app_host": args.host, "app_port": args.port})
    try:
        auth = parse_auth(settings.auth.get_secret_value() if settings.auth else None)
    except UserFacingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if auth is None and settings.app_host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: serving on {settings.app_host} without a password; set NEWSRAG_AUTH=user:password",
            file=sys.stderr,
        )

    from rag.settings import RagSettings

    rag_settings = RagSettings()
    if args.index is not None:
        rag_settings.index.index_dir = args.index.expanduser().resolve()
    index_settings = rag_settings.index
    ensure_index(index_settings, build_demo=not args.no_demo)

    def open_assistant() -> AssistantLike:
        from rag.assistant import Assistant

        return Assistant.open(index_dir=index_settings.resolved_index_dir, settings=rag_settings)

    services = IndexServices(index_settings)
    ui = build_ui(
        assistant_factory=open_assistant,
        ingest_fn=services.ingest,
        stats_fn=services.stats,
        uploads_dir=index_settings.home / "uploads",
        settings=settings,
    )
    services.loader = ui.loader
    ui.demo.queue(default_concurrency_limit=1).launch(
        **launch_options(settings, auth), prevent_thread_lock=True
    )
    print(
        f"newsrag is at http://{settings.app_host}:{settings.app_port} (the model loads in the background); "
        "Ctrl+C stops it.",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        ui.demo.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
