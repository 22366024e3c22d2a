"""Load: N concurrent gradio_client clients asking app.py's `/ask` API on loopback for a bounded time,
with the in-process generator and with a generator server, in one run.

    python bench/load_test.py --index DIR [--clients 8] [--duration 60] [--paths in-process,remote]
    python bench/load_test.py --fake [--duration 20]    # app.py's UI over the tests' stand-in assistant
    python bench/load_test.py --url http://127.0.0.1:7860/          # an app that is already running

For each path an app is started on DIR (`--no-demo`): `in-process` loads the packaged GGUF itself;
`remote` first starts `python -m rag.llm_server` (llama-cpp-python's OpenAI-compatible server on the
same GGUF) and points the app at it (NEWSRAG_GENERATOR=openai; NEWSRAG_APP_CONCURRENCY from
`--app-concurrency`, else the app's default). Each client repeats: submit a question, wait for the
answer. At `--duration` seconds everything stops (hard stop: pending jobs are cancelled and counted
as unfinished). Prints one row per path: answers finished, throughput, p50/p95/max latency, errors,
unfinished, and the resident memory of the app and the generator server. Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # deploy.py, when run from a checkout that is not installed

import deploy  # noqa: E402
from deploy import Service  # noqa: E402

QUESTIONS = [
    "When did Aliyun open its first US data center?",
    "How many customers does Aliyun serve?",
    "Where will Aliyun build more data centers?",
    "Which football club did Aliyun sponsor in 2015?",
]
PATHS = ("in-process", "remote")


def run_load(url: str, clients: int, duration: float) -> dict:
    from gradio_client import Client

    latencies: list[float] = []
    errors: Counter[str] = Counter()
    unfinished = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(n: int) -> None:
        nonlocal unfinished
        client = Client(url, verbose=False)
        i = n
        while time.monotonic() < deadline:
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            started = time.monotonic()
            job = client.submit(question, api_name="/ask")
            try:
                answer = job.result(timeout=max(0.1, deadline - time.monotonic()))
                elapsed = time.monotonic() - started
                with lock:
                    if isinstance(answer, dict) and "answer" in answer:
                        latencies.append(elapsed)
                    else:
                        errors[f"unexpected result {str(answer)[:60]}"] += 1
            except TimeoutError:
                with lock:
                    unfinished += 1
                job.cancel()
                break
            except Exception as exc:
                if time.monotonic() >= deadline:
                    with lock:
                        unfinished += 1
                    break
                with lock:
                    errors[f"{type(exc).__name__}: {str(exc)[:160]}"] += 1
        client.close()  # before the app is killed: its event streams would otherwise log resets

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 10)  # hard stop: never wait past this
    hung = sum(t.is_alive() for t in threads)
    return {
        "clients": clients,
        "duration_s": time.monotonic() - started,
        "finished": len(latencies),
        "errors": dict(errors),
        "unfinished_at_stop": unfinished + hung,
        "p50_s": float(np.percentile(latencies, 50)) if latencies else None,
        "p95_s": float(np.percentile(latencies, 95)) if latencies else None,
        "max_s": max(latencies) if latencies else None,
        "throughput_per_min": len(latencies) / duration * 60,
    }


@contextmanager
def started_path(path: str, args: argparse.Namespace, logs: Path) -> Iterator[tuple[Service, Service | None]]:
    """The app for `path` (and, for `remote`, the generator server it uses); stopped on exit."""
    index = ["--index", str(args.index)] if args.index else []
    generator = None
    if path == "in-process":
        app = deploy.start_app("app-in-process", {"NEWSRAG_GENERATOR": "llamacpp"}, logs, index)
    else:
        from rag.llm_server import client_environment

        generator = deploy.start_generator(logs)
        env = client_environment(generator.url)
        if args.app_concurrency:
            env["NEWSRAG_APP_CONCURRENCY"] = str(args.app_concurrency)
        try:
            app = deploy.start_app("app-remote", env, logs, index)
        except Exception:
            generator.stop()
            raise
    try:
        yield app, generator
    finally:
        app.stop()
        if generator is not None:
            generator.stop()


def measure(
    name: str, url: str, args: argparse.Namespace, app: Service | None, generator: Service | None
) -> dict:
    started = time.monotonic()
    deploy.ask_api(url, QUESTIONS[0], ready_timeout_s=args.ready_timeout)  # also waits for the model
    print(f"{name}: app at {url} ready, first answer after {time.monotonic() - started:.0f} s; "
          f"{args.clients} clients for {args.duration:.0f} s", flush=True)  # fmt: skip
    result = run_load(url, args.clients, args.duration)
    result["path"] = name
    result["app_rss_mib"] = app.memory().get("rss") if app else None
    result["generator_rss_mib"] = generator.memory().get("rss") if generator else None
    if app is not None:  # what the app says it does; one at a time where it says nothing
        said = re.search(r"(\d+) question\(s\) answered at once", app.log.read_text(errors="replace"))
        result["capacity"] = said.group(1) if said else "1"
    return result


def table(rows: list[dict]) -> str:
    def s(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}"

    def mib(v: float | None) -> str:
        return "-" if v is None else f"{v:.0f}"

    out = [
        "| generator | answers at once | finished | per min | p50 s | p95 s | max s | errors | unfinished at stop | app RSS MiB | server RSS MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['path']} | {r.get('capacity', '?')} | {r['finished']} | {r['throughput_per_min']:.1f} | {s(r['p50_s'])} "
            f"| {s(r['p95_s'])} | {s(r['max_s'])} | {sum(r['errors'].values())} | {r['unfinished_at_stop']} "
            f"| {mib(r.get('app_rss_mib'))} | {mib(r.get('generator_rss_mib'))} |"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (else one per path is started)")
    parser.add_argument("--index", type=Path, help="index directory for the apps we start")
    parser.add_argument(
        "--fake", action="store_true", help="start the app over the tests' stand-in assistant"
    )
    parser.add_argument("--paths", default=",".join(PATHS), help="comma-separated, of: %(default)s")
    parser.add_argument("--app-concurrency", type=int, help="NEWSRAG_APP_CONCURRENCY for the remote app")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--ready-timeout", type=float, default=300.0, help="seconds to wait for the model")
    args = parser.parse_args()
    os.environ.update(deploy.QUIET_ENV)
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    unknown = sorted(set(paths) - set(PATHS))
    if unknown:
        parser.error(f"unknown path(s) {unknown}; choose from {list(PATHS)}")

    rows = []
    with tempfile.TemporaryDirectory(prefix="newsrag-load-") as tmp:
        logs = Path(tmp)
        if args.url:
            rows.append(measure("given URL", args.url, args, None, None))
        elif args.fake:
            port = deploy.free_port()
            command = [
                sys.executable,
                str(REPO / "tests" / "browser" / "fake_app.py"),
                "--port",
                str(port),
                "--home",
                tmp,
            ]
            url = f"http://127.0.0.1:{port}/"
            app = deploy.start_service(
                "fake app", command, url, lambda: deploy.http_ok(f"{url}config"), logs / "fake.log"
            )
            try:
                rows.append(measure("fake", url, args, app, None))
            finally:
                app.stop()
        else:
            for path in paths:
                with started_path(path, args, logs) as (app, generator):
                    rows.append(measure(path, app.url, args, app, generator))
    print(table(rows))
    for r in rows:
        for message, n in r["errors"].items():
            print(f"  {r['path']} error x{n}: {message}")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
