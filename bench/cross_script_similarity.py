"""How near in meaning the question is to the passages an answer cites across scripts (a Chinese
question answered from English passages, or the reverse), for right and for wrong answers.

    python bench/cross_script_similarity.py var/eval/tune*.json var/eval/yn_tune*.json

Prints, per distinct answer whose every citation is in the other script, the embedding model's
cosine between the question and the best cited passage, then the best quoted sentence, whether the
answer is right, and the question. Measured at stop 39 for a bar that would refuse answers cited
from an unrelated article ("Clairton" to a Chinese question about Hong Kong); none separates them.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.store import NewsIndex

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _unit(vector: list[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32)
    return v / np.linalg.norm(v)


def main(argv: list[str]) -> int:
    embed = NewsIndex.open().embed_model
    answers: dict[tuple[str, str], tuple[bool, str, list[str], list[str]]] = {}
    for path in argv:
        for r in json.loads(Path(path).read_text(encoding="utf-8")).get("records", []):
            if r["abstained"] or not r["citations"]:
                continue
            chinese = bool(_HAN.search(r["question"]))
            if not all(bool(_HAN.search(c["quote"])) != chinese for c in r["citations"]):
                continue
            by_chunk = {p["chunk_id"]: p["text"] for p in r["retrieved"]}
            passages = [by_chunk.get(c["chunk_id"], c["quote"]) for c in r["citations"]]
            quotes = [c["quote"] for c in r["citations"]]
            answers[(r["id"], r["answer"])] = (r["strict"], r["question"], passages, quotes)
    rows = []
    for (qid, answer), (right, question, passages, quotes) in answers.items():
        q = _unit(embed.get_query_embedding(question))
        to_passage = max(float(q @ _unit(embed.get_text_embedding(t))) for t in passages)
        to_quote = max(float(q @ _unit(embed.get_text_embedding(t))) for t in quotes)
        rows.append((to_passage, to_quote, right, qid, question[:60], answer[:30]))
    for to_passage, to_quote, right, qid, question, answer in sorted(rows):
        print(f"{to_passage:.3f} {to_quote:.3f} {'right' if right else 'WRONG'} {qid} {question} | {answer}")
    for label, keep in (("right", True), ("wrong", False)):
        picked = [r[0] for r in rows if r[2] is keep]
        if picked:
            print(f"{label}: {len(picked)} answers, passage cosine {min(picked):.3f}-{max(picked):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
