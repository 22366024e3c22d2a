"""Which answer-judge prompt separates right answers from wrong ones: AUC per prompt variant.

    python bench/judge_prompts.py var/eval/tune_fit.jsonl [--limit N]

Reads an eval run's records (`newsrag eval --resume FILE`), keeps the generated answers that
survived the citation check, and asks the generator each variant's Yes/No question over the
answer's first citation (the quoted sentence and the `--window` sentences before it, two by
default as in the check, with the article's title, source and date). Prints, per variant, the ROC AUC of the calibrated P(yes) for "the answer is
right" against "wrong or answered a null question", its content-free prior, and the mean seconds
per call. Run it on the tuning half only; `docs/answering.md` records the outcome. The judge is
the generator `rag.settings` builds, so `NEWSRAG_PACKAGED_MODEL=qwen2.5-coder-0.5b` measures the 0.5B.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PASSAGE = 'Passage ("{title}" - {source}, published {date}):\n<<<\n{evidence}\n>>>'
VARIANTS = {
    "states-answer": (
        "Read the passage, the question and the proposed answer.\n\n" + PASSAGE + "\n\nQuestion: {question}\n"
        "Proposed answer: {answer}\n\nDoes the passage state that the proposed answer is the answer to this "
        "question? Reply Yes or No."
    ),
    "is-correct": (
        PASSAGE + "\n\nQuestion: {question}\nAnswer: {answer}\n\nAccording to the passage, is this answer "
        "correct? Reply Yes or No."
    ),
    "answerable": (
        PASSAGE + "\n\nQuestion: {question}\n\nDoes the passage contain the answer to this question? "
        "Reply Yes or No."
    ),
    "same-subject": (
        PASSAGE + "\n\nQuestion: {question}\nProposed answer: {answer}\n\nIs the proposed answer stated in "
        "the passage about exactly what the question asks (the same person, thing, place and time)? "
        "Reply Yes or No."
    ),
}
FIELDS = ("title", "source", "date", "evidence", "question", "answer")


def open_index_and_scorer():
    """The default index and a label scorer over the generator the settings build (replies cached
    under NEWSRAG_PROMPT_CACHE_DIR when set)."""
    from index.settings import IndexSettings
    from index.store import NewsIndex
    from rag.judge import LabelScorer
    from rag.llm import build_llm
    from rag.prompt_cache import PromptCache
    from rag.settings import RagSettings

    settings = RagSettings()
    index = NewsIndex.open(settings.index if settings.index else IndexSettings())
    cache = (
        PromptCache(settings.prompt_cache_dir, settings.generator_id()) if settings.prompt_cache_dir else None
    )
    return index, LabelScorer(build_llm(settings), cache)


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random right answer scores above a random wrong one (ties count half)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main(argv: list[str] | None = None) -> int:
    from index.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--json", type=Path, help="write each example's probabilities here")
    parser.add_argument(
        "--window", type=int, default=2, help="evidence sentences before the quote (the check's default: 2)"
    )
    args = parser.parse_args(argv)

    from index.sentences import sentence_spans
    from rag.generation import SYSTEM_PROMPT, publication_day
    from rag.judge import Judge

    rows = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines()[1:]]
    rows = [r for r in rows if not r["abstained"] and r["citations"] and not r["error"]]
    rows = [
        r
        for r in rows
        if not any(n.startswith(("publication order", "side ", "relation")) for n in r["notes"])
    ]
    rows = rows[: args.limit]
    index, scorer = open_index_and_scorer()
    judges = {v: Judge(scorer, SYSTEM_PROMPT, VARIANTS[v], FIELDS) for v in args.variants}

    examples = []
    for r in rows:
        c = r["citations"][0]
        article = index.get_article(c["article_id"])
        if article is None:
            continue
        spans = [(s, e) for s, e in sentence_spans(article.body) if e <= c.get("start", 0)]
        before = " ".join(article.body[s:e] for s, e in (spans[-args.window :] if args.window else []))
        values = {
            "title": article.title,
            "source": article.source or "unknown source",
            "date": publication_day(article.published_at),
            "evidence": f"{before} {c['quote']}".strip(),
            "question": r["question"],
            "answer": re.sub(r"\s*\[\d+\]", "", r["answer"]).strip(),
        }
        examples.append((bool(r["strict"]), values))
    print(
        f"{len(examples)} answered questions: {sum(e[0] for e in examples)} right, {sum(not e[0] for e in examples)} wrong"
    )
    # Calibration divides by one prior per prompt, a monotone map: it moves the threshold, not the AUC.
    print("| variant | AUC | prior P(yes) | s/call |\n|---|---|---|---|")
    scores: dict[str, list[float]] = {}
    for name, judge in judges.items():
        t = time.perf_counter()
        scores[name] = [judge.run(**values).p("Yes") for _, values in examples]
        seconds = (time.perf_counter() - t) / max(1, len(examples))
        print(
            f"| {name} | {_auc_of(scores[name], examples):.3f} | {judge.prior()[0]:.3f} | {seconds:.2f} |",
            flush=True,
        )
    names = list(scores)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            mean = [(x + y) / 2 for x, y in zip(scores[a], scores[b], strict=True)]
            print(f"| mean of {a} and {b} | {_auc_of(mean, examples):.3f} | | |")
    if args.json:
        rows = [{"right": ok, **{n: scores[n][k] for n in names}} for k, (ok, _) in enumerate(examples)]
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def _auc_of(values: list[float], examples: list) -> float:
    return auc(
        [v for v, (ok, _) in zip(values, examples, strict=True) if ok],
        [v for v, (ok, _) in zip(values, examples, strict=True) if not ok],
    )


if __name__ == "__main__":
    sys.exit(main())
