"""Replay stop 47's rules that read cited sentences over the sentences on record, the gold's evidence
and the demo corpus, and print where each fires.

    python bench/replay_quote_rules.py --rule asked var/eval/*.json var/explore/*.jsonl
    python bench/replay_quote_rules.py --rule counted-before var/eval/*.json var/explore/*.jsonl

Rules:
- asked (`rag.evidence.not_evidence`, "question"): a question put to someone, reported with no reply
  ("李问被问及此次推演是否参考了……"), is never evidence. Read over every sentence of the demo corpus,
  every gold evidence sentence and every distinct sentence cited in the runs;
- counted-before (`rag.aboutness.OtherCountedThingCheck`): a count whose sentence names the counted
  thing before the number ("the total number of confirmed deaths ... surpassed 100,000"). Each
  distinct cited answer of the runs, and each gold answer with its evidence sentences, is checked
  with and without reading there; the answers where the two differ are listed.

Runs are `newsrag eval --json` outputs (labelled right, wrong or null by the gold) and `newsrag ask
--questions ... --json` outputs (labelled "null" for an exploration round's near miss, "?" otherwise).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.replay_chinese_rules import _exploration_questions
from eval.gold import DEFAULT_SETS, load_gold_sets
from eval.metrics import judge_strict
from rag import aboutness
from rag.evidence import _reports_a_question, not_evidence
from rag.meaning import index_embedder

ROOT = Path(__file__).resolve().parents[1]
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


def _records(paths: list[Path]) -> Iterator[dict]:
    for path in paths:
        if path.suffix == ".json":
            run = json.loads(path.read_text(encoding="utf-8"))
            yield from run.get("records", []) if isinstance(run, dict) else []
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue  # a run cut short leaves a partial last line


def _asked(paths: list[Path]) -> None:
    corpus = [
        s
        for path in sorted((ROOT / "index" / "demo").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for s in _SENTENCE_END.split(json.loads(line).get("body") or "")
    ]
    hits = [s for s in corpus if _reports_a_question(s.strip())]
    print(f"demo corpus: {len(hits)} of {len(corpus)} sentences report a question put to someone")
    for s in hits:
        print(f"  {s.strip()[:150]}")
    gold = [e.fact for g in load_gold_sets(DEFAULT_SETS) for e in g.evidence]
    flagged = [s for s in gold if not_evidence(s) == "question"]
    print(f"gold evidence sentences read as a question: {len(flagged)} of {len(gold)}")
    cited = {c["quote"]: r for r in _records(paths) for c in r.get("citations") or []}
    fired = [(q, r) for q, r in cited.items() if not_evidence(q) == "question"]
    print(f"distinct cited sentences read as a question: {len(fired)} of {len(cited)}")
    for quote, r in fired:
        print(f"  {r.get('id')}: {r['question'][:60]} -> {r['answer'][:30]} | {quote[:120]}")


def _counted_before(paths: list[Path]) -> None:
    check = aboutness.OtherCountedThingCheck(index_embedder())
    reads_before = aboutness._counted_before

    def differs(question: str, answer: str, quotes: list[str]) -> bool:
        with_it = check.run(question, answer, quotes)
        aboutness._counted_before = lambda before: []
        try:
            return with_it != check.run(question, answer, quotes)
        finally:
            aboutness._counted_before = reads_before

    golds = load_gold_sets(DEFAULT_SETS)
    changed = [
        (g.id, a)
        for g in golds
        if not g.is_null
        for a in (g.answer, *g.aliases)
        if differs(g.query, a, [e.fact for e in g.evidence])
    ]
    print(f"gold answers changed: {len(changed)}")
    for qid, answer in changed:
        print(f"  {qid}: {answer}")
    by_id, rounds = {g.id: g for g in golds}, _exploration_questions()
    seen: set[tuple[str, str]] = set()
    for r in _records(paths):
        if r.get("abstained") or not r.get("citations") or (r["question"], r["answer"]) in seen:
            continue
        seen.add((r["question"], r["answer"]))
        if not differs(r["question"], r["answer"], [c["quote"] for c in r["citations"]]):
            continue
        if "gold" in r:
            label = "right" if judge_strict(r["answer"], False, by_id[r["id"]]).passed else "wrong"
        else:
            label = "?" if rounds.get(r.get("id"), {}).get("answerable", True) else "null"
        print(f"  {label:5} {r.get('id')}: {r['question'][:70]} -> {r['answer'][:30]}")
    print(f"distinct cited answers read: {len(seen)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="*", type=Path)
    parser.add_argument("--rule", choices=["asked", "counted-before"], required=True)
    args = parser.parse_args(argv)
    (_asked if args.rule == "asked" else _counted_before)(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
