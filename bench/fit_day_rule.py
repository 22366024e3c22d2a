"""What the day rule of the answer check would refuse, on gold answers and on generated ones.

    python bench/fit_day_rule.py var/eval/tune_subj43e.json var/eval/yn_tune43e.json -v

The rule (`rag.answer_rules.dates_another_day`): a short question that pins what it asks about to a
day ("what magnitude was the jan 7 quake") is not answered by a sentence that dates what it says to
another day ("On Wednesday [15 January] a magnitude 5.2 earthquake hit ..."). It is set by reasoning,
not fitted; this script checks what it costs:
1. every gold answer of both halves whose question pins a day, against its gold sentences, their
   dates resolved from the article's publication day as the index resolves them (a gold sentence
   states the answer, so every refusal is a right answer lost), and
2. every answer generated in the given `newsrag eval --json` runs, against its cited passages (the
   whole passage: a wider window than the check's, so it refuses less here than in the pipeline).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import DEFAULT_SETS, load_gold_sets
from eval.metrics import judge_strict
from index.date_text import find_dates
from index.dates import resolve_dates
from index.language import detect_language
from rag.answer_rules import asked_days, dates_another_day
from rag.support import date_forms


def stated_days(text: str, published_at: str | None) -> list[str]:
    """The ISO days a text states, written in full or resolved from its publication day."""
    resolved = [d.resolved for d in resolve_dates(text, published_at, detect_language(text))]
    written = [iso for _, _, iso in find_dates(text)]
    return sorted({f for iso in [*resolved, *written] for f in date_forms(iso) if len(f) == 10})


def _cited_days(record: dict) -> list[list[str]]:
    """Per cited passage of a run's record, the days its whole text states."""
    by_chunk = {p["chunk_id"]: p for p in record["retrieved"]}
    cited = [by_chunk[c["chunk_id"]] for c in record["citations"] if c["chunk_id"] in by_chunk]
    return [stated_days(p["text"], p["published_at"]) for p in cited]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="*", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list each refused answer")
    args = parser.parse_args(argv)

    gold = [g for g in load_gold_sets(DEFAULT_SETS) if not g.is_null and asked_days(g.query)]
    lost = [
        g
        for g in gold
        if dates_another_day(g.query, g.answer, [stated_days(e.fact, e.published_at) for e in g.evidence])
    ]
    print(f"gold questions pinning a day: {len(gold)}; gold answers refused: {len(lost)}")
    for g in lost:
        print(f"  {g.id}: {g.query[:80]} -> {g.answer}")

    by_id = {g.id: g for g in load_gold_sets(DEFAULT_SETS)}
    answered = [
        r
        for path in args.runs
        for r in json.loads(path.read_text(encoding="utf-8"))["records"]
        if not r["abstained"] and asked_days(r["question"])
    ]
    refused = [r for r in answered if dates_another_day(r["question"], r["answer"], _cited_days(r))]
    verdicts = [(judge_strict(r["answer"], False, by_id[r["id"]]).passed, r) for r in refused]
    n_right = sum(ok for ok, _ in verdicts)
    print(
        f"generated answers to such questions: {len(answered)}; refused: {len(refused)} "
        f"({len(refused) - n_right} wrong, {n_right} right)"
    )
    for ok, r in verdicts if args.verbose else []:
        print(f"  {'RIGHT' if ok else 'wrong'} {r['id']}: {r['question'][:80]} -> {r['answer'][:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
