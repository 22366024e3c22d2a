"""Replay stop 45's rules for Chinese over the answers on record and the gold, and print where each fires.

    python bench/replay_chinese_rules.py --rule relation var/eval/*.json var/explore/*.jsonl
    python bench/replay_chinese_rules.py --rule negation var/eval/*.json var/explore/*.jsonl

Rules (`rag.chinese_relation`, `rag.denials`):
- relation: a Chinese question's relation words over its Chinese cited passages, refused under 0.5;
- event: the event a Chinese when-question asks the time of, unstated by its Chinese cited passages;
- negation: a bare "Yes" citing Chinese sentences that negate the question (asked in Chinese, or as
  translated for the answer check: read from an eval record's notes or an ask run's `.err` log);
- ordinal: a bare "Yes" to whether something was the Nth, citing sentences stating other ordinals.

Runs are `newsrag eval --json` outputs (`.json`: labelled right, wrong or null by the gold) and
`newsrag ask --questions ... --json` outputs (`.jsonl`: labelled by the question file's `answerable`
when it is an exploration round, "?" for a value nobody scored). Each distinct question and answer
is read once, with the passages the run cited (title first). The gold's answers are read with their
evidence sentences, a stricter text than the passages the checks read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.cjk import HAN_CHAR
from rag.chinese_relation import check_relation, unstated_event
from rag.denials import denies_what_is_asked, gives_another_ordinal
from rag.meaning import index_embedder

_TRANSLATED = re.compile(r"(?:translated for the answer check into zh|searched in zh too): ([^;)]*)")
_ASKED = re.compile(r"answered (['\"])(.*?)\1 -> ")
_YES = re.compile(r"(?i)^\W*yes\b")
ROOT = Path(__file__).resolve().parents[1]


def _exploration_questions() -> dict[str, dict]:
    out = {}
    for path in (ROOT / "bench" / "questions").glob("explore_*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                out[q["id"]] = q
    return out


def _records(paths: list[Path]) -> Iterator[tuple[dict, str, dict[str, str]]]:
    """(record, label, {question: its Chinese translation}) for each record of each run."""
    rounds = _exploration_questions()
    for path in paths:
        translations: dict[str, str] = {}
        if path.suffix == ".json":
            run = json.loads(path.read_text(encoding="utf-8"))
            records = run.get("records", []) if isinstance(run, dict) else []  # saved baselines hold none
        else:
            records = []
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a run cut short leaves a partial last line
            log = path.with_suffix(".err")
            for line in (
                log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
            ):
                if (asked := _ASKED.search(line)) and (m := _TRANSLATED.search(line)):
                    translations[asked.group(2)] = m.group(1)
        for r in records:
            if "gold" in r:
                label = "null" if r["gold"].get("null") else ("right" if r["strict"] else "wrong")
            elif r.get("id") in rounds:
                label = "?" if rounds[r["id"]]["answerable"] else "null"
            else:
                continue
            for note in r.get("notes") or []:
                if m := _TRANSLATED.search(note):
                    translations[r["question"]] = m.group(1)
            yield r, label, translations


def _cited(r: dict) -> tuple[list[str], list[str]]:
    """The cited passages (title first) and the quoted sentences."""
    by_chunk = {p["chunk_id"]: p for p in r.get("retrieved") or []}
    passages = [
        f"{c['title']} {by_chunk[c['chunk_id']]['text'] if c['chunk_id'] in by_chunk else c['quote']}"
        for c in r["citations"]
    ]
    return passages, [c["quote"] for c in r["citations"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="*", type=Path)
    parser.add_argument("--rule", choices=["relation", "event", "negation", "ordinal"], required=True)
    args = parser.parse_args(argv)
    embed = index_embedder() if args.rule in ("relation", "event") else None

    def fires(question: str, answer: str, passages: list[str], quotes: list[str]) -> str | None:
        if args.rule == "relation":
            found = check_relation(question, answer, passages, embed)
            return None if found is None or found.coverage >= 0.5 else f"unstated {sorted(found.unstated)}"
        if args.rule == "event":
            return unstated_event(question, passages, embed)
        rule: Callable[[str, str, list[str]], bool] = (
            denies_what_is_asked if args.rule == "negation" else gives_another_ordinal
        )
        return "fires" if rule(question, answer, quotes) else None

    counts: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for r, label, translations in _records(args.runs):
        if r.get("abstained") or not r.get("citations") or (r["question"], r["answer"]) in seen:
            continue
        seen.add((r["question"], r["answer"]))
        passages, quotes = _cited(r)
        question = r["question"]
        if args.rule in ("negation", "ordinal"):
            if not _YES.match(r["answer"]):
                continue
            if args.rule == "negation" and not HAN_CHAR.search(question):
                question = translations.get(question, "")  # the rule reads an English question's translation
        if not question:
            continue
        counts[f"read {label}"] += 1
        if why := fires(question, r["answer"], passages, quotes):
            counts[f"fires on {label}"] += 1
            print(f"  {label:5} {r.get('id')}: {r['question'][:70]} -> {r['answer'][:40]}  ({why})")
    gold = Counter()
    for path in sorted((ROOT / "eval" / "gold").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            g = json.loads(line) if line.strip() else None
            if not g or g["answer"].startswith("Insufficient") or not g.get("evidence_list"):
                continue
            passages = [f"{e['title']} {e.get('fact', '')}" for e in g["evidence_list"]]
            quotes = [e.get("fact", "") for e in g["evidence_list"]]
            answer = f"{g['answer']} [1]"
            if args.rule in ("negation", "ordinal") and g["answer"] != "Yes":
                continue
            gold["read"] += 1
            if why := fires(g["query"], answer, passages, quotes):
                gold["refused"] += 1
                print(f"  gold  {g['id']}: {g['query'][:70]}  ({why})")
    print(f"{len(seen)} distinct answers read; " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    print(f"gold answers read: {gold['read']}, refused: {gold['refused']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
