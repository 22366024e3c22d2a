"""What happens when someone asks, clicks an example, calls the API or uploads files.

The conversation lives in a `gr.State` of plain {"role", "content"} messages as typed and answered;
the Chatbot only shows an HTML-escaped copy, so `<img src=x onerror=...>` reads as the text it is.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr

from rag.models import Answer, Filters, Passage, Sources
from ui.corpus_view import names_of, render_report, render_stats
from ui.inputs import NOTICE, UserFacingError, check_question, history_to_messages, to_as_of, to_filters
from ui.loading import AssistantLoader, CorpusStatus
from ui.settings import AppSettings
from ui.sources_view import EMPTY_SOURCES, WORKING_HTML, render_pending, render_sources
from ui.uploads import Rejected, stage_uploads

log = logging.getLogger(__name__)

Message = dict[str, str]
Views = tuple[str, str, str]  # the answer text so far, the Sources panel, the other-passages panel


def to_display(messages: list[Message]) -> list[Message]:
    """The Chatbot's copy of the conversation: text escaped, so nothing typed is rendered as HTML."""
    return [{"role": m["role"], "content": html.escape(m["content"], quote=False)} for m in messages]


def _day(as_of: date | None) -> dict[str, date]:
    """`as_of` only when given, as `newsrag ask` does: otherwise the assistant takes today."""
    return {"as_of": as_of} if as_of is not None else {}


