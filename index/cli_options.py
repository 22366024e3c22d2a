"""The command-line options every entry point shares: where the index is, and how loud to be.

`newsrag ingest|stats|ask|eval` and `app.py` all open an index the same way: `--index`,
`--chroma-host`, `--chroma-port`, `--collection`, each defaulting to its NEWSRAG_* variable.
Kept light (no chromadb, no models) so that `--help` stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from index.settings import IndexSettings

# Exit statuses shared by every command (documented in `newsrag --help`).
EXIT_ERROR = 1  # the index exists but cannot be used: Chroma unreachable, another embedding model
EXIT_BAD_INPUT = 2  # a missing file, a malformed gold set, a bad argument (argparse's own status)
EXIT_NO_INDEX = EXIT_BAD_INPUT  # nothing to answer from: the same status from every command


def add_index_options(parser: argparse.ArgumentParser) -> None:
    """`--index`, `--chroma-host`, `--chroma-port`, `--collection`: unset means the environment's."""
    group = parser.add_argument_group("index location (command line > NEWSRAG_* variable > default)")
    group.add_argument(
        "--index",
        type=Path,
        metavar="DIR",
        help="embedded Chroma index directory (default: $NEWSRAG_INDEX_DIR, else $NEWSRAG_HOME/index; "
        "NEWSRAG_HOME defaults to ~/.local/share/newsrag)",
    )
    group.add_argument(
        "--chroma-host",
        metavar="HOST",
        help="use a Chroma server instead of the directory (default: $NEWSRAG_CHROMA_HOST, unset)",
    )
    group.add_argument(
        "--chroma-port",
        type=int,
        metavar="PORT",
        help="Chroma server port (default: $NEWSRAG_CHROMA_PORT, else 8000)",
    )
    group.add_argument(
        "--collection",
        metavar="NAME",
        help="collection name (default: $NEWSRAG_COLLECTION, else newsrag)",
    )


def add_verbose_option(parser: argparse.ArgumentParser, *, top_level: bool = True) -> None:
    """`-v/--verbose`, counted; on a subcommand it adds to (never resets) the top-level count."""
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0 if top_level else argparse.SUPPRESS,
        help="-v: newsrag's debug log and the libraries' info log; -vv: every library's debug log",
    )


def index_settings_from(args: argparse.Namespace, **overrides: Any) -> IndexSettings:
    """IndexSettings from the environment, overridden by what the command line gave."""
    given: dict[str, Any] = {}
    if getattr(args, "index", None) is not None:
        given["index_dir"] = Path(args.index).expanduser().resolve()
    if getattr(args, "chroma_host", None):
        given["chroma_host"] = args.chroma_host
    if getattr(args, "chroma_port", None) is not None:
        given["chroma_port"] = args.chroma_port
    if getattr(args, "collection", None):
        given["collection"] = args.collection
    return IndexSettings(**given, **{k: v for k, v in overrides.items() if v is not None})
