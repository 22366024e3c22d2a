"""A scripted HTTP server on 127.0.0.1 that speaks just enough of the OpenAI and Ollama chat APIs to
misbehave on purpose: finish normally, cut a stream short, drop the connection mid-answer, keep a
request waiting with keep-alive pings, trickle tokens, or fail with an HTTP error.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORDS = ["March", " 2015", " [1]"]


class FakeLLMServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.requests: list[dict[str, Any]] = []  # bodies, in arrival order
        self.clients: list[tuple[str, int]] = []  # the connection each request came on
        self.client_left = threading.Event()  # a write failed: the client closed the connection

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeLLMServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.requests.append(body)
        self.server.clients.append(self.client_address)
        mode = self.server.mode
        ollama = self.path.startswith("/api/")
        if mode == "http500":
            self._send(500, "application/json", json.dumps({"error": {"message": "model exploded"}}).encode())
            return
        if mode == "silent":  # accepts, never answers
            self._hold(60)
            return
        if not body.get("stream"):
            text = "".join(WORDS)
            payload = (
                {"model": "m", "message": {"role": "assistant", "content": text}, "done": True}
                if ollama
                else {
                    "id": "x", "object": "chat.completion", "created": 0, "model": "m",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                }
            )  # fmt: skip
            self._send(200, "application/json", json.dumps(payload).encode())
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson" if ollama else "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self._stream(mode, ollama)
        except (BrokenPipeError, ConnectionResetError):
            self.server.client_left.set()

    def _stream(self, mode: str, ollama: bool) -> None:
        if mode == "pings":  # waits its turn forever, keeping the connection alive like sse-starlette
            for _ in range(600):
                self._chunk(b": ping\n\n")
                time.sleep(0.1)
            return
        words = WORDS * 200 if mode == "trickle" else WORDS
        for n, word in enumerate(words):
            last = n == len(words) - 1
            self._chunk(self._event(word, ollama, done=last and mode == "ok"))
            if mode == "trickle":
                time.sleep(0.1)
            if mode == "drop" and n == 1:
                self.connection.shutdown(2)  # the server dies mid-answer: no terminating chunk
                self.close_connection = True
                return
        if not ollama:
            self._chunk(b"data: [DONE]\n\n")
        self._chunk(b"")  # end of the chunked body

    @staticmethod
    def _event(word: str, ollama: bool, done: bool) -> bytes:
        if ollama:
            return (
                json.dumps({"model": "m", "message": {"role": "assistant", "content": word}, "done": done})
                + "\n"
            ).encode()
        chunk = {
            "id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
            "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": "stop" if done else None}],
        }  # fmt: skip
        return f"data: {json.dumps(chunk)}\n\n".encode()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _hold(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not getattr(
            self.server, "_BaseServer__shutdown_request", False
        ):
            time.sleep(0.05)


@contextmanager
def fake_llm_server(mode: str) -> Iterator[FakeLLMServer]:
    """Serve `mode` on a free loopback port for the duration of the block."""
    server = FakeLLMServer(mode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
