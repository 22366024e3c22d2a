"""Shared test fixtures: a network guard that lets only loopback through."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest


class NetworkBlockedError(OSError):
    """Raised instead of connecting anywhere but loopback."""


def _is_loopback(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX paths
        return True
    host = address[0] if isinstance(address, tuple) and address else ""
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Block every socket connection except loopback; yields the list of refused addresses."""
    refused: list[object] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(real):
        def connect(self: socket.socket, address: object):
            if not _is_loopback(address):
                refused.append(address)
                raise NetworkBlockedError(f"test blocked a connection to {address!r}")
            return real(self, address)

        return connect

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(real_connect_ex))
    yield refused
