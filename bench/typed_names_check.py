"""How often the cited-subject check's typed names (`rag.subject.typed_names`) would refuse a right
answer: every answerable gold and exploration question in Latin script, as typed or in lower case
(`--lower`), checked against its own gold article(s) with `rag.subject.cites_subject`.

    python bench/typed_names_check.py            # as typed
    python bench/typed_names_check.py --lower    # as if every question were typed in lower case

Prints each question its own article would be refused for, the count, and the typed names most
often unstated in their own article (mostly English questions about Chinese reports, which are read
through the question's translation instead).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from index.cjk import HAN_CHAR
from rag.subject import cites_subject, typed_name_stated, typed_names

ROOT = Path(__file__).resolve().parents[1]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def demo_articles() -> tuple[dict[str, str], list[str]]:
    """Title -> title and text of every demo article (MultiHop-RAG evidence articles hold `facts`),
    and the sources they name (a question naming its sources is left to the later checks)."""
    out: dict[str, str] = {}
    sources: set[str] = set()
    for path in (ROOT / "index" / "demo").glob("*.jsonl"):
        for a in _lines(path):
            text = a.get("body") or a.get("content") or str(a.get("facts") or "")
            out[a["title"].strip()] = f"{a['title']}\n{text}"
            sources.add(a.get("source") or "")
    return out, sorted(s for s in sources if s)


def answerable_questions() -> list[tuple[str, str, list[str]]]:
    """(id, question, titles of its articles) for every answerable gold and exploration question."""
    rows = []
    gold = [
        *(ROOT / "eval" / "gold").glob("*.dev.jsonl"),
        ROOT / "eval" / "gold" / "multihop-rag" / "queries.dev.jsonl",
    ]
    for path in gold:
        for r in _lines(path):
            if r.get("question_type") != "null_query" and r.get("evidence_list"):
                rows.append((r["id"], r["query"], [e["title"].strip() for e in r["evidence_list"]]))
    for path in sorted((ROOT / "bench" / "questions").glob("*.jsonl")):
        for r in _lines(path):
            if r.get("answerable", True) and r.get("article"):
                rows.append((r["id"], r["question"], [r["article"].strip()]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lower", action="store_true", help="ask every question in lower case")
    args = parser.parse_args()
    articles, sources = demo_articles()
    asked = with_names = refused = 0
    unstated: Counter[str] = Counter()
    for qid, question, titles in answerable_questions():
        texts = [articles[t] for t in titles if t in articles]
        if not texts or HAN_CHAR.search(question):
            continue
        question = question.lower() if args.lower else question
        asked += 1
        names = typed_names(question)
        with_names += bool(names)
        unstated.update(n[0] for n in names if not any(typed_name_stated(n, t) for t in texts))
        if names and cites_subject(question, texts, sources) is False:
            refused += 1
            print(f"refused {qid}: {question} {names}")
    print(
        f"{asked} answerable Latin-script questions, {with_names} with typed names; refused citing their own article: {refused}"
    )
    print("typed names most often unstated in their own article:", unstated.most_common(15))


if __name__ == "__main__":
    main()
