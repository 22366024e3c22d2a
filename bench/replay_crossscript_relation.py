"""Replay a relation check across scripts, tried and left out at stop 48, over the answers on record.

    python bench/replay_crossscript_relation.py var/eval/*48e.json var/explore/x*48e.jsonl

`rag.constraints.check_relation` and `rag.chinese_relation.check_relation` compare a short question's
relation words with its cited passages within one script, so an answer cited only from articles in
the other script skips the check ("日本女摔角手木村花的葬礼是哪天办的" answered with the day her death was
announced). Through the question's translation it refused mostly right answers (stop 47: translations
add words the articles do not use). This replay reads the question's own relation words against the
cited passages' words in the other script with the index's multilingual embedding: a relation word is
stated when one of the passages' words (jieba's for Chinese, letters for English) comes within
`--bar` cosine of it, and the answer is refused when less than half are, as within one script.

Labels as `bench/replay_chinese_rules.py`: right, wrong, null (an answered question the corpus cannot
answer) for eval runs; null or "?" (unscored) for exploration rounds. Each distinct question and
answer is read once.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.replay_chinese_rules import _cited, _records
from index.cjk import HAN_CHAR
from index.offline import enforce_offline
from rag.bm25 import tokenize
from rag.chinese_relation import relation_words as chinese_relation_words
from rag.constraints import background_words, occurrence_words, relation_words, value_kind_words
from rag.meaning import MIN_WORD_SIMILARITY, index_embedder

_STOP = frozenset(
    "the a an of to in on at for and or but is was were are be been by with as from that this it its "
    "their his her they he she we you i not no".split()
)


def _passage_words(texts: list[str], han: bool) -> list[str]:
    import jieba  # only here: loads its dictionary

    words: set[str] = set()
    for text in texts:
        if han:
            words |= {w for w in jieba.cut(text) if len(w) >= 2 and HAN_CHAR.search(w)}
        else:
            words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text) if w.lower() not in _STOP}
    return sorted(words)


def _asked_words(question: str, answer: str) -> tuple[dict[str, str], set[str]]:
    """The question's relation words as written ({key: word}) and those it may leave unstated."""
    if HAN_CHAR.search(question):
        words, excusable = chinese_relation_words(question, answer)
        return {w: w for w in words}, set(excusable)
    stems = relation_words(question, answer)
    excusable = stems & (value_kind_words(question) | background_words(question) | occurrence_words(question))
    written: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z'-]+", question):
        stem = tokenize(word, query=True)
        if stem and stem[0] in stems:
            written.setdefault(stem[0], word.lower())
    return written, excusable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--bar", type=float, default=MIN_WORD_SIMILARITY)
    args = parser.parse_args(argv)
    enforce_offline()
    embed = index_embedder()
    vectors: dict[str, np.ndarray] = {}

    def vec(words: list[str]) -> np.ndarray:
        new = [w for w in words if w not in vectors]
        if new:
            vectors.update(zip(new, embed(new), strict=True))
        return np.array([vectors[w] for w in words])

    seen: set[tuple[str, str]] = set()
    counts: Counter[tuple[str, str]] = Counter()
    for record, label, _ in _records(args.runs):
        key = (record["question"], record["answer"])
        if record.get("abstained") or not record.get("citations") or key in seen:
            continue
        seen.add(key)
        question = record["question"]
        passages, _ = _cited(record)
        question_is_han = bool(HAN_CHAR.search(question))
        if any(bool(HAN_CHAR.search(p)) == question_is_han for p in passages):
            continue  # some cited passage is in the question's script: checked there today
        written, excusable = _asked_words(question, record["answer"])
        theirs = _passage_words(passages, han=not question_is_han)
        if not written or not theirs:
            continue
        keys = sorted(written)
        sims = vec([written[k] for k in keys]) @ vec(theirs).T
        unstated = {k for i, k in enumerate(keys) if sims[i].max() < args.bar}
        counted = len(keys) - len(unstated & excusable)
        coverage = 1 - len(unstated - excusable) / counted if counted else 1.0
        counts[(label, "read")] += 1
        if coverage < 0.5:
            counts[(label, "refused")] += 1
            closest = ", ".join(
                f"{written[k]}~{theirs[int(sims[i].argmax())]} {sims[i].max():.2f}"
                for i, k in enumerate(keys)
            )
            print(f"{label:5} {record.get('id')}: {question[:60]} -> {record['answer'][:30]} | {closest}")
    for (label, what), n in sorted(counts.items()):
        print(f"{label} {what}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
