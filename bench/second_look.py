"""Would a second look rescue yes/no questions about two reports that the generator abstained on?

    python bench/second_look.py --records var/eval/dev.jsonl --limit 30

Reads an eval checkpoint (`newsrag eval --resume FILE`), takes the answerable yes/no questions that
were abstained on and that decompose into two or more parts, and asks the generator three ways:
  A  the usual prompt over just the best passage of each part (one per report);
  B  the same passages with "answer Yes or No" and no permission to abstain;
  C  one Yes/No question per part over that part's passage, "yes" only if every part is "yes".
Prints each question's verdicts and the right/wrong tally of each variant beside the majority
class (always answering the more common gold answer). Result and decision: docs/answering.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.offline import enforce_offline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True, help="an eval checkpoint (JSONL)")
    parser.add_argument("--limit", type=int, default=30)
    args = parser.parse_args()
    enforce_offline()

    from llama_index.core.base.llms.types import ChatMessage, MessageRole

    from index.store import NewsIndex
    from rag.context import ordering_notes
    from rag.decompose import decompose_detailed
    from rag.generation import SYSTEM_PROMPT, build_messages, render_passages
    from rag.llm import build_llm
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings

    records = [json.loads(line) for line in args.records.read_text().splitlines()[1:] if line.strip()]
    targets = [
        r for r in records
        if r["abstained"] and not r["gold"]["null"] and r["gold"]["answer"].lower() in ("yes", "no")
        and len(decompose_detailed(r["question"])) >= 2
    ]  # fmt: skip
    random.Random(0).shuffle(targets)
    targets = targets[: args.limit]
    print(f"{len(targets)} abstained yes/no questions about several reports", flush=True)

    settings = RagSettings()
    retriever = HybridRetriever(NewsIndex.open(settings.index), settings)
    llm = build_llm(settings)
    forced_system = re.sub(r"\n4\. If the passages do not state the answer[^\n]*", "", SYSTEM_PROMPT)

    def ask(system: str, user: str) -> str:
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=user),
        ]
        return llm.chat(messages).message.content or ""

    def verdict(text: str) -> str:
        m = re.match(r"\s*(yes|no)\b", text, re.IGNORECASE)
        return m.group(1).lower() if m else "abstain"

    tally: dict[str, Counter] = {k: Counter() for k in "ABC"}
    for r in targets:
        question, gold = r["question"], r["gold"]["answer"].lower()
        parts = decompose_detailed(question)
        picks = []
        for part in parts:
            hits = retriever.retrieve(part.text, top_k=5)
            pick = next((p for p in hits if p.article_id not in {q.article_id for q in picks}), None)
            if pick is not None:
                picks.append(pick)
        a = verdict(
            llm.chat(build_messages(question, picks, ordering_notes(question, picks))).message.content or ""
        )
        b = verdict(
            ask(
                forced_system,
                f"Passages:\n\n{render_passages(picks)}\n\nQuestion: {question}\nAnswer Yes or No, then cite the passages [n]:",
            )
        )
        per_part = [
            verdict(ask(forced_system, f"Passages:\n\n{render_passages([p])}\n\nQuestion: Does the passage support this: {part.text}?\nAnswer Yes or No, then cite [1]:"))
            for part, p in zip(parts, picks, strict=False)
        ]  # fmt: skip
        c = "yes" if per_part and all(v == "yes" for v in per_part) else "no"
        row = {
            "id": r["id"],
            "type": r["question_type"],
            "gold": gold,
            "A": a,
            "B": b,
            "C": c,
            "C_parts": per_part,
        }
        print(json.dumps(row), flush=True)
        for k, v in (("A", a), ("B", b), ("C", c)):
            tally[k]["right" if v == gold else "abstain" if v == "abstain" else "wrong"] += 1

    golds = Counter(r["gold"]["answer"].lower() for r in targets)
    print(
        f"\nmajority class ({golds.most_common(1)[0][0]!r} always): {golds.most_common(1)[0][1]}/{len(targets)} right"
    )
    for k, counts in tally.items():
        print(f"variant {k}: {counts['right']} right, {counts['wrong']} wrong, {counts['abstain']} abstained")


if __name__ == "__main__":
    main()
