"""A loopback HTTP server for feed tests: fixture feeds and pages, editable between runs.

Each route answers with its body, content type, status and (optionally) an ETag / Last-Modified, and
honours If-None-Match / If-Modified-Since with a 304 the way real servers do. Every request is
logged, so tests can prove what was (not) fetched.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    delay_s: float = 0.0


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.delay_s:
                    time.sleep(route.delay_s)
                fresh = (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                )
                if fresh and route.status == 200:
                    self.send_response(304)
                    if route.etag:
                        self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self.wfile.write(route.body)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def clear(self) -> None:
        self.requests.clear()


def rss(title: str, items: list[dict], language: str = "en") -> bytes:
    """An RSS 2.0 document; item keys: title, link, guid, date (datetime), summary, content."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>{escape(title)}</title><link>https://example.org/</link><language>{language}</language>",
    ]
    for item in items:
        out.append("<item>")
        for key in ("title", "link", "guid"):
            if item.get(key):
                out.append(f"<{key}>{escape(item[key])}</{key}>")
        if item.get("date"):
            out.append(f"<pubDate>{format_datetime(item['date'])}</pubDate>")
        if item.get("summary"):
            out.append(f"<description>{escape(item['summary'])}</description>")
        if item.get("content"):
            out.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def page(title: str, paragraphs: list[str], published: datetime | None = None) -> bytes:
    """A news web page with the chrome real sites have around the article."""
    meta = f'<meta property="article:published_time" content="{published.isoformat()}">' if published else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><title>{escape(title)}</title>{meta}</head><body>'
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/business'>Business</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<aside><h3>Most read</h3><ul><li><a href='/x'>Other story</a></li></ul></aside>"
        "<footer>Copyright Example News</footer></body></html>"
    ).encode()


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)
