"""Would the generator's next most likely answers rescue the questions whose answer the checks refused?

    NEWSRAG_ANSWER_CACHE_SIZE=0 python bench/alternative_answers.py var/eval/tune_subj34b.json \\
        var/eval/alternatives_subj.jsonl [--branches 3] [--limit N]

For each question of a recorded `newsrag eval --json` run (use a tuning-half run) whose generated
answer the checks refused (abstained, though the raw reply was not "Insufficient information."), it
asks again live, re-evaluates the answer prompt, and decodes the greedy reply token by token. At each
position of that reply before its first citation it takes the second most likely token; the
`--branches` most likely of those become branches, each decoded greedily to its end (a beam-like
look at the answers the model nearly gave). Each branch is then put through every check, as if the
generator had replied with it, and judged against the gold answer. Prints one line per question and
writes one JSON object per question.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import load_gold_sets
from eval.metrics import judge_strict
from index.offline import enforce_offline


def refused_ids(run: dict[str, Any]) -> list[str]:
    """Questions answered "Insufficient information." although the generator's raw reply was not."""
    return [
        r["id"]
        for r in run["records"]
        if r["abstained"]
        and any(n.startswith("raw:") and not n.startswith("raw: Insufficient") for n in r["notes"])
    ]


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="a `newsrag eval --json` run (tuning half)")
    ap.add_argument("out", type=Path, help="JSON lines written here")
    ap.add_argument("--branches", type=int, default=3)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(argv)

    import rag.generation as generation
    from rag.assistant import Assistant
    from rag.prompts import messages_to_chatml

    ids = refused_ids(json.loads(args.run.read_text(encoding="utf-8")))[: args.limit]
    gold = {g.id: g for g in load_gold_sets()}  # every packaged dev set
    captured: dict[str, str] = {}
    build = generation.build_messages

    def capture(*a: Any, **k: Any) -> Any:
        messages = build(*a, **k)
        captured["prompt"] = messages_to_chatml(messages, None)
        return messages

    generation.build_messages = capture  # the answer prompt of the latest question
    assistant = Assistant.open()
    llm = assistant._generator._llm
    llama = llm._model
    stop = set(llama.tokenize(b"<|im_end|>", add_bos=False, special=True)) | {llama.token_eos()}

    def logits() -> np.ndarray:
        return np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).astype(np.float64)

    def greedy(first: np.ndarray, limit: int = 32) -> tuple[list[int], list[np.ndarray]]:
        tokens, rows, current = [], [], first
        while len(tokens) < limit:
            token = int(np.argmax(current))
            rows.append(current)
            if token in stop:
                break
            tokens.append(token)
            llama.eval([token])
            current = logits()
        return tokens, rows

    def text(tokens: list[int]) -> str:
        return llama.detokenize(tokens).decode("utf-8", "replace")

    with args.out.open("w", encoding="utf-8") as out:
        for qid in ids:
            g, started = gold[qid], time.perf_counter()
            assistant.ask(g.query)
            with llm._call_lock:
                prompt = llama.tokenize(captured["prompt"].encode(), add_bos=False, special=True)
                llama.n_tokens = 0
                llama.eval(prompt)
                base, rows = greedy(logits())
                cut = next((j for j in range(len(base)) if "[" in text(base[j : j + 1])), len(base))
                branches = []
                for j, row in enumerate(rows[:cut]):
                    p = np.exp(row - row.max())
                    p /= p.sum()
                    alt = int(np.argsort(-p)[1])
                    branches.append((float(p[alt]), j, alt))
                replies = []
                for p_alt, j, alt in sorted(branches, reverse=True)[: args.branches]:
                    llama.n_tokens = len(prompt) + j
                    llama.eval([alt])
                    rest, _ = greedy(logits())
                    replies.append((round(p_alt, 3), j, text([*base[:j], alt, *rest])))
            results = []
            for p_alt, j, reply in replies:
                assistant._generator.run = lambda *a, _r=reply, **k: iter([_r])  # type: ignore[method-assign]
                try:
                    answer = assistant.ask(g.query)
                finally:
                    del assistant._generator.run
                results.append(
                    {
                        "p": p_alt,
                        "at": j,
                        "reply": reply,
                        "final": answer.text,
                        "abstained": answer.abstained,
                        "right": judge_strict(answer.text, answer.abstained, g).passed,
                    }
                )
            row = {"id": qid, "null": g.is_null, "gold": g.answer, "greedy": text(base), "branches": results}
            row["seconds"] = round(time.perf_counter() - started, 1)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            kept = [(b["p"], b["final"][:30], b["right"]) for b in results if not b["abstained"]]
            print(
                qid,
                "null" if g.is_null else "answerable",
                "| greedy:",
                text(base)[:40],
                "| kept:",
                kept,
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
