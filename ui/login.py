"""Who may use the UI: credentials from the environment or a file, loopback unless there is a login,
and failed logins slowed down per client.

The login is Gradio's own: a form posted to /login that sets a session cookie (not HTTP Basic).
Gradio checks the password in constant time but never slows repeated failures; `LoginThrottle`
adds that in front of its /login route.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ui.inputs import UserFacingError
from ui.settings import AppSettings

log = logging.getLogger(__name__)

HOW_TO_SET_A_PASSWORD = (
    'set a login first: NEWSRAG_AUTH="user:password" in the environment, or NEWSRAG_AUTH_FILE=PATH '
    '(or --auth-file PATH) naming a file of "user:password" lines readable only by you'
)


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """ "user:password" -> ("user", "password"); None when unset. The password may contain ':'."""
    if value is None or value == "":
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise UserFacingError('a login must look like "user:password" (both parts non-empty)')
    return user.strip(), password


def read_auth_file(path: Path) -> list[tuple[str, str]]:
    """Logins from a file, one "user:password" per line; blank lines and # comments are skipped."""
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise UserFacingError(f"cannot read the login file {path}: {exc.strerror}") from None
    logins = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            login = parse_auth(line.rstrip("\r\n"))
        except UserFacingError as exc:
            raise UserFacingError(f"{path}:{n}: {exc}") from None
        if login:
            logins.append(login)
    if not logins:
        raise UserFacingError(f'the login file {path} holds no "user:password" line')
    if path.stat().st_mode & 0o077:
        log.warning("the login file %s is readable by other users; chmod 600 %s", path, path)
    return logins


def logins_from(settings: AppSettings) -> list[tuple[str, str]] | None:
    """Every configured login (NEWSRAG_AUTH and the login file together), or None for an open app."""
    logins: list[tuple[str, str]] = []
    if settings.auth is not None:
        login = parse_auth(settings.auth.get_secret_value())
        logins += [login] if login else []
    if settings.auth_file is not None:
        logins += read_auth_file(settings.auth_file)
    return logins or None


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to any interface


def exposure_problem(settings: AppSettings, has_login: bool) -> str | None:
    """Why the app must not start: serving beyond loopback with no login, unless explicitly allowed."""
    if has_login or is_loopback(settings.app_host):
        return None
    if settings.allow_open:
        log.warning(
            "serving on %s with no login (--allow-open): anyone who can reach it can read the "
            "corpus, ask and upload",
            settings.app_host,
        )
        return None
    return (
        f"refusing to serve on {settings.app_host} without a login: anyone who can reach it could read "
        f"the corpus, ask questions and upload files. To protect it, {HOW_TO_SET_A_PASSWORD}. To serve it "
        "open anyway, pass --allow-open (or NEWSRAG_ALLOW_OPEN=1)."
    )


@dataclass
class _Client:
    failures: int = 0
    last: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class LoginThrottle:
    """ASGI middleware in front of Gradio's /login: after n failed logins in a row a client waits
    first_delay_s * 2**(n-1) (at most max_delay_s) before its next attempt is even checked, and its
    attempts are checked one at a time, so parallel guessing queues too. A success clears the count;
    so does forget_after_s of quiet. Clients are told apart by address (behind a proxy: the proxy's)."""

    def __init__(
        self,
        app: Any,
        first_delay_s: float = 1.0,
        max_delay_s: float = 30.0,
        forget_after_s: float = 900.0,
        max_clients: int = 10_000,
    ) -> None:
        self.app = app
        self.first_delay_s, self.max_delay_s = first_delay_s, max_delay_s
        self.forget_after_s, self.max_clients = forget_after_s, max_clients
        self._clients: OrderedDict[str, _Client] = OrderedDict()

    def delay_after(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        return min(self.first_delay_s * 2 ** (failures - 1), self.max_delay_s)

    def _client(self, address: str) -> _Client:
        now = time.monotonic()
        client = self._clients.pop(address, None) or _Client()
        if now - client.last > self.forget_after_s:
            client.failures = 0
        client.last = now
        self._clients[address] = client
        while len(self._clients) > self.max_clients:
            self._clients.popitem(last=False)
        return client

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        is_login = (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and scope.get("path", "").rstrip("/").endswith("/login")
        )
        if not is_login:
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown",))[0]
        client = self._client(address)
        async with client.lock:
            await asyncio.sleep(self.delay_after(client.failures))
            status: list[int] = []

            async def record(message: dict) -> None:
                if message["type"] == "http.response.start":
                    status.append(message["status"])
                await send(message)

            await self.app(scope, receive, record)
            client.last = time.monotonic()
            if status and status[0] < 300:
                client.failures = 0
            elif status and status[0] in (400, 401, 403):
                client.failures += 1
                log.warning(
                    "failed login %d in a row from %s; its next attempt waits %.1f s",
                    client.failures,
                    address,
                    self.delay_after(client.failures),
                )
