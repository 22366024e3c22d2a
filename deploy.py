"""newsrag for a team on one machine: a Chroma server, a generator server and N app replicas.

    python deploy.py --smoke [--replicas 2] [--corpus PATH ...]   # start, ask each replica, stop
    python deploy.py [--replicas 2] [--corpus PATH ...]           # start and keep serving (Ctrl+C)

Everything binds to 127.0.0.1 on free ports under a fresh `--workdir` (a temporary one by default):
`chroma run` on `<workdir>/chroma`, the corpus (default: the demo corpus) ingested into it with
`newsrag ingest --chroma-host` (or, with `--from-index DIR`, a copy of an embedded index's Chroma
directory, which `chroma run` serves as it is), `python -m rag.llm_server` on the packaged GGUF,
then the replicas (`app.py`, each with its own state directory for the BM25 files it builds from
the server). Prints each process's address and resident memory. `--smoke` asks every replica the
seed question through its API and exits 1 unless each answer came through both servers (passages
from Chroma, text from the generator server). docs/deploy.md explains the parts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.settings import RagSettings

REPO = Path(__file__).resolve().parent
DEMO_DIR = REPO / "index" / "demo"
SEED_QUESTION = "When did Aliyun open its first US data center?"
# Child processes never call home (their own entry points also call enforce_offline()).
QUIET_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "CHROMA_ANONYMIZED_TELEMETRY": "False",
}


class DeployError(RuntimeError):
    """A part of the deployment did not start or answer; the message says which and where its log is."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def memory_mib(pid: int) -> dict[str, float]:
    """Resident memory of a process from /proc (Linux): total, anonymous (its own) and file-backed
    (mapped files such as the GGUF: shared through the page cache, reclaimable)."""
    fields = {"VmRSS": "rss", "RssAnon": "anon", "RssFile": "file"}
    out: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in fields:
                out[fields[key]] = int(value.split()[0]) / 1024
    return out


def http_ok(url: str, timeout: float = 2.0) -> bool:
    """True when `url` answers 200 (the deployment's own loopback readiness checks, never via a proxy)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@dataclass
class Service:
    """One started process: its address, its log file, and how to stop it."""

    name: str
    process: subprocess.Popen
    url: str
    log: Path

    def memory(self) -> dict[str, float]:
        return memory_mib(self.process.pid)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 15 s; always reaped."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.wait(timeout=30)

    def log_count(self, needle: str) -> int:
        """How many lines of its log contain `needle` (e.g. the requests a server has answered)."""
        with contextlib.suppress(OSError):
            return sum(needle in line for line in self.log.read_text(errors="replace").splitlines())
        return 0

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def start_service(
    name: str,
    command: Sequence[str],
    url: str,
    ready: Callable[[], bool],
    log: Path,
    env: dict[str, str] | None = None,
    timeout_s: float = 300.0,
) -> Service:
    """Start `command`, logging to `log`, and wait until `ready()`; a process that exits or stays
    unready past `timeout_s` is stopped and reported with the end of its log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            list(command), stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **QUIET_ENV, **(env or {})},
            cwd=REPO,
        )  # fmt: skip
    service = Service(name, process, url, log)
    deadline = time.monotonic() + timeout_s
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            status = (
                f"exited with {process.returncode}"
                if process.poll() is not None
                else f"not ready in {timeout_s:g} s"
            )
            service.stop()
            raise DeployError(f"{name} {status}; its log {log} ends:\n{service.log_tail()}")
        time.sleep(0.3)
    return service


def start_chroma(data_dir: Path, logs: Path) -> Service:
    """`chroma run` on a free loopback port, ready when its heartbeat answers."""
    exe = Path(sys.executable).parent / "chroma"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(exe), "run", "--path", str(data_dir), "--host", "127.0.0.1", "--port", str(port)]
    return start_service(
        "chroma", command, url, lambda: http_ok(f"{url}/api/v2/heartbeat"), logs / "chroma.log"
    )


