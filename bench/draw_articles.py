"""Draw demo articles at random for a round of exploration questions, leaving out every article a
gold question or an earlier round is about, so that each round reads articles no one has asked of.

    python bench/draw_articles.py --seed 39 --en 10 --zh 6 --out var/proto/draw39.jsonl

Earlier rounds' articles are read from `bench/questions/*.jsonl` ("article": its title) and from the
earlier draws given with `--drawn`. Articles with a body under 1,500 characters are left out: three
questions need more to read.

With `--again`, the corpus having no article left that no one asked of, it draws among the articles
that earlier rounds asked of and no gold question is about, and writes each one's earlier questions
beside it (`asked`), so that a new round asks other facts of them:

    python bench/draw_articles.py --again --seed 51 --en 8 --zh 8 --min-body 1200 --out var/proto/draw51.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "index" / "demo"
_HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_BODY = 1500


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_titles() -> set[str]:
    """Titles of the articles gold questions cite."""
    titles: set[str] = set()
    for path in [
        *(ROOT / "eval" / "gold").glob("*.jsonl"),
        *(ROOT / "eval" / "gold" / "multihop-rag").glob("*.jsonl"),
    ]:
        for row in _lines(path):
            titles.update(e.get("title", "").strip() for e in row.get("evidence_list") or [])
    return titles


def round_questions() -> dict[str, list[str]]:
    """Each article title earlier rounds asked of -> the questions they asked of it."""
    asked: dict[str, list[str]] = {}
    for path in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        for row in _lines(path):
            asked.setdefault(row.get("article", "").strip(), []).append(row["question"])
    return asked


def asked_titles(drawn: list[Path]) -> set[str]:
    """Titles of the articles gold questions cite, earlier rounds asked about, or earlier draws hold."""
    titles = gold_titles() | set(round_questions())
    for path in drawn:
        titles.update(_drawn_title(row) for row in _lines(path))
    return titles


def _drawn_title(row: dict) -> str:
    """The article of an earlier draw's row ("title"), or of a round's question ("article"): a round's
    questions name the articles it drew, so they stand in for a draw file that was not kept."""
    return (row.get("title") or row.get("article") or "").strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--en", type=int, default=10, help="English articles to draw")
    parser.add_argument("--zh", type=int, default=6, help="Chinese articles to draw")
    parser.add_argument(
        "--drawn",
        type=Path,
        nargs="*",
        default=[],
        help="earlier draws (or their rounds' questions) to leave out",
    )
    parser.add_argument(
        "--min-body",
        type=int,
        default=MIN_BODY,
        help="shortest body in characters (Chinese reports are short)",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="draw among articles earlier rounds asked of (no gold question's), with their questions",
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    by_rounds = round_questions()
    if args.again:  # asked by earlier rounds only, and not drawn again
        drawn = {_drawn_title(row) for path in args.drawn for row in _lines(path)}
        pool = set(by_rounds) - gold_titles() - drawn
    else:
        pool = None
        asked = asked_titles(args.drawn)

    def wanted(title: str) -> bool:
        return title in pool if pool is not None else title not in asked

    fresh = [
        a
        for name in ("wikinews_en.jsonl", "zh_voa_wikinews.jsonl")
        for a in _lines(DEMO / name)
        if wanted(a["title"].strip()) and len(a.get("body") or "") >= args.min_body
    ]
    english = [a for a in fresh if not _HAN.search(a["title"])]
    chinese = [a for a in fresh if _HAN.search(a["title"])]
    if len(english) < args.en or len(chinese) < args.zh:
        print(f"only {len(english)} English and {len(chinese)} Chinese articles are left", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    picked = rng.sample(english, args.en) + rng.sample(chinese, args.zh)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for a in picked:
            row = {k: a.get(k) for k in ("id", "title", "source", "published_at", "language", "body")}
            if args.again:
                row["asked"] = by_rounds[a["title"].strip()]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    for a in picked:
        print(a.get("published_at"), a["title"][:90])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