@dataclass
class ChatHandlers:
    """The event handlers `ui.layout.build_ui` wires to the page; tests call them directly."""

    loader: AssistantLoader
    corpus: CorpusStatus
    settings: AppSettings
    ingest_fn: Callable[[list[Path]], Any]
    uploads_dir: Path

    def answer(
        self,
        message: Any,
        history: Any,
        sources: Any = None,
        languages: Any = None,
        since: Any = None,
        until: Any = None,
        as_of: Any = None,
    ) -> Iterator[Views]:
        """Stream one answer: the sources as soon as retrieval is done, then the text, then the
        verified answer with each source card marked cited or not. `as_of`: the "As of" box."""
        try:
            question = check_question(message, self.settings.max_question_chars)
            filters = to_filters(sources, languages, since, until)
            day = to_as_of(as_of)
            assistant = self.loader.get()
        except UserFacingError as exc:
            yield NOTICE + str(exc), EMPTY_SOURCES, ""
            return
        slots = self.loader.slots
        if not slots.try_acquire():
            yield "⏳ Waiting: the model is busy with another question…", WORKING_HTML, ""
            slots.acquire()
        try:
            yield from self._stream(assistant, question, history_to_messages(history), filters, day)
        except Exception as exc:
            log.exception("answering %r failed", question)
            yield NOTICE + f"Something went wrong while answering: {type(exc).__name__}: {exc}", "", ""
        finally:
            slots.release()

    def _stream(
        self, assistant: Any, question: str, messages: list[Message], filters: Filters, as_of: date | None
    ) -> Iterator[Views]:
        text, panels, final = "", (WORKING_HTML, ""), None
        context: tuple[Passage, ...] = ()
        yield "…", *panels
        for item in assistant.stream(
            question, filters=None if filters.is_empty() else filters, history=messages, **_day(as_of)
        ):
            if isinstance(item, Sources):
                context = item.context
                panels = render_pending(item, filters)
                yield text or "…", *panels
            elif isinstance(item, str):
                text += item
                yield text, *panels
            elif isinstance(item, Answer):
                final = item
        if final is None:
            yield NOTICE + "The assistant finished without an answer.", "", ""
            return
        yield final.text, *render_sources(final, filters, context)

    def take_question(self, message: str, history: list[Message]) -> tuple[Any, list[Message], str]:
        """Show the question at once (no queue), clear and lock the box; the placeholder stays."""
        shown = [*history, {"role": "user", "content": message}] if (message or "").strip() else history
        return gr.update(value="", interactive=False), to_display(shown), message or ""

    def take_example(self, history: list[Message], example: gr.SelectData) -> tuple[Any, list[Message], str]:
        value = example.value
        return self.take_question(value.get("text", "") if isinstance(value, dict) else str(value), history)

    def respond(self, question: str, history: list[Message], *filter_values: Any) -> Iterator[tuple]:
        """The chat's answer, streamed into the Chatbot; the conversation state changes at the end."""
        history = list(history or [])
        asked = [*history, {"role": "user", "content": question}] if question.strip() else history
        text, panels = "", (EMPTY_SOURCES, "")
        for text, *panels in self.answer(question, history, *filter_values):
            yield to_display([*asked, {"role": "assistant", "content": text}]), history, *panels
        done = [*asked, {"role": "assistant", "content": text}]
        yield to_display(done), done, *panels

    def chat_api(
        self,
        message: str,
        history: list[Message],
        sources: Any,
        languages: Any,
        since: Any,
        until: Any,
        as_of: Any = None,
    ) -> Iterator[tuple]:
        """`/chat`: the answer text and both panels; each API client keeps its own conversation.
        `as_of` defaults to None so that clients written before the "As of" box still work."""
        history = list(history or [])
        text, panels = "", (EMPTY_SOURCES, "")
        for text, *panels in self.answer(message, history, sources, languages, since, until, as_of):
            yield text, history, *panels
        done = [*history, {"role": "user", "content": message}, {"role": "assistant", "content": text}]
        yield text, done, *panels

    def ask(
        self,
        question: str,
        sources: list[str] | None = None,
        languages: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        as_of: str | None = None,
    ) -> dict:
        """Answer one question (no conversation) and return the Answer as JSON with its citations,
        the dates its time words searched (resolved against `as_of`, default today) and its notes
        (e.g. why a filter matched no article)."""
        try:
            question = check_question(question, self.settings.max_question_chars)
            filters = to_filters(sources, languages, since, until)
            day = to_as_of(as_of)
            assistant = self.loader.get()
        except UserFacingError as exc:
            raise gr.Error(str(exc)) from None
        try:
            with self.loader.slots.shared():
                answer = assistant.ask(question, filters=None if filters.is_empty() else filters, **_day(day))
        except Exception as exc:
            log.exception("answering %r failed", question)
            raise gr.Error(f"Something went wrong while answering: {type(exc).__name__}: {exc}") from None
        return {**answer.to_json(), "notes": list(answer.notes)}

    def corpus_view(self) -> tuple[str, Any, Any]:
        stats, problem = self.corpus.get()
        sources = names_of(stats.get("sources", [])) if stats else []
        languages = names_of(stats.get("languages", [])) if stats else []
        return render_stats(stats, problem), gr.update(choices=sources), gr.update(choices=languages)

    def ingest(self, files: list | None) -> tuple:
        if not files:
            return (
                render_report(None, [Rejected("(nothing)", "choose one or more files first")]),
                *self.corpus_view(),
            )
        staged, rejected = stage_uploads(
            files, self.uploads_dir, self.settings.max_upload_bytes, self.settings.max_upload_files
        )
        report = None
        if staged:
            try:
                with self.loader.slots.exclusive():  # the ingest embeds with the assistant's model
                    report = self.ingest_fn(staged)
            except Exception as exc:
                log.exception("ingest of uploads failed")
                rejected = [*rejected, Rejected(", ".join(p.name for p in staged), f"ingest failed: {exc}")]
            self.corpus.invalidate()
            if report is not None:
                self.loader.after_ingest(report.stored)
        return (render_report(report, rejected, base=self.uploads_dir), *self.corpus_view())

    def model_tick(self) -> tuple[str, Any]:
        done = self.loader.state in ("ready", "failed", "no_index")
        return self.loader.status_html(), gr.Timer(active=not done)