def start_generator(logs: Path, settings: RagSettings | None = None) -> Service:
    """`llama_cpp.server` on the packaged GGUF (assembled first if needed), ready when /v1/models answers."""
    from rag.llm import packaged_model_path
    from rag.llm_server import DEFAULT_ALIAS, server_command
    from rag.settings import RagSettings

    settings = settings or RagSettings()
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = server_command(settings, packaged_model_path(settings), "127.0.0.1", port, DEFAULT_ALIAS)
    return start_service("generator", command, url, lambda: http_ok(f"{url}/models"), logs / "generator.log")


def start_app(name: str, env: dict[str, str], logs: Path, extra_args: Sequence[str] = ()) -> Service:
    """`app.py` on a free loopback port (no demo build), ready when Gradio's config answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, str(REPO / "app.py"), "--port", str(port), "--no-demo", *extra_args]
    return start_service(name, command, url, lambda: http_ok(f"{url}config"), logs / f"{name}.log", env=env)


def ask_api(url: str, question: str, ready_timeout_s: float = 300.0) -> dict:
    """Ask an app's `/ask` API, waiting while its assistant loads in the background."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    started = time.monotonic()
    try:
        while True:
            try:
                return dict(client.predict(question, api_name="/ask"))
            except Exception as exc:
                if "still loading" not in str(exc) or time.monotonic() - started > ready_timeout_s:
                    raise
                time.sleep(2)
    finally:
        client.close()


@dataclass
class Stack:
    """The started services, stopped together (apps first, then the servers they use)."""

    chroma: Service
    generator: Service
    apps: list[Service] = field(default_factory=list)

    @property
    def services(self) -> list[Service]:
        return [self.chroma, self.generator, *self.apps]

    def stop(self) -> None:
        for service in reversed(self.services):
            with contextlib.suppress(Exception):
                service.stop()


def replica_env(chroma: Service, generator: Service, state_dir: Path) -> dict[str, str]:
    """What makes an app replica use the shared servers; `state_dir` holds its own BM25 files."""
    from rag.llm_server import client_environment

    port = chroma.url.rsplit(":", 1)[1]
    return {
        "NEWSRAG_CHROMA_HOST": "127.0.0.1",
        "NEWSRAG_CHROMA_PORT": port,
        "NEWSRAG_INDEX_DIR": str(state_dir),
        **client_environment(generator.url),
    }


@contextlib.contextmanager
def deployed(
    workdir: Path, corpus: Sequence[Path], replicas: int, from_index: Path | None = None
) -> Iterator[Stack]:
    """Chroma server + ingest + generator server + `replicas` apps, all on loopback; stopped on exit.

    `from_index`: serve a copy of an embedded index's Chroma directory (`<index>/chroma`, the same
    format `chroma run` keeps) instead of ingesting `corpus`.
    """
    logs = workdir / "logs"
    if from_index is not None:
        source = from_index / "chroma"
        if not (source / "chroma.sqlite3").is_file():
            raise DeployError(
                f"{from_index} holds no embedded Chroma index ({source}/chroma.sqlite3 missing)"
            )
        shutil.copytree(source, workdir / "chroma")
    chroma = start_chroma(workdir / "chroma", logs)
    stack: Stack | None = None
    try:
        if from_index is None:
            ingest_into(chroma, corpus, workdir)
        stack = Stack(chroma, start_generator(logs))
        for n in range(1, replicas + 1):
            env = replica_env(chroma, stack.generator, workdir / f"replica{n}")
            stack.apps.append(start_app(f"app{n}", env, logs))
        yield stack
    finally:
        if stack is not None:
            stack.stop()
        else:
            chroma.stop()


