"""One logging setup for every entry point: newsrag's own messages, the libraries' kept quiet.

Some libraries set their own loggers to DEBUG (bm25s does), so a root-logger level alone lets
their debug lines through; the level is decided on the handler, by who logged the record.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

OWN_LOGGERS = ("index", "rag", "eval", "newsrag", "cli", "app", "ui", "bench")


class _ByOrigin(logging.Filter):
    """Pass newsrag's records from `own` up, everyone else's from `libraries` up."""

    def __init__(self, own: int, libraries: int) -> None:
        super().__init__()
        self.own, self.libraries = own, libraries

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name.split(".", 1)[0] in OWN_LOGGERS
        return record.levelno >= (self.own if ours else self.libraries)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record comes (test runners and tools swap it)."""

    @property
    def stream(self) -> Any:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(verbosity: int = 0, own_level: int = logging.WARNING) -> None:
    """0: newsrag at `own_level`, libraries' warnings only (Python warnings hidden);
    1: newsrag debug, libraries info and warnings; 2+: everything at debug."""
    own = logging.DEBUG if verbosity >= 1 else own_level
    libraries = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_ByOrigin(own, libraries))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(min(own, libraries))
    logging.captureWarnings(True)  # library deprecation notes become log records under "py.warnings"
    logging.getLogger("py.warnings").setLevel(logging.WARNING if verbosity else logging.ERROR)
