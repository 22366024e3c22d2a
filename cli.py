"""The `newsrag` command: index news articles, look at the index, ask it questions, score it.

Each package registers its own subcommands (`index`: ingest, stats; `rag`: ask; `eval`: eval);
heavy imports happen inside the handlers so that `newsrag --help` stays instant.
"""

from __future__ import annotations

import argparse
import sys

from index.cli_options import EXIT_ERROR, EXIT_NO_INDEX, add_verbose_option
from index.logs import configure_logging
from index.offline import enforce_offline

DESCRIPTION = """\
Ask questions of a news corpus and get short answers with numbered citations to the exact
article passage, or "Insufficient information." when the corpus does not hold the answer.

  newsrag ingest [PATH ...]     read articles (JSON/JSONL, HTML, text, folders; the demo corpus if
                                no PATH), embed and store them; re-running skips unchanged ones
  newsrag ingest --feed URL     one refresh from RSS/Atom feeds (new and changed entries only)
  newsrag watch FEED --every 15m   follow feeds: refresh every interval (--max-age 30d prunes)
  newsrag stats                 what the index holds: articles, chunks, sources, languages, dates
  newsrag ask "QUESTION"        answer from the index, with citations (--questions FILE for many)
  newsrag eval                  score answers, citations and retrieval against gold questions
  python app.py                 the chat UI (a separate entry point)

Every command finds the index the same way: --index/--chroma-host/--chroma-port/--collection,
else NEWSRAG_INDEX_DIR / NEWSRAG_CHROMA_HOST / NEWSRAG_CHROMA_PORT / NEWSRAG_COLLECTION, else
$NEWSRAG_HOME/index (NEWSRAG_HOME defaults to ~/.local/share/newsrag)."""

EPILOG = """\
exit status: 0 ok; 1 the index cannot be used (Chroma unreachable, another embedding model) or
the eval gate failed; 2 no index, or bad input or arguments; 3 ingest skipped some input as bad.
`newsrag COMMAND --help` describes each command."""


def build_parser() -> argparse.ArgumentParser:
    import eval.cli
    import index.cli
    import rag.cli

    parser = argparse.ArgumentParser(
        prog="newsrag",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_verbose_option(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    index.cli.register(sub)
    rag.cli.register(sub)
    eval.cli.register(sub)
    for command in sub.choices.values():
        add_verbose_option(command, top_level=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    from index.store import ChromaUnavailableError, EmbedModelMismatchError, IndexNotFoundError

    try:
        return int(args.run(args) or 0)
    except IndexNotFoundError as exc:  # one message and one exit status, whichever command met it
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NO_INDEX
    except (ChromaUnavailableError, EmbedModelMismatchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
