"""The `newsrag` command: one subcommand per job, each registered by the package that does it.

`index` registers ingest/stats, `rag` registers ask, `eval` registers eval; heavy imports happen
inside each subcommand so that `newsrag --help` stays instant.
"""

from __future__ import annotations

import argparse
import logging
import sys

from index.offline import enforce_offline


def build_parser() -> argparse.ArgumentParser:
    import eval.cli
    import index.cli
    import rag.cli

    parser = argparse.ArgumentParser(prog="newsrag", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    index.cli.register(sub)
    rag.cli.register(sub)
    eval.cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
