"""Which questions a change to truecasing (`rag.truecase`) respells: the current code against a git
revision's, over the lower-case questions of the dev sets and every exploration round. Retrieval
only, no model call.

    python bench/truecase_changes.py --against b7c36f6
    python bench/truecase_changes.py --against b7c36f6 --lower-case   # the dev questions lower-cased too
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.git_module import module_at
from index.offline import enforce_offline
from rag import truecase as current
from rag.settings import RagSettings

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", required=True, help="the git revision to compare with")
    ap.add_argument("--lower-case", action="store_true", help="also ask the dev questions in lower case")
    args = ap.parse_args(argv)

    from eval.gold import load_gold_sets  # heavy imports only when a run starts
    from index.store import NewsIndex
    from rag.retrieval import HybridRetriever

    then = module_at("rag/truecase.py", args.against)
    settings = RagSettings()
    index = NewsIndex.open(settings.index)
    retriever = HybridRetriever(index, settings)
    tune = set(json.loads((ROOT / "eval/gold/split.json").read_text())["tune"])
    questions = [
        (q.id, q.query.lower() if args.lower_case else q.query, "tune" if q.id in tune else "check")
        for q in load_gold_sets()
    ]
    for path in sorted((ROOT / "bench/questions").glob("explore_stop*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            questions.append((q["id"], q["question"], path.stem))
    changed = 0
    for qid, text, where in questions:
        if not current.typed_in_lower_case(text):
            continue
        texts = [p.text for p in retriever.search(text, top_k=settings.retrieve_top_k).passages]
        before, after = then.truecase(text, texts), current.truecase(text, texts)
        if before != after:
            changed += 1
            print(f"{where} {qid} | {before} -> {after}", flush=True)
    print(f"{changed} questions respelled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
