"""The generator behind llama-cpp-python's real OpenAI-compatible server, started on a loopback port.

One server for the module (the packaged GGUF with our context size and threads, `python -m
rag.llm_server`'s command line) and a tiny index of the China Daily article. Through it: the same
answers as the in-process generator, `newsrag ask`, `newsrag eval` and the UI (streaming). A second
server is frozen (a timeout the user set), then killed mid-answer (a clear error at once).
"""

from __future__ import annotations

import itertools
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_index.core.llms import ChatMessage, MessageRole

import cli
import deploy
from index.pipeline import Ingestor
from index.settings import IndexSettings
from index.store import NewsIndex
from rag.assistant import Assistant
from rag.context import ContextSelector, ordering_notes
from rag.generation import build_messages
from rag.llm import GeneratorTimeoutError, GeneratorUnavailableError, build_llm, packaged_model_path
from rag.llm_server import DEFAULT_ALIAS, client_environment
from rag.models import Answer, Passage
from rag.prompts import messages_to_chatml
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings

pytestmark = pytest.mark.slow

CHINA_DAILY = (
    Path(__file__).resolve().parents[2] / "index" / "demo" / "chinadaily-2015-07-23-aliyun-data-centers.txt"
)
SEED = "When did Aliyun open its first US data center?"
# Two questions: each is answered twice (in process and remotely), and CI's time is short.
QUESTIONS = [SEED, "How many customers does Aliyun serve?"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[deploy.Service]:
    service = deploy.start_generator(tmp_path_factory.mktemp("generator-logs"))
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("index")
    report = Ingestor(IndexSettings(index_dir=directory)).run([CHINA_DAILY])
    assert report.stored == 1, report.summary()
    return directory


def _remote(server: deploy.Service, index_dir: Path, **changes: object) -> RagSettings:
    return RagSettings(
        index=IndexSettings(index_dir=index_dir),
        generator="openai",
        openai_base_url=server.url,
        openai_model=DEFAULT_ALIAS,
        **changes,
    )


def _contexts(settings: RagSettings) -> list[tuple[str, list[Passage], list[str]]]:
    """What the assistant would give the generator for each question (retrieval is deterministic)."""
    retriever = HybridRetriever(NewsIndex.open(settings.index), settings)
    selector = ContextSelector(
        settings.context_passages, settings.context_per_article, min_ratio=settings.context_min_ratio
    )
    out = []
    for question in QUESTIONS:
        passages = selector.run(question, retriever.search(question, top_k=settings.retrieve_top_k).passages)
        out.append((question, passages, ordering_notes(question, passages)))
    return out


def test_the_server_renders_our_chatml_byte_for_byte(index_dir: Path) -> None:
    """The server formats chats with the GGUF's own template; for our messages it must be the ChatML
    the in-process generator renders (rag/prompts.py), so both see the same tokens."""
    from llama_cpp import Llama, llama_chat_format

    model = Llama(model_path=str(packaged_model_path(RagSettings())), vocab_only=True, verbose=False)
    assert model.chat_format == "chat_template.default"  # what the server will use: the GGUF's template
    formatter = llama_chat_format.Jinja2ChatFormatter(
        template=model.metadata["tokenizer.chat_template"],
        eos_token=model.detokenize([model.token_eos()], special=True).decode(),
        bos_token=model.detokenize([model.token_bos()], special=True).decode(),
    )
    question, passages, notes = _contexts(RagSettings(index=IndexSettings(index_dir=index_dir)))[0]
    rewrite = [
        ChatMessage(role=MessageRole.SYSTEM, content="Rewrite the last user question."),
        ChatMessage(
            role=MessageRole.USER, content="Conversation:\nuser: Aliyun?\n\nLast user question: When?"
        ),
    ]
    for messages in (build_messages(question, passages, notes), rewrite):
        as_sent = [{"role": m.role.value, "content": m.content} for m in messages]
        assert formatter(messages=as_sent).prompt == messages_to_chatml(messages)


def test_answers_agree_with_the_in_process_generator(
    server: deploy.Service, index_dir: Path, no_network: list[str]
) -> None:
    """The whole answering flow both ways: the generated text byte for byte, and what the checks made
    of it (they read Yes/No probabilities: llama.cpp logits in process, `top_logprobs` remotely). In
    process without prompt-opening snapshots, so both reuse prompt prefixes as llama-cpp-python does
    (with them the arithmetic differs in the last bits: docs/deploy.md)."""
    remote_settings = _remote(server, index_dir)
    local = Assistant.open(
        settings=remote_settings.model_copy(update={"generator": "llamacpp", "llm_prefix_snapshots": False})
    )
    remote = Assistant.open(settings=remote_settings)

    def outcome(answer: Answer) -> tuple[object, ...]:
        raw = next((n for n in answer.notes if n.startswith("raw: ")), None)
        return raw, answer.text, answer.abstained, [c.quote for c in answer.citations]

    pairs = [(outcome(local.ask(q)), outcome(remote.ask(q))) for q in QUESTIONS]
    assert [r for _, r in pairs] == [loc for loc, _ in pairs]
    assert "march 2015" in str(pairs[0][0][0]).lower(), pairs  # and real answers were generated
    assert no_network == []


def test_cli_ask_and_eval_answer_through_the_server(
    server: deploy.Service,
    index_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_network: list[str],
) -> None:
    for key, value in client_environment(server.url).items():
        monkeypatch.setenv(key, value)
    requests = server.log_count(deploy.CHAT_REQUEST)
    assert cli.main(["ask", SEED, "--index", str(index_dir), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert answer["retrieved"] and answer["timings_ms"]["generate"] > 0, answer
    assert server.log_count(deploy.CHAT_REQUEST) > requests  # the answer was generated by the server

    out = tmp_path / "seed.json"
    argv = ["eval", "seed", "--limit", "2", "--index", str(index_dir), "--json", str(out), "--no-progress"]
    assert cli.main(argv) == 0
    result = json.loads(out.read_text())
    assert result["meta"]["settings"]["generator"] == "openai"
    overall = result["summary"]["overall"]
    assert overall["n"] == 2 and overall["errors"] == 0, overall
    assert no_network == []


def test_the_ui_streams_answers_from_the_server(
    server: deploy.Service, index_dir: Path, tmp_path: Path
) -> None:
    from gradio_client import Client

    # No answer cache: the same question is asked twice, and the second must stream from the server.
    environment = {**client_environment(server.url), "NEWSRAG_ANSWER_CACHE_SIZE": "0"}
    app = deploy.start_app("app", environment, tmp_path / "logs", ["--index", str(index_dir)])
    try:
        asked = deploy.ask_api(app.url, SEED)  # also waits for the app's assistant to load
        assert asked["retrieved"], asked

        client = Client(app.url, verbose=False)
        job = client.submit(SEED, [], [], None, None, api_name="/chat")
        text, cited, uncited = job.result(timeout=300)
        shown = [output[0] for output in job.outputs()]
        client.close()
    finally:
        app.stop()
    assert text == asked["answer"] and "China Daily" in cited + uncited  # the sources panels
    partial = [s for s in dict.fromkeys(shown) if s not in ("…", text)]  # the raw text as it grew
    assert len(partial) >= 2 and all(b.startswith(a) for a, b in itertools.pairwise(partial)), shown
    assert "march 2015" in partial[-1].lower(), shown  # the server's answer, streamed into the chat


def test_a_frozen_then_killed_server_fails_in_bounded_time_naming_it(index_dir: Path, tmp_path: Path) -> None:
    service = deploy.start_generator(tmp_path)
    try:
        # Short answers while frozen: a request the kernel queued for the stopped server is read, and
        # answered to nobody, once it runs again.
        impatient = build_llm(_remote(service, index_dir, request_timeout_s=4.0, llm_max_new_tokens=4))
        count = [ChatMessage(role=MessageRole.USER, content="Count from 1 to 60, separated by commas.")]

        service.process.send_signal(signal.SIGSTOP)  # accepts connections, never answers
        try:
            started = time.monotonic()
            with pytest.raises(GeneratorTimeoutError, match=f"{service.url} did not finish within 4 s"):
                list(impatient.stream_chat(count))
            assert time.monotonic() - started < 6
        finally:
            service.process.send_signal(signal.SIGCONT)

        llm = build_llm(_remote(service, index_dir, request_timeout_s=60.0, llm_max_new_tokens=200))
        stream = llm.stream_chat(count)
        first = next(stream)  # answering again once it is back
        assert first.delta is not None
        service.process.kill()  # dies mid-answer
        started = time.monotonic()
        with pytest.raises(GeneratorUnavailableError, match=f"Lost the generator server at {service.url}"):
            for _ in stream:
                pass
        assert time.monotonic() - started < 3

        service.process.wait(timeout=30)  # gone for good: nothing listens on its port any more
        started = time.monotonic()
        with pytest.raises(
            GeneratorUnavailableError, match=f"Cannot reach the generator server at {service.url}"
        ):
            llm.complete("Hello")
        assert time.monotonic() - started < 3
    finally:
        service.stop()
