"""Does a forced choice among the cited sentence's candidates catch answers the Yes/No judge passes?

    NEWSRAG_MIN_ANSWER_PROBABILITY=0.0001 newsrag eval --split tune --subset var/eval/tune_subject_ids.txt \
        --resume var/eval/tune_subj_open.jsonl
    python bench/choice_judge.py var/eval/tune_subj_open.jsonl var/eval/tune_mh_open.jsonl

The answer judge asks "is this answer correct?" of one answer, and a small model says Yes to a value
of the right kind from the cited sentence even when the sentence ties it to something else ("6.3" for
the aftershock's magnitude, from "an earthquake with reported magnitude 6.3 ... a 5.0 magnitude
aftershock"). Here the same model is asked to choose, among the answer and the sentence's other
values of its kind (other numbers for a number, other names for a name) and "the passage does not
say", which one answers the question; P(the answer's letter) is calibrated on content-free options.
Prints, over the run's answers that have such competitors, each judge's ROC AUC, and what refusing
below each threshold would catch among the answers the shipped judge passes. Tuning half only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.judge_prompts import auc, open_index_and_scorer

LETTERS = ("A", "B", "C", "D", "E")
NONE_OF_THESE = "The passage does not say"
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NAME = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|de|la|van|von|bin|al|the|and)\s+)?[A-Z][\w'’-]*)*")
_MARKER = re.compile(r"\s*\[\d+\]")
_P = re.compile(r"p_answers=([0-9.]+)")


def template(n: int) -> str:
    options = "\n".join(f"{LETTERS[i]}. {{option{i}}}" for i in range(n))
    return (
        'Passage ("{title}" - {source}, published {date}):\n<<<\n{evidence}\n>>>\n\n'
        "Question: {question}\n\nWhich option answers the question, according to the passage?\n"
        f"{options}\n\nReply with the letter."
    )


def competitors(question: str, answer: str, quote: str) -> list[str]:
    """The quote's other values of the answer's kind that the question does not name."""
    from index.calendar import MONTH_NAMES
    from rag.constraints import NOT_NAMES

    if re.search(r"[\u4e00-\u9fff]", question + answer) or re.match(r"(?i)^\W*(yes|no)\b", answer):
        return []
    folded = answer.casefold()
    if any(m in folded for m in MONTH_NAMES):
        return []  # dates: left to the date checks
    if _NUMBER.search(answer):
        mine = set(_NUMBER.findall(answer)) | set(_NUMBER.findall(question))
        return list(dict.fromkeys(n for n in _NUMBER.findall(quote) if n not in mine))[:3]
    asked = {w.casefold() for w in re.findall(r"[\w'’-]+", question + " " + answer)}
    out = []
    for m in _NAME.finditer(quote):
        words = [w for w in m.group(0).split() if w.casefold() not in NOT_NAMES]
        if words and not {w.casefold() for w in words} & asked:
            out.append(" ".join(words))
    return list(dict.fromkeys(out))[:3]


def main(argv: list[str] | None = None) -> int:
    from index.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path, nargs="+")
    parser.add_argument("--min-p", type=float, default=0.94, help="the shipped Yes/No judge's threshold")
    parser.add_argument("--json", type=Path, help="write each example's probabilities here")
    args = parser.parse_args(argv)

    from rag.generation import SYSTEM_PROMPT, publication_day
    from rag.judge import Judge

    index, scorer = open_index_and_scorer()
    judges: dict[int, Judge] = {}

    examples = []
    seen = set()
    for path in args.records:
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            r = json.loads(line)
            if r["abstained"] or not r["citations"] or r["error"]:
                continue
            p_yes = next((float(m.group(1)) for n in r["notes"] if (m := _P.search(n))), None)
            answer = _MARKER.sub("", r["answer"]).strip()
            if p_yes is None or (r["id"], answer) in seen:
                continue
            seen.add((r["id"], answer))
            c = r["citations"][0]
            rivals = competitors(r["question"], answer, c["quote"])
            if not rivals:
                continue
            article = index.get_article(c["article_id"])
            if article is None:
                continue
            options = [answer, *rivals, NONE_OF_THESE]
            n = len(options)
            if n not in judges:
                judges[n] = Judge(
                    scorer,
                    SYSTEM_PROMPT,
                    template(n),
                    ("title", "source", "date", "evidence", "question", *(f"option{i}" for i in range(n))),
                    labels=LETTERS[:n],
                )
            values = {
                "title": article.title,
                "source": article.source or "unknown source",
                "date": publication_day(article.published_at),
                "evidence": c["quote"],
                "question": r["question"],
                **{f"option{i}": o for i, o in enumerate(options)},
            }
            verdict = judges[n].run(**values)
            examples.append(
                {
                    "id": r["id"],
                    "right": bool(r["strict"]),
                    "answer": answer,
                    "rivals": rivals,
                    "p_yes": p_yes,
                    "p_choice": verdict.p("A"),
                    "p_none": verdict.p(LETTERS[n - 1]),
                }
            )
            print(
                f"{'RIGHT' if r['strict'] else 'wrong'} {r['id']:8} yes={p_yes:.3f} choice={verdict.p('A'):.3f} "
                f"none={verdict.p(LETTERS[n - 1]):.3f} {answer[:30]!r} vs {rivals}",
                flush=True,
            )
    right = [e for e in examples if e["right"]]
    wrong = [e for e in examples if not e["right"]]
    print(f"\n{len(examples)} answers with competitors: {len(right)} right, {len(wrong)} wrong")
    for key in ("p_yes", "p_choice"):
        print(f"AUC {key}: {auc([e[key] for e in right], [e[key] for e in wrong]):.3f}")
    passed = [e for e in examples if e["p_yes"] >= args.min_p]
    print(f"\nof the {len(passed)} the Yes/No judge passes at {args.min_p}:")
    print("| refuse when P(choice) < | wrong caught | right lost |\n|---|---|---|")
    for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
        caught = sum(1 for e in passed if not e["right"] and e["p_choice"] < t)
        lost = sum(1 for e in passed if e["right"] and e["p_choice"] < t)
        print(
            f"| {t} | {caught} of {sum(not e['right'] for e in passed)} | {lost} of {sum(e['right'] for e in passed)} |"
        )
    if args.json:
        args.json.write_text(json.dumps(examples, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