def ingest_into(chroma: Service, corpus: Sequence[Path], workdir: Path) -> None:
    """`newsrag ingest CORPUS --chroma-host` into the Chroma server; its output goes to logs/ingest.log."""
    port = chroma.url.rsplit(":", 1)[1]
    command = [sys.executable, str(REPO / "cli.py"), "ingest", *map(str, corpus), "--no-progress",
               "--chroma-host", "127.0.0.1", "--chroma-port", port]  # fmt: skip
    env = {**os.environ, **QUIET_ENV, "NEWSRAG_INDEX_DIR": str(workdir / "ingest-state")}
    log = workdir / "logs" / "ingest.log"
    with log.open("w") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    if done.returncode != 0:
        raise DeployError(f"newsrag ingest exited with {done.returncode}; see {log}")


def memory_table(stack: Stack) -> str:
    """Resident memory per process, with the file-backed part (mapped model files) apart."""
    rows = ["| process | address | RSS MiB | anonymous MiB | file-backed MiB |", "|---|---|---:|---:|---:|"]
    for service in stack.services:
        m = service.memory()
        rows.append(
            f"| {service.name} | {service.url} | {m.get('rss', 0):.0f} | {m.get('anon', 0):.0f} | {m.get('file', 0):.0f} |"
        )
    return "\n".join(rows)


CHAT_REQUEST = "POST /v1/chat/completions"  # a line of the generator server's access log


def smoke(stack: Stack, question: str = SEED_QUESTION) -> list[str]:
    """Ask every replica `question`; return the problems found. A replica passes when its answer
    came through both servers: passages retrieved from Chroma, text from the generator server (its
    log shows the requests). Whether the checks then keep or refuse the answer is the answering
    flow's business (tests/rag/test_assistant.py), not the deployment's."""
    problems = []
    for service in stack.apps:
        started = time.monotonic()
        before = stack.generator.log_count(CHAT_REQUEST)
        try:
            answer = ask_api(service.url, question)
        except Exception as exc:
            problems.append(f"{service.name}: {type(exc).__name__}: {exc}; log {service.log}")
            continue
        generated = stack.generator.log_count(CHAT_REQUEST) - before
        print(
            f"{service.name}: {answer['answer']!r} in {time.monotonic() - started:.1f} s "
            f"({len(answer.get('retrieved', []))} passages retrieved, {generated} generator requests)",
            flush=True,
        )
        for line in service.log.read_text(errors="replace").splitlines():
            if "built BM25 index" in line:  # where its keyword index came from (docs/deploy.md)
                print(f"{service.name}: {line.split(': ', 1)[-1]}", flush=True)
        if not answer.get("retrieved"):
            problems.append(
                f"{service.name} retrieved nothing from the Chroma server: {json.dumps(answer)[:300]}"
            )
        if generated < 1:
            problems.append(
                f"{service.name}'s answer did not come from the generator server ({stack.generator.url})"
            )
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    from index.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(prog="deploy.py", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="app replicas (default %(default)s)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--corpus", type=Path, nargs="+", default=[DEMO_DIR], help="what to ingest (default: the demo corpus)"
    )
    source.add_argument(
        "--from-index", type=Path, metavar="DIR", help="serve a copy of this embedded index instead"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where data and logs go (default: a temporary directory)"
    )
    parser.add_argument("--smoke", action="store_true", help="ask each replica once, print memory, stop")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as cleanup:
        workdir = args.workdir or Path(
            cleanup.enter_context(tempfile.TemporaryDirectory(prefix="newsrag-deploy-"))
        )
        started = time.monotonic()
        try:
            stack = cleanup.enter_context(deployed(workdir, args.corpus, args.replicas, args.from_index))
        except DeployError as exc:
            print(f"deploy: {exc}", file=sys.stderr)
            return 1
        print(f"started in {time.monotonic() - started:.0f} s; logs in {workdir / 'logs'}", flush=True)
        if not args.smoke:
            for service in stack.services:
                print(f"  {service.name}: {service.url}", flush=True)
            print("Ctrl+C stops everything.", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while all(s.process.poll() is None for s in stack.services):
                    time.sleep(1)
            return 0
        problems = smoke(stack)
        print(memory_table(stack), flush=True)
        for problem in problems:
            print(f"deploy smoke: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
