"""Would a judge that continues the answer's own chat rank answers as well as the separate judge, faster?

    NEWSRAG_PROMPT_CACHE_DIR=var/prompt_cache_copy python bench/continuation_judge.py \\
        var/eval/tune_subj34b.json var/eval/continuation_subj.jsonl

The answer judge (`rag.answerability`) reads a prompt of its own: the answer prompt's system turn
(kept in llama.cpp's KV cache) and a user turn with the cited sentence, the question and the answer,
about 130 tokens evaluated afresh, 2-2.5 s on two cores. After generating, the KV cache already holds
the whole answer chat (passages, question, reply), so a judge asked as one more user turn of that
chat ("Is your answer stated in this sentence of passage [n]? ...") would evaluate only that turn.

For each question of a recorded tuning-half run whose answer reached the judge (its notes carry
"p_answers="), this asks again (use a copy of that run's prompt cache, so generation and the judge
are replayed from it), captures the answer chat and what the judge was given, evaluates the chat
with the reply, then times the continuation turn alone and reads P(Yes) from its first-token logits.
It prints the ROC AUC of both judges over the same answers (right answers against wrong ones and
answered nulls; the reply's own correctness, whatever the judge then decided) and the continuation
turn's median time.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.judge_prompts import auc
from eval.gold import load_gold_sets
from eval.metrics import judge_strict
from index.offline import enforce_offline

TURN = (
    'Passage [{n}] says: "{quote}"\n'
    "Does this sentence state that the answer to the question is {answer}? Reply Yes or No."
)
_P = re.compile(r"p_answers=([0-9.]+)")
_MARKER = re.compile(r"\s*\[\d+\]")


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="a `newsrag eval --json` run (tuning half)")
    ap.add_argument("out", type=Path, help="JSON lines written here")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(argv)

    from llama_index.core.base.llms.types import ChatMessage, MessageRole

    import rag.generation as generation
    from rag.assistant import Assistant
    from rag.judge import LabelScorer
    from rag.prompts import messages_to_chatml

    run = json.loads(args.run.read_text(encoding="utf-8"))
    judged = {}
    for r in run["records"]:
        note = next((n for n in r["notes"] if n.startswith("answer check")), "")
        if m := _P.search(note):
            judged[r["id"]] = float(m.group(1))
    ids = list(judged)[: args.limit]
    gold = {g.id: g for g in load_gold_sets()}  # every packaged dev set

    seen: dict[str, Any] = {}
    build = generation.build_messages

    def capture(*a: Any, **k: Any) -> Any:
        seen["messages"] = build(*a, **k)
        return seen["messages"]

    generation.build_messages = capture
    assistant = Assistant.open()
    check = assistant._answer_check.run

    def capture_check(question: str, text: str, citations: Any, passages: Any, *a: Any, **k: Any) -> Any:
        seen["judged"] = (text, list(citations), list(passages))
        return check(question, text, citations, passages, *a, **k)

    assistant._answer_check.run = capture_check  # type: ignore[method-assign]
    generate = assistant._generator.run

    def capture_reply(*a: Any, **k: Any) -> Any:
        pieces = list(generate(*a, **k))
        seen["reply"] = "".join(pieces)
        return iter(pieces)

    assistant._generator.run = capture_reply  # type: ignore[method-assign]
    llm = assistant._generator._llm
    llama = llm._model
    scorer = LabelScorer(llm)
    yes, no = scorer._label_ids("Yes"), scorer._label_ids("No")

    rows = []
    with args.out.open("w", encoding="utf-8") as out:
        for qid in ids:
            g = gold[qid]
            seen.clear()
            assistant.ask(g.query)
            if "judged" not in seen or "reply" not in seen:
                continue
            text, citations, passages = seen["judged"]
            order = {p.chunk_id: i + 1 for i, p in enumerate(passages)}
            first = next((c for c in citations if c.chunk_id in order), None)
            if first is None:
                continue
            answer = _MARKER.sub("", text).strip()
            chat = [
                *seen["messages"],
                ChatMessage(role=MessageRole.ASSISTANT, content=seen["reply"].strip()),
                ChatMessage(
                    role=MessageRole.USER,
                    content=TURN.format(n=order[first.chunk_id], quote=first.quote, answer=answer),
                ),
            ]
            prompt = messages_to_chatml(chat, None)
            head = messages_to_chatml(chat[:-1], None)
            head = head[: head.rfind("<|im_end|>")]  # what the KV cache holds after generating
            with llm._call_lock:
                tokens = llama.tokenize(prompt.encode(), add_bos=False, special=True)
                held = len(llama.tokenize(head.encode(), add_bos=False, special=True))
                llama.n_tokens = 0
                llama.eval(tokens[:held])
                started = time.perf_counter()
                llama.eval(tokens[held:])
                seconds = time.perf_counter() - started
                logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),))
                top = max(float(logits[yes].max()), float(logits[no].max()))
                p_yes = float(np.exp(logits[yes] - top).sum())
                p_yes /= p_yes + float(np.exp(logits[no] - top).sum())
            right = (not g.is_null) and judge_strict(answer, False, g).passed
            row = {
                "id": qid,
                "null": g.is_null,
                "right": right,
                "answer": answer,
                "p_judge": judged[qid],
                "p_continuation": round(p_yes, 4),
                "turn_tokens": len(tokens) - held,
                "turn_s": round(seconds, 3),
            }
            rows.append(row)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            print(
                qid,
                "right" if right else "wrong",
                row["p_judge"],
                row["p_continuation"],
                row["turn_s"],
                flush=True,
            )

    pos = [r for r in rows if r["right"]]
    neg = [r for r in rows if not r["right"]]
    print(f"{len(rows)} judged answers: {len(pos)} right, {len(neg)} wrong or answering a null")
    for key in ("p_judge", "p_continuation"):
        print(f"ROC AUC {key}: {auc([r[key] for r in pos], [r[key] for r in neg]):.3f}")
    if rows:
        print(
            f"continuation turn: median {statistics.median(r['turn_s'] for r in rows):.2f} s, "
            f"{statistics.median(r['turn_tokens'] for r in rows):.0f} tokens"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
