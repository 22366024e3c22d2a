"""The page: filters and corpus on the left, the chat in the middle, the sources on the right.

The chat is wired from Gradio's Chatbot and Textbox rather than `gr.ChatInterface`, which renders
the typed question as HTML and clears the input's placeholder for good after the first answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from ui.chat import ChatHandlers
from ui.loading import AssistantLike, AssistantLoader, CorpusStatus
from ui.login import LoginThrottle
from ui.settings import AppSettings
from ui.sources_view import EMPTY_SOURCES
from ui.uploads import UPLOAD_SUFFIXES, size_limit_text

EXAMPLES = [
    "When did Aliyun open its first US data center?",
    "Where will Alibaba's cloud unit open new data centers?",
    "How many people died when the apartment building in Magnitogorsk collapsed?",
    "美国为什么批评中国在香港成立国际调解院？",
]

CSS = """
.nr-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px;
  margin-bottom: 8px; }
.nr-card.nr-not-cited { opacity: 0.6; }
.nr-card.nr-pending { border-style: dashed; }
.nr-badge { font-size: 0.75em; font-weight: 400; padding: 0 6px; border-radius: 8px;
  background: var(--background-fill-secondary); color: var(--body-text-color-subdued); }
.nr-cited .nr-badge { background: #dcfce7; color: #166534; }
.nr-head { font-weight: 600; }
.nr-n, .nr-score, .nr-num { font-variant-numeric: tabular-nums; margin-right: 4px; }
.nr-meta, .nr-timings, .nr-filters, .nr-dates, .nr-empty { color: var(--body-text-color-subdued); font-size: 0.85em; }
.nr-passage { margin: 6px 0 0; padding-left: 8px; border-left: 3px solid var(--border-color-primary);
  white-space: pre-wrap; font-size: 0.9em; }
.nr-passage mark { background: #fde68a; color: #111; padding: 0 1px; }
.nr-uncited { margin-bottom: 8px; }
.nr-uncited-list { max-height: 520px; overflow-y: auto; padding-right: 4px; }
.nr-status dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0 0 6px; }
.nr-status dt { font-weight: 600; }
.nr-status dd { margin: 0; }
.nr-source-table { width: 100%; font-size: 0.85em; border-collapse: collapse; }
.nr-source-table td { padding: 1px 4px; border: none; }
.nr-source-table .nr-num { text-align: right; width: 4em; }
.nr-more summary { cursor: pointer; font-size: 0.85em; color: var(--body-text-color-subdued); }
.nr-more .nr-source-table { max-height: 300px; overflow-y: auto; display: block; }
.nr-warn { color: #b45309; }
.nr-ok { color: #15803d; }
.nr-busy { color: #1d4ed8; }
.nr-skips { font-size: 0.85em; }
#nr-chat .message-content, #nr-chat .md { white-space: pre-wrap; }
"""


@dataclass
class UI:
    """What `build_ui` wires together; tests reach into it."""

    demo: gr.Blocks
    loader: AssistantLoader
    corpus: CorpusStatus
    settings: AppSettings
    handlers: ChatHandlers

    def launch(self, logins: list[tuple[str, str]] | None = None) -> None:
        """Start serving (without blocking): as many answers at once as the assistant's slots."""
        self.demo.queue(default_concurrency_limit=self.loader.slots.capacity)
        self.demo.launch(**launch_options(self.settings, logins), prevent_thread_lock=True)


def launch_options(settings: AppSettings, logins: list[tuple[str, str]] | None) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch`: never a share tunnel or telemetry; with logins, failed
    attempts are slowed down per client."""
    options: dict[str, Any] = {
        "server_name": settings.app_host,
        "server_port": settings.app_port,
        "auth": logins,
        "share": False,  # explicit: GRADIO_SHARE=True in the environment must not open a tunnel
        "ssr_mode": False,
        "mcp_server": False,
        "enable_monitoring": False,
        "max_file_size": settings.max_upload_bytes,
        "show_error": False,
        "quiet": True,  # its banner suggests share=True; app.py prints the address instead
        "css": CSS,
    }
    if logins:
        options["auth_message"] = "Sign in to newsrag."
        throttle = Middleware(
            LoginThrottle, first_delay_s=settings.login_delay_s, max_delay_s=settings.login_max_delay_s
        )
        options["app_kwargs"] = {"middleware": [throttle]}
    return options


def _filters_column(settings: AppSettings) -> dict[str, Any]:
    gr.Markdown("### Filters")
    # Choices arrive with the page (demo.load); custom values are allowed because the server checks
    # values against the choices it was built with. An unknown source is explained in the answer.
    parts = {
        "sources": gr.Dropdown(
            choices=[],
            value=[],
            multiselect=True,
            allow_custom_value=True,
            label="Sources",
            elem_id="nr-f-sources",
        ),
        "languages": gr.Dropdown(
            choices=[],
            value=[],
            multiselect=True,
            allow_custom_value=True,
            label="Languages",
            elem_id="nr-f-languages",
        ),
        "since": gr.DateTime(
            include_time=False, type="string", label="Published since", elem_id="nr-f-since"
        ),
        "until": gr.DateTime(
            include_time=False, type="string", label="Published until", elem_id="nr-f-until"
        ),
        "as_of": gr.DateTime(
            include_time=False,
            type="string",
            label="As of",
            info="the day of the question: 'last week', '上周' count from it (empty: today)",
            elem_id="nr-f-as-of",
        ),
    }
    with gr.Accordion("Corpus", open=True):
        parts["corpus"] = gr.HTML(elem_id="nr-corpus")
        parts["upload"] = gr.File(
            file_count="multiple",
            file_types=list(UPLOAD_SUFFIXES),
            label=f"Add articles (JSONL, JSON, HTML, text; {size_limit_text(settings.max_upload_bytes)})",
            elem_id="nr-upload",
        )
        parts["add"] = gr.Button("Add to index", elem_id="nr-add")
        parts["report"] = gr.HTML(elem_id="nr-report")
    return parts


def _chat_column(settings: AppSettings, examples: Sequence[str]) -> dict[str, Any]:
    return {
        "chatbot": gr.Chatbot(
            height=560,
            buttons=["copy", "copy_all"],  # no "share": it uploads to Hugging Face
            elem_id="nr-chat",
            label="Conversation",
            placeholder="Ask about the news in the corpus. Answers cite their sources as [1], [2].",
            render_markdown=False,  # with the escaping in ui.chat.to_display: shown as typed
            examples=[{"text": q} for q in examples],
        ),
        "textbox": gr.Textbox(
            placeholder=f"Ask a question (up to {settings.max_question_chars:,} characters)",
            elem_id="nr-question",
            show_label=False,
            submit_btn=True,
        ),
        "history": gr.State([]),  # the conversation as typed: what the assistant reads
        "pending": gr.State(""),  # the question being answered
        "api_question": gr.Textbox(visible=False),
        "api_answer": gr.Textbox(visible=False),
        "api_button": gr.Button(visible=False),
    }


def _wire_chat(
    h: ChatHandlers, c: dict[str, Any], filters: list[Any], panels: list[Any], capacity: int
) -> None:
    """Question shown at once, answer streamed in a shared pool of `capacity` slots, box unlocked."""
    answering = {"concurrency_id": "answer", "concurrency_limit": capacity}
    take = {
        "outputs": [c["textbox"], c["chatbot"], c["pending"]],
        "queue": False,
        "api_visibility": "private",
    }
    respond = {
        "fn": h.respond,
        "inputs": [c["pending"], c["history"], *filters],
        "outputs": [c["chatbot"], c["history"], *panels],
        "api_visibility": "private",
        **answering,
    }
    unlock = {
        "fn": lambda: gr.update(interactive=True),
        "outputs": [c["textbox"]],
        "queue": False,
        "api_visibility": "private",
    }
    c["textbox"].submit(h.take_question, [c["textbox"], c["history"]], **take).then(**respond).then(**unlock)
    c["chatbot"].example_select(h.take_example, [c["history"]], **take).then(**respond).then(**unlock)
    c["chatbot"].clear(
        lambda: ([], EMPTY_SOURCES, ""),
        outputs=[c["history"], *panels],
        queue=False,
        api_visibility="private",
    )
    c["api_button"].click(
        h.chat_api,
        [c["api_question"], c["history"], *filters],
        [c["api_answer"], c["history"], *panels],
        api_name="chat",
        **answering,
    )
    gr.api(h.ask, api_name="ask", **answering)


def build_ui(
    assistant_factory: Callable[[], AssistantLike],
    ingest_fn: Callable[[list[Path]], Any],
    stats_fn: Callable[[], dict],
    uploads_dir: Path,
    settings: AppSettings | None = None,
    examples: Sequence[str] = EXAMPLES,
    start_loading: bool = True,
    concurrency: int = 1,
) -> UI:
    """The Blocks app; every dependency is injected so tests can run it with fakes. `concurrency`:
    questions answered at once (`ui.settings.answer_concurrency`)."""
    settings = settings or AppSettings()
    loader = AssistantLoader(assistant_factory, concurrency)
    corpus = CorpusStatus(stats_fn)
    h = ChatHandlers(loader, corpus, settings, ingest_fn, uploads_dir)
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
                side = _filters_column(settings)
            with gr.Column(scale=3, min_width=380):
                chat = _chat_column(settings, examples)
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Sources")
                sources_html = gr.HTML(EMPTY_SOURCES, elem_id="nr-sources")
                with gr.Accordion("Other retrieved passages", open=False, elem_id="nr-uncited-acc"):
                    uncited_html = gr.HTML("", elem_id="nr-uncited")

        filters = [side["sources"], side["languages"], side["since"], side["until"], side["as_of"]]
        _wire_chat(h, chat, filters, [sources_html, uncited_html], loader.slots.capacity)
        corpus_outputs = [side["corpus"], side["sources"], side["languages"]]
        side["add"].click(h.ingest, [side["upload"]], [side["report"], *corpus_outputs], api_name="ingest")
        timer.tick(h.model_tick, outputs=[model_status, timer], queue=False, api_visibility="private")
        demo.load(h.corpus_view, outputs=corpus_outputs, api_visibility="private")
        demo.load(h.model_tick, outputs=[model_status, timer], queue=False, api_visibility="private")

    if start_loading:
        loader.start()
    return UI(demo, loader, corpus, settings, h)
