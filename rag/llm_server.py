"""Serve the packaged generator over an OpenAI-compatible API, for app replicas to share.

    python -m rag.llm_server [--host 127.0.0.1] [--port 8001]

runs llama-cpp-python's server (`pip install 'llama-cpp-python[server]'`) on the same GGUF, context
size and threads as the in-process generator (the model is assembled from its PyPI parts first if
needed), then prints the NEWSRAG_* settings that point newsrag at it. With temperature 0 its answers
are the in-process ones with `NEWSRAG_LLM_PREFIX_SNAPSHOTS=false` (tests/rag/test_remote_generator.py;
docs/deploy.md says why the default in-process arithmetic can differ at a threshold).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rag.llm import default_batch_threads, default_threads, packaged_model_path
from rag.settings import RagSettings

DEFAULT_PORT = 8001  # 8000 is Chroma's
DEFAULT_ALIAS = "newsrag-generator"


def server_command(settings: RagSettings, model_path: Path, host: str, port: int, alias: str) -> list[str]:
    """The `python -m llama_cpp.server` command line for `model_path`, matching our in-process settings."""
    threads = settings.llm_threads or default_threads()
    batch_threads = settings.llm_batch_threads or default_batch_threads()
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path), "--model_alias", alias,
        "--host", host, "--port", str(port),
        "--n_ctx", str(settings.llm_context_window),
        "--n_batch", str(settings.llm_batch_size),
        "--n_threads", str(threads), "--n_threads_batch", str(batch_threads),
        "--n_gpu_layers", "0", "--seed", "0",
        # By default the server cuts a stream off (a silent "[DONE]") whenever another request arrives.
        "--interrupt_requests", "False",
        # The answer checks read Yes/No probabilities from `top_logprobs` (rag/judge.py), which this
        # server only returns for a model loaded with logits for every prompt token (its default).
        # Cost, measured in docs/deploy.md: more memory and the output layer run on the whole prompt.
        "--logits_all", "True",
        # Like the in-process model: pages come from the page cache, shared with other processes.
        "--use_mlock", "False",
    ]  # fmt: skip


def client_environment(base_url: str, alias: str = DEFAULT_ALIAS) -> dict[str, str]:
    """The NEWSRAG_* variables that make newsrag (CLI, app, eval) answer through the server at `base_url`."""
    return {"NEWSRAG_GENERATOR": "openai", "NEWSRAG_OPENAI_BASE_URL": base_url, "NEWSRAG_OPENAI_MODEL": alias}


def main(argv: Sequence[str] | None = None) -> int:
    from index.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(prog="python -m rag.llm_server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default %(default)s)")
    parser.add_argument(
        "--alias", default=DEFAULT_ALIAS, help="model name clients ask for (default %(default)s)"
    )
    args = parser.parse_args(argv)
    settings = RagSettings()
    model = packaged_model_path(settings)
    command = server_command(settings, model, args.host, args.port, args.alias)
    shown = "localhost" if args.host in ("0.0.0.0", "::") else args.host
    env = client_environment(f"http://{shown}:{args.port}/v1", args.alias)
    print("Serving", model, "; point newsrag at it with:", flush=True)
    for key, value in env.items():
        print(f"  export {key}={value}", flush=True)
    os.execv(sys.executable, command)  # the server replaces us: signals and memory are its own
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
