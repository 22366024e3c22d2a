"""Where the asked report ranks for exploration questions asked in another language than it: the
hybrid ranking (as the pipeline retrieves, before any translation) against the multilingual
embedding alone.

    python bench/asked_report_rank.py bench/questions/explore_stop45.jsonl bench/questions/explore_stop46.jsonl

For each answerable question of the given rounds asked in English about a Chinese report (or in
Chinese about an English one), it prints the rank of the report the question was written from
(its `article` title) in the first 20 passages of each ranking (99: not there), then how many are in
the first four, the passages the generator reads. The question is searched as typed: no truecasing
and no translation, so the figures say what the question's own words find.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.cjk import HAN_CHAR
from index.offline import enforce_offline


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("rounds", nargs="+", type=Path)
    args = parser.parse_args(argv)

    from index.store import NewsIndex  # heavy imports only when a run starts
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings

    settings = RagSettings()
    hybrid = HybridRetriever(NewsIndex.open(settings.index), settings)
    dense = hybrid.with_config(fusion="dense")

    def rank(retriever: HybridRetriever, question: str, title: str) -> int:
        titles = [p.title for p in retriever.search(question, top_k=20).passages]
        return titles.index(title) + 1 if title in titles else 99

    ranks = []
    for path in args.rounds:
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line) if line.strip() else None
            if (
                not q
                or not q["answerable"]
                or bool(HAN_CHAR.search(q["question"])) == bool(HAN_CHAR.search(q["article"]))
            ):
                continue
            ranks.append(
                (rank(hybrid, q["question"], q["article"]), rank(dense, q["question"], q["article"]))
            )
            print(f"{q['id']}: hybrid {ranks[-1][0]:2d}, dense {ranks[-1][1]:2d}  {q['question'][:80]}")
    print(
        f"asked report in the first four: hybrid {sum(h <= 4 for h, _ in ranks)}, dense {sum(d <= 4 for _, d in ranks)}"
        f" of {len(ranks)}; in neither's first 20: {sum(h == d == 99 for h, d in ranks)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
