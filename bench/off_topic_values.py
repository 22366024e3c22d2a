"""What the rules of `rag.aboutness` refuse (`--rule off-topic`: a bare value cited from a sentence
about something else; `--rule counted`: a count of another thing), and word similarities.

    python bench/off_topic_values.py                                   # gold and typed questions' evidence
    python bench/off_topic_values.py var/eval/ci_live41.json var/explore/x41a.jsonl -v
    python bench/off_topic_values.py --rule counted var/eval/ci_live41.json -v
    python bench/off_topic_values.py --pairs                           # the word pairs its bar was set on

1. Every packaged gold answer and alias (a gold answer is right by definition) the rule applies to,
   with its evidence sentences as the cited sentences, per half of the dev split; and the answerable
   questions of the exploration rounds (`bench/questions/explore_stop*.jsonl`) with the sentence
   their writer read the answer in.
2. Every answer in the given runs (`newsrag eval --json`: the raw reply too, judged
   against the gold; `newsrag ask --json`: printed for reading, no gold), with the run's cited quotes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import DEFAULT_SETS, load_gold_sets
from eval.metrics import judge_strict
from eval.split import half_of
from rag.aboutness import OffTopicValueCheck, OtherCountedThingCheck
from rag.meaning import MIN_WORD_SIMILARITY, index_embedder

QUESTIONS = Path(__file__).resolve().parent / "questions"
# Words a user typed beside the article's word for the same thing, and words of another thing the
# article put the asked kind of value on, from the exploration rounds' cases (docs/answering.md).
SAME = [("cops", "police officers"), ("kids", "children"), ("died", "death"), ("ppl", "people"),
        ("fire", "flames"), ("killed", "dead"), ("vaccinated", "vaccination")]  # fmt: skip
OTHER = [("fire", "power"), ("put out", "restored"), ("covid cases", "people"), ("seats", "districts"),
         ("samoans", "vaccination teams"), ("patients", "children"), ("survivors", "aftershocks"),
         ("cars", "parking spaces"), ("candidates", "districts"), ("seats", "councils")]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="*", type=Path)
    parser.add_argument("--rule", choices=["off-topic", "counted"], default="off-topic")
    parser.add_argument("--pairs", action="store_true", help="print the word pairs' similarities")
    parser.add_argument("--lexical", action="store_true", help="compare stems only (no embedding)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each flagged answer")
    args = parser.parse_args(argv)
    embed = index_embedder()  # the index's own model: the one the pipeline compares words with

    if args.pairs:
        for label, pairs in (("same thing", SAME), ("another thing", OTHER)):
            vectors = embed([w for pair in pairs for w in pair])
            for i, (a, b) in enumerate(pairs):
                print(f"{label:14s} {a:>12s} / {b:<18s} {float(vectors[2 * i] @ vectors[2 * i + 1]):.2f}")
        print(f"bar: {MIN_WORD_SIMILARITY}")
        return 0
    rule = OffTopicValueCheck if args.rule == "off-topic" else OtherCountedThingCheck
    check = rule(None if args.lexical else embed)

    counts: dict[str, list[int]] = {}
    for g in load_gold_sets(DEFAULT_SETS):
        if g.is_null:
            continue
        for answer in (g.answer, *g.aliases):
            row = counts.setdefault(half_of(g), [0, 0])
            row[0] += 1
            if check.run(g.query, answer, [e.fact for e in g.evidence]):
                row[1] += 1
                print(f"  gold {g.id}: {g.query[:70]} -> {answer}")
    for path in sorted(QUESTIONS.glob("explore_stop*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            if not q.get("answerable") or not q.get("evidence"):
                continue
            row = counts.setdefault("typed", [0, 0])
            row[0] += 1
            if check.run(q["question"], q["expected"], [q["evidence"]]):
                row[1] += 1
                print(f"  typed {q['id']}: {q['question'][:70]} -> {q['expected']}")
    for name, (n, flagged) in sorted(counts.items()):
        print(f"{name}: {flagged} of {n} right answers flagged")

    by_id = {g.id: g for g in load_gold_sets(DEFAULT_SETS)}
    for path in args.runs:
        text = path.read_text(encoding="utf-8")
        records = (
            json.loads(text)["records"] if path.suffix == ".json" else map(json.loads, text.splitlines())
        )
        tally: Counter[str] = Counter()
        for r in records:
            quotes = [c["quote"] for c in r["citations"]]
            raws = [n.removeprefix("raw: ") for n in r.get("notes") or [] if n.startswith("raw: ")]
            for answer in dict.fromkeys([*raws, r["answer"]]):
                if r["abstained"] and answer == r["answer"]:
                    continue
                tally["answers"] += 1
                if not quotes or not check.run(r["question"], answer, quotes):
                    continue
                gold = by_id.get(r["id"])
                verdict = (
                    "?" if gold is None else "RIGHT" if judge_strict(answer, False, gold).passed else "wrong"
                )
                tally[verdict] += 1
                if args.verbose:
                    print(f"  {verdict} {r['id']}: {r['question'][:70]} -> {answer[:40]} | {quotes[0][:100]}")
        flagged = tally["wrong"] + tally["RIGHT"] + tally["?"]
        print(
            f"{path}: {flagged} of {tally['answers']} answers flagged "
            f"({tally['wrong']} wrong, {tally['RIGHT']} right, {tally['?']} unjudged)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
