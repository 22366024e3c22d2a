"""newsrag's chat UI: ask the news corpus, read the cited passages, filter, add articles.

    python app.py [--host 127.0.0.1] [--port 7860] [--index DIR] [--no-demo] [--auth-file PATH]

Listens on loopback. Anywhere else it needs a login (Gradio's sign-in form, which sets a session
cookie; not HTTP Basic): NEWSRAG_AUTH="user:password" or a file of such lines (--auth-file /
NEWSRAG_AUTH_FILE). Without one it refuses to start unless --allow-open says an open server is
intended. On first run the bundled demo corpus (index/demo/) is indexed before the server starts.
The page itself is built in `ui/`; this module reads the command line and starts it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.cli_options import (
    EXIT_BAD_INPUT,
    EXIT_ERROR,
    add_index_options,
    add_verbose_option,
    index_settings_from,
)
from index.logs import configure_logging
from index.offline import enforce_offline
from ui.inputs import UserFacingError
from ui.login import exposure_problem, logins_from
from ui.settings import AppSettings, answer_concurrency

DEMO_DIR = Path(__file__).resolve().parent / "index" / "demo"


@dataclass
class IndexServices:
    """The real ingest and stats for one index; they reuse the assistant's open index once it is loaded
    (one embedding model in memory, not two)."""

    settings: Any  # IndexSettings
    loader: Any = None  # ui.loading.AssistantLoader, set once the UI is built

    def _loaded_index(self) -> Any:
        return getattr(self.loader.current() if self.loader else None, "index", None)

    def ingest(self, paths: list[Path]) -> Any:
        from index.pipeline import Ingestor

        embed_model = getattr(self._loaded_index(), "embed_model", None)
        return Ingestor(self.settings, embed_model=embed_model).run(paths)

    def stats(self) -> dict:
        from index.store import NewsIndex

        return (self._loaded_index() or NewsIndex.open(self.settings)).stats()


def ensure_index(index_settings: Any, build_demo: bool) -> None:
    """Build the demo index (progress in the terminal) when there is none yet."""
    from index.store import IndexNotFoundError, NewsIndex

    try:
        NewsIndex.open(index_settings)
        return
    except IndexNotFoundError as exc:
        if not build_demo:
            print(f"{exc} The UI will say how to add articles.", flush=True)
            return
    from index.pipeline import Ingestor

    print(
        f"No index at {index_settings.resolved_index_dir}: building it from the demo corpus {DEMO_DIR} "
        "(first run only)…",
        flush=True,
    )
    t0 = time.monotonic()
    report = Ingestor(index_settings).run([DEMO_DIR])
    print(f"Demo index built in {time.monotonic() - t0:.0f} s: {report.summary()}.", flush=True)


def parse_args(argv: Sequence[str] | None, defaults: AppSettings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="app.py",
        description=(__doc__ or "").split("\n\n")[0],
        epilog="exit status: 0 stopped with Ctrl+C; 1 the index cannot be used; 2 a refused or bad "
        "configuration (an open network bind, a malformed login).",
    )
    parser.add_argument(
        "--host",
        default=defaults.app_host,
        help="interface to bind (default: $NEWSRAG_APP_HOST, else %(default)s)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=defaults.app_port,
        help="port (default: $NEWSRAG_APP_PORT, else %(default)s)",
    )
    add_index_options(parser)
    parser.add_argument("--no-demo", action="store_true", help="do not build the demo index when none exists")
    parser.add_argument(
        "--auth-file",
        type=Path,
        metavar="PATH",
        help='logins, one "user:password" per line (default: $NEWSRAG_AUTH_FILE; NEWSRAG_AUTH adds one)',
    )
    parser.add_argument(
        "--allow-open",
        action="store_true",
        help="serve beyond loopback without a login (anyone who reaches it can ask and upload)",
    )
    add_verbose_option(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    enforce_offline()  # before gradio is imported: its import and launch() would otherwise call home
    settings = AppSettings()
    args = parse_args(argv, settings)
    configure_logging(args.verbose, own_level=logging.INFO)
    settings = settings.model_copy(
        update={
            "app_host": args.host,
            "app_port": args.port,
            "auth_file": args.auth_file or settings.auth_file,
            "allow_open": settings.allow_open or args.allow_open,
        }
    )
    try:
        logins = logins_from(settings)
    except UserFacingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    problem = exposure_problem(settings, has_login=bool(logins))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT

    from index.store import ChromaUnavailableError, EmbedModelMismatchError
    from rag.settings import RagSettings
    from ui.layout import build_ui

    rag_settings = RagSettings(index=index_settings_from(args))
    try:
        ensure_index(rag_settings.index, build_demo=not args.no_demo)
    except (ChromaUnavailableError, EmbedModelMismatchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR

    def open_assistant() -> Any:
        from rag.assistant import Assistant

        return Assistant.open(settings=rag_settings)

    services = IndexServices(rag_settings.index)
    ui = build_ui(
        assistant_factory=open_assistant,
        ingest_fn=services.ingest,
        stats_fn=services.stats,
        uploads_dir=rag_settings.index.home / "uploads",
        settings=settings,
        concurrency=answer_concurrency(settings, rag_settings.generator),
    )
    services.loader = ui.loader
    ui.launch(logins)
    print(
        f"newsrag is at http://{settings.app_host}:{settings.app_port} (the model loads in the background; "
        f"{ui.loader.slots.capacity} question(s) answered at once); Ctrl+C stops it.",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        ui.demo.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
