"""Which resolved dates a change to `index/dates.py` changes, over a corpus, for reading each one.

    python bench/date_changes.py --base 3fa9307                       # the demo corpus, every change
    zcat ../shared/data/news/reuters21578.jsonl.gz > /tmp/reuters.jsonl
    python bench/date_changes.py --base 3fa9307 /tmp/reuters.jsonl --sample 30 --seed 7
    python bench/date_changes.py --base 3fa9307 --questions var/proto/q_datechanged.jsonl --gold-ids var/proto/gold_datechanged.txt

A date rule is set by reading, not fitted: this lists every resolution that differs between the
`index/dates.py` of git revision `--base` and the working tree's, with the text around it, so that
each can be read and judged right or wrong (with `--sample`, a seeded random sample of them). With
`--questions` and `--gold-ids` it also writes the exploration questions (`bench/questions/`) and the
ids of the dev gold questions about the changed articles, to ask before and after re-ingesting.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.git_module import module_at  # noqa: E402
from eval.gold import DEFAULT_SETS, load_gold_sets  # noqa: E402
from index import dates as current  # noqa: E402
from index.models import Article  # noqa: E402
from index.readers import read_sources  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "index" / "demo"])
    parser.add_argument("--base", required=True, help="git revision whose index/dates.py to compare with")
    parser.add_argument("--sample", type=int, default=0, help="print this many changes at random (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--questions", type=Path, help="write the exploration questions about changed articles"
    )
    parser.add_argument("--gold-ids", type=Path, help="write the ids of dev gold questions about them")
    args = parser.parse_args(argv)

    base = module_at("index/dates.py", args.base)
    articles = [a for a in read_sources(args.paths) if isinstance(a, Article)]
    changes: list[str] = []
    changed_titles: set[str] = set()
    changed_articles = 0
    for a in articles:
        before = {
            (d.start, d.end): d.resolved for d in base.resolve_dates(a.body, a.published_at, a.language)
        }
        after = {
            (d.start, d.end): d.resolved for d in current.resolve_dates(a.body, a.published_at, a.language)
        }
        spans = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if spans:
            changed_articles += 1
            changed_titles.add(a.title)
        for lo, hi in spans:
            context = " ".join(a.body[max(0, lo - 90) : hi + 30].split())
            changes.append(
                f"{(a.published_at or '')[:10]}  {before.get((lo, hi))} -> {after.get((lo, hi))}  {context!r}"
            )
    shown = (
        random.Random(args.seed).sample(changes, min(args.sample, len(changes))) if args.sample else changes
    )
    for line in shown:
        print(line)
    print(f"{len(articles)} articles: {len(changes)} resolutions changed, in {changed_articles} articles")
    if args.questions:
        asked = [
            line
            for path in sorted((ROOT / "bench" / "questions").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
            and changed_titles & {t.strip() for t in json.loads(line).get("article", "").split("||")}
        ]
        args.questions.write_text("".join(f"{line}\n" for line in asked), encoding="utf-8")
        print(f"{len(asked)} exploration questions about them -> {args.questions}")
    if args.gold_ids:
        ids = [g.id for g in load_gold_sets(DEFAULT_SETS) if changed_titles & {e.title for e in g.evidence}]
        args.gold_ids.write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
        print(f"{len(ids)} dev gold questions about them -> {args.gold_ids}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
