"""Load: N concurrent gradio_client clients asking app.py's `/ask` API on loopback for a bounded time.

    python bench/load_test.py --index DIR [--clients 8] [--duration 60]   # starts app.py on DIR
    python bench/load_test.py --fake [--duration 20]    # app.py's UI over the tests' stand-in assistant
    python bench/load_test.py --url http://127.0.0.1:7860/          # an app that is already running

Each client repeats: submit a question, wait for the answer. At `--duration` seconds everything stops
(hard stop: pending jobs are cancelled and counted as unfinished, the app we started is killed).
Prints requests finished, errors (with their messages), unfinished, and p50/p95/max latency. The app
answers one question at a time (one llama.cpp model: `queue(default_concurrency_limit=1)`), so with
the real assistant latency is mostly queueing: about clients x one answer's time.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "When did Aliyun open its first US data center?",
    "How many customers does Aliyun serve?",
    "Where will Aliyun build more data centers?",
    "Which football club did Aliyun sponsor in 2015?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(args: argparse.Namespace, home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    if args.fake:
        cmd = [
            sys.executable,
            str(REPO / "tests" / "browser" / "fake_app.py"),
            "--port",
            str(port),
            "--home",
            str(home),
        ]
    else:
        cmd = [sys.executable, str(REPO / "app.py"), "--port", str(port), "--no-demo"]
        if args.index:
            cmd += ["--index", str(args.index)]
    log = open(home / "app.log", "w")  # noqa: SIM115 -- lives as long as the app
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}; see {home / 'app.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("app did not open its port in 120 s")


def wait_until_ready(url: str, timeout: float) -> float:
    """Ask until the model answers (the app loads it in the background); returns seconds waited."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    started = time.monotonic()
    while True:
        try:
            client.predict(QUESTIONS[0], api_name="/ask")
            return time.monotonic() - started
        except Exception as exc:
            if "still loading" not in str(exc) or time.monotonic() - started > timeout:
                raise
            time.sleep(2)


def run_load(url: str, clients: int, duration: float) -> dict:
    from gradio_client import Client

    latencies: list[float] = []
    errors: Counter[str] = Counter()
    unfinished = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    jobs: list = []

    def worker(n: int) -> None:
        nonlocal unfinished
        client = Client(url, verbose=False)
        i = n
        while time.monotonic() < deadline:
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            started = time.monotonic()
            job = client.submit(question, api_name="/ask")
            with lock:
                jobs.append(job)
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
                    errors[f"{type(exc).__name__}: {str(exc)[:100]}"] += 1
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (else one is started)")
    parser.add_argument("--index", type=Path, help="index directory for the app we start")
    parser.add_argument(
        "--fake", action="store_true", help="start the app over the tests' stand-in assistant"
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--ready-timeout", type=float, default=300.0, help="seconds to wait for the model")
    args = parser.parse_args()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    proc = None
    with tempfile.TemporaryDirectory(prefix="newsrag-load-") as tmp:
        try:
            url = args.url
            if url is None:
                proc, url = start_app(args, Path(tmp))
            waited = wait_until_ready(url, args.ready_timeout)
            print(
                f"app at {url} ready after {waited:.0f} s (first answer included); "
                f"{args.clients} clients for {args.duration:.0f} s",
                flush=True,
            )
            r = run_load(url, args.clients, args.duration)
        finally:
            if proc is not None:
                proc.kill()
                proc.wait(timeout=30)
    fmt = lambda v: "-" if v is None else f"{v:.1f} s"  # noqa: E731
    print(
        f"finished {r['finished']} in {r['duration_s']:.0f} s ({r['throughput_per_min']:.1f}/min), "
        f"errors {sum(r['errors'].values())}, unfinished at stop {r['unfinished_at_stop']}"
    )
    print(f"latency p50 {fmt(r['p50_s'])}, p95 {fmt(r['p95_s'])}, max {fmt(r['max_s'])}")
    for message, n in r["errors"].items():
        print(f"  error x{n}: {message}")
    return 1 if r["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
