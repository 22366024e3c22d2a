"""Polite HTTP fetching for feeds and the pages they link to.

Polite means: a timeout on every request, at least `host_interval_s` between two requests to one
host (longer when its robots.txt asks for a Crawl-delay), robots.txt obeyed for our user agent, and
conditional requests (If-None-Match / If-Modified-Since) so an unchanged feed or page costs a 304
and no body. Standard library only (urllib, urllib.robotparser): the proxies and no_proxy settings
people already have apply, and nothing here is worth a dependency.

Failures raise `FetchError` with a short reason code (http_404, timeout, unreachable, robots_disallowed,
too_large, unsupported_url) and a sentence a person can act on; callers report it and move on.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

log = logging.getLogger(__name__)


class FetchError(Exception):
    """A URL could not be fetched; `reason` is a short code, the message says why."""

    def __init__(self, url: str, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.url = url
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Validators:
    """What a server said about a response, to ask next time whether it changed."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Fetched:
    """A response: status 200 with its body, or 304 (not modified, no body)."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    validators: Validators = Validators()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class PoliteFetcher:
    """GETs URLs politely (see the module docstring); one public method, `fetch`.

    `clock` and `sleep` are injectable so that tests can check the pacing without waiting for it.
    """

    def __init__(
        self,
        user_agent: str,
        timeout_s: float = 20.0,
        host_interval_s: float = 1.0,
        max_bytes: int = 10_000_000,
        max_crawl_delay_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout_s = timeout_s
        self.host_interval_s = host_interval_s
        self.max_bytes = max_bytes
        self.max_crawl_delay_s = max_crawl_delay_s
        self._clock = clock
        self._sleep = sleep
        self._next_at: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | FetchError] = {}
        self._host_delay: dict[str, float] = {}  # Crawl-delay from robots.txt, per host
        self._opener = urllib.request.build_opener()
        self.requests = 0  # counted for reports and tests

    @classmethod
    def from_settings(cls, settings: object) -> PoliteFetcher:
        return cls(
            user_agent=settings.feed_user_agent,  # type: ignore[attr-defined]
            timeout_s=settings.feed_timeout_s,  # type: ignore[attr-defined]
            host_interval_s=settings.feed_host_interval_s,  # type: ignore[attr-defined]
            max_bytes=settings.feed_max_bytes,  # type: ignore[attr-defined]
            max_crawl_delay_s=settings.feed_max_crawl_delay_s,  # type: ignore[attr-defined]
        )

    def fetch(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET `url` if robots.txt allows it; a 304 when `validators` say our copy is current."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(url, "unsupported_url", f"{url!r} is not an http(s) URL")
        robots = self._robots_for(parts.scheme, parts.netloc)
        if not robots.can_fetch(self.user_agent, url):
            raise FetchError(
                url, "robots_disallowed", f"robots.txt of {parts.netloc} does not allow fetching {url}"
            )
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        return self._get(url, parts.netloc, headers)

    # -- internals ------------------------------------------------------------------------------
    def _robots_for(self, scheme: str, host: str) -> RobotFileParser:
        """robots.txt per host, read once per fetcher. RFC 9309: a 4xx means no rules; a 5xx or no
        answer means keep off the whole host for now (raised as that failure, for every URL there)."""
        key = f"{scheme}://{host}"
        if key in self._robots:
            got = self._robots[key]
            if isinstance(got, FetchError):
                raise FetchError(got.url, got.reason, got.detail)
            return got
        robots = RobotFileParser(f"{key}/robots.txt")
        try:
            got = self._get(f"{key}/robots.txt", host, {})
            robots.parse(got.body.decode("utf-8", errors="replace").splitlines())
        except FetchError as exc:
            code = exc.reason.removeprefix("http_")
            if not (code.isdigit() and 400 <= int(code) < 500):
                error = FetchError(
                    f"{key}/robots.txt",
                    exc.reason,
                    f"robots.txt of {host} could not be read ({exc.detail}); nothing is fetched from "
                    "that host until it can be",
                )
                self._robots[key] = error
                raise FetchError(error.url, error.reason, error.detail) from None
            robots.allow_all = True
        delay = robots.crawl_delay(self.user_agent)
        if delay:
            self._host_delay[host] = min(float(delay), self.max_crawl_delay_s)
        self._robots[key] = robots
        return robots

    def _pace(self, host: str) -> None:
        """Wait until this host may be asked again."""
        now = self._clock()
        wait = self._next_at.get(host, now) - now
        if wait > 0:
            self._sleep(wait)
            now += wait
        self._next_at[host] = now + max(self.host_interval_s, self._host_delay.get(host, 0.0))

    def _get(self, url: str, host: str, headers: dict[str, str]) -> Fetched:
        self._pace(host)
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, **headers})
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                body = response.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    raise FetchError(url, "too_large", f"{url} is larger than {self.max_bytes} bytes")
                return Fetched(
                    url=response.geturl(),
                    status=response.status,
                    body=body,
                    content_type=response.headers.get("Content-Type", ""),
                    validators=_validators(response.headers),
                )
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Fetched(url=url, status=304, validators=_validators(exc.headers))
            raise FetchError(
                url, f"http_{exc.code}", f"{url} answered HTTP {exc.code} {exc.reason}"
            ) from None
        except TimeoutError:
            raise FetchError(url, "timeout", f"{url} did not answer within {self.timeout_s:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise FetchError(
                    url, "timeout", f"{url} did not answer within {self.timeout_s:g} s"
                ) from None
            raise FetchError(url, "unreachable", f"cannot reach {url}: {exc.reason}") from None
        except (OSError, ValueError) as exc:  # connection reset mid-body, malformed URL
            raise FetchError(url, "unreachable", f"cannot fetch {url}: {exc}") from None


def _validators(headers: object) -> Validators:
    get = getattr(headers, "get", None)
    if get is None:
        return Validators()
    return Validators(etag=get("ETag", "") or "", last_modified=get("Last-Modified", "") or "")


__all__ = ["FetchError", "Fetched", "PoliteFetcher", "Validators"]
