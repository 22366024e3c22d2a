"""Which questions a change to `rag.decompose.mentioned_sources` reads other outlets in.

    python bench/source_mentions.py --base 3fa9307

Every dev gold question, its sub-queries (`decompose_detailed`) and every exploration question
(`bench/questions/`) is read for the outlets it names with the `rag/decompose.py` of git revision
`--base` and with the working tree's; each question where they differ is listed. Only those
questions' retrieval, named-report citations and verdict sides can change, so only they need asking
again. The outlets are the demo corpus's sources.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.git_module import module_at  # noqa: E402
from eval.gold import DEFAULT_SETS, load_gold_sets  # noqa: E402
from index.models import Article  # noqa: E402
from index.readers import read_sources  # noqa: E402
from rag import decompose as current  # noqa: E402


def _questions() -> list[tuple[str, str]]:
    """(id, question) of every dev gold question and every exploration question."""
    out = [(g.id, g.query) for g in load_gold_sets(DEFAULT_SETS)]
    for path in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((row["id"], row["question"]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="git revision whose rag/decompose.py to compare with")
    args = parser.parse_args(argv)

    base = module_at("rag/decompose.py", args.base)
    sources = sorted({a.source for a in read_sources([ROOT / "index" / "demo"]) if isinstance(a, Article)})
    questions = _questions()
    changed = 0
    for qid, question in questions:
        texts = [question, *(p.text for p in current.decompose_detailed(question))]
        before = [base.mentioned_sources(t, sources) for t in texts]
        after = [current.mentioned_sources(t, sources) for t in texts]
        if before != after:
            changed += 1
            print(
                f"{qid}: {question[:100]!r}\n    {before[0]} -> {after[0]}"
                + ("" if before[0] != after[0] else " (a sub-query)")
            )
    print(f"{len(questions)} questions: the outlets read change in {changed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
