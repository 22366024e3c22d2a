"""`python -m rag.llm_server`'s command line, read back by the installed llama-cpp-python server's own
parser (nothing is started): the flags that matter mean what docs/deploy.md says."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from rag.llm_server import DEFAULT_ALIAS, client_environment, server_command
from rag.settings import RagSettings


def _parsed(command: list[str]) -> tuple[object, object]:
    pytest.importorskip("sse_starlette", reason="the llama-cpp-python[server] extra is not installed")
    from llama_cpp.server.cli import add_args_from_model, parse_model_from_args
    from llama_cpp.server.settings import ModelSettings, ServerSettings, Settings

    parser = argparse.ArgumentParser()
    add_args_from_model(parser, Settings)
    assert command[1:3] == ["-m", "llama_cpp.server"]
    args = parser.parse_args(command[3:])
    return parse_model_from_args(ServerSettings, args), parse_model_from_args(ModelSettings, args)


def test_the_server_runs_our_model_like_the_in_process_generator(tmp_path: Path) -> None:
    settings = RagSettings(llm_threads=3, llm_batch_threads=5, llm_context_window=2048, llm_batch_size=256)
    model = tmp_path / "model.gguf"
    server, loaded = _parsed(server_command(settings, model, "127.0.0.1", 8123, DEFAULT_ALIAS))
    assert (server.host, server.port) == ("127.0.0.1", 8123)
    assert server.interrupt_requests is False  # else a second user's request cuts the first answer off
    assert loaded.model == str(model) and loaded.model_alias == DEFAULT_ALIAS
    assert (loaded.n_ctx, loaded.n_batch, loaded.n_threads, loaded.n_threads_batch) == (2048, 256, 3, 5)
    assert loaded.logits_all is True  # the judge's top_logprobs need it (rag/judge.py)
    assert loaded.use_mlock is False and loaded.n_gpu_layers == 0


def test_client_environment_points_newsrag_at_the_server() -> None:
    env = client_environment("http://127.0.0.1:8001/v1")
    settings = RagSettings(**{k.removeprefix("NEWSRAG_").lower(): v for k, v in env.items()})
    assert (settings.generator, settings.openai_base_url, settings.openai_model) == (
        "openai",
        "http://127.0.0.1:8001/v1",
        DEFAULT_ALIAS,
    )
