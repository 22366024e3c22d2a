"""Fit the answer check on the tuning half: what each rule catches and what it costs.

    NEWSRAG_MIN_ANSWER_PROBABILITY=0.0001 NEWSRAG_REQUIRE_QUESTION_CONSTRAINTS=false \\
        newsrag eval --split tune --resume var/eval/tune_fit.jsonl      # record, do not enforce
    python bench/fit_answer_check.py var/eval/tune_fit.jsonl

Reads the records of a run that computed the checks without enforcing them (the judge's calibrated
probability is in each answer's notes), recomputes the question-constraint check at three scopes
(the quoted sentence with the two before it; the whole retrieved passage; the whole article, with
title, source and date each time) from the stored articles, and prints, for each rule, how many
wrong answers (answered nulls and wrong values) it turns into abstentions and how many right answers
it loses, and the strict accuracy and abstention rates the tuning half would get. The chosen rule
and threshold go into rag/settings.py with a comment naming this script and the half.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_P = re.compile(r"p_answers=([0-9.]+)")


def main(argv: list[str] | None = None) -> int:
    from index.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path)
    parser.add_argument("--max-right-lost", type=float, default=0.02, help="share of answerable questions")
    args = parser.parse_args(argv)

    from index.sentences import sentence_spans
    from index.store import NewsIndex
    from rag.constraints import Scope, missing, question_constraints
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings
    from rag.subject import cites_subject

    settings = RagSettings()
    index = NewsIndex.open(settings.index)
    sources = HybridRetriever(index, settings).known_sources
    records = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines()[1:]]

    rows = []  # one per generated, cited answer
    for r in records:
        note = next((n for n in r.get("notes", []) if n.startswith("answer check")), None)
        if note is None or r["abstained"] or not r["citations"]:
            continue
        m = _P.search(note)
        constraints = question_constraints(r["question"], sources)
        scopes: dict[str, list[Scope]] = {"window": [], "passage": [], "article": []}
        for c in r["citations"]:
            article = index.get_article(c["article_id"])
            if article is None:
                continue
            start = c.get("start", article.body.find(c["quote"]))
            before = [article.body[s:e] for s, e in sentence_spans(article.body) if e <= start][-2:]
            passage = next((p["text"] for p in r["retrieved"] if p["chunk_id"] == c["chunk_id"]), c["quote"])
            meta = (article.title, article.source, article.published_at)
            scopes["window"].append(Scope(" ".join([*before, c["quote"]]), *meta))
            scopes["passage"].append(Scope(passage, *meta))
            scopes["article"].append(Scope(article.body, *meta))
        cited_articles = [index.get_article(c["article_id"]) for c in r["citations"]]
        texts = [f"{a.title}\n{a.body}" for a in cited_articles if a is not None]
        absent = {"subject": cites_subject(r["question"], texts, sources) is False}
        for scope_name, found in scopes.items():
            left = None
            for scope in found:
                gone = set(missing(constraints, scope))
                left = gone if left is None else left & gone
            absent[scope_name] = bool(left)
        rows.append(
            {
                "id": r["id"],
                "right": bool(r["strict"]),
                "null": bool(r["gold"]["null"]),
                "p": float(m.group(1)) if m else None,
                **{f"missing_{k}": v for k, v in absent.items()},
            }
        )

    answered = len(rows)
    nulls = [r for r in records if r["gold"]["null"]]
    answerable = [r for r in records if not r["gold"]["null"]]
    right_now = sum(r["strict"] for r in records)
    print(
        f"{len(records)} questions, {answered} generated answers checked: {sum(r['right'] for r in rows)} right, "
        f"{sum(not r['right'] and not r['null'] for r in rows)} wrong, {sum(r['null'] for r in rows)} answered nulls"
    )

    def report(name: str, rejects: Callable[[dict], bool]) -> tuple[float, int]:
        caught = [r for r in rows if rejects(r)]
        lost = sum(r["right"] for r in caught)
        nulls_caught = sum(r["null"] for r in caught)
        wrong_caught = sum(not r["right"] and not r["null"] for r in caught)
        strict = (right_now - lost + nulls_caught) / len(records)
        null_abst = (sum(r["abstained"] for r in nulls) + nulls_caught) / max(1, len(nulls))
        wrong_abst = (sum(r["abstained"] for r in answerable) + lost + wrong_caught) / max(1, len(answerable))
        print(
            f"| {name} | {nulls_caught} | {wrong_caught} | {lost} | {strict:.3f} | {null_abst:.3f} | {wrong_abst:.3f} |"
        )
        return strict, lost

    print(
        "\n| rule | answered nulls caught | wrong answers caught | right answers lost | strict | null abstained | answerable abstained |"
    )
    print("|---|---|---|---|---|---|---|")
    report("none", lambda r: False)
    for scope in ("window", "passage", "article"):
        report(f"constraints in {scope}", lambda r, s=scope: r[f"missing_{s}"])
    report("cited articles name none of the subject's names", lambda r: r["missing_subject"])
    for t in (0.9, 0.94):
        report(f"P(answers) < {t}", lambda r, t=t: r["p"] is not None and r["p"] < t)
        report(
            f"P(answers) < {t} or subject not named",
            lambda r, t=t: (r["p"] is not None and r["p"] < t) or r["missing_subject"],
        )
    best = None
    for t in [round(0.05 * k, 2) for k in range(2, 16)] + [round(0.8 + 0.01 * k, 2) for k in range(20)]:
        for scope in (None, "passage", "article"):
            name = f"P(answers) < {t}" + (f" or constraints not in {scope}" if scope else "")

            def rule(r: dict, t: float = t, scope: str | None = scope) -> bool:
                return (r["p"] is not None and r["p"] < t) or (scope is not None and r[f"missing_{scope}"])

            strict, lost = report(name, rule)
            if lost <= args.max_right_lost * len(answerable) and (best is None or strict > best[0]):
                best = (strict, name)
    if best:
        print(
            f"\nbest rule losing <= {args.max_right_lost:.0%} of the answerable questions: {best[1]} (strict {best[0]:.3f})"
        )
    fit_verdicts(records)
    return 0


_SIDE = re.compile(r"stated ([0-9.]+), contradicted ([0-9.]+)")
_JOINT = re.compile(r"P\(yes\)=([0-9.]+)(?: \(raw ([0-9.]+)\))?")


def fit_verdicts(records: list[dict]) -> None:
    """Yes/no verdicts under other decision points, simulated from the probabilities in the notes."""
    from eval.metrics import gold_polarity

    sided, joint = [], []
    for r in records:
        gold = gold_polarity(r["gold"]["answer"]) or ("null" if r["gold"]["null"] else "other")
        for note in r.get("notes", []):
            if note.startswith("relation judged") and (m := _JOINT.search(note)):
                joint.append((gold, float(m.group(1)), float(m.group(2)) if m.group(2) else None))
            elif note.startswith(("side ", "a side", "no passage")) and _SIDE.search(note):
                sides = [(float(a), float(b)) for a, b in _SIDE.findall(note)]
                sided.append((gold, sides, not note.startswith("no passage")))
    print(f"\nyes/no verdicts: {len(sided)} judged side by side, {len(joint)} judged jointly")
    print("\n| relation: yes when P(yes) >= t | right | always yes |\n|---|---|---|")
    for t in (0.5, 0.7, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94):
        right = sum((p >= t) == (g == "yes") for g, p, _ in joint)
        print(f"| {t} | {right}/{len(joint)} | {sum(g == 'yes' for g, *_ in joint)}/{len(joint)} |")
    raw = [r for _, _, r in joint if r is not None]
    if raw:
        # Batch calibration (Zhou et al. 2023): the prior is the mean P(yes) over these inputs, no
        # labels; "yes" when a question's P(yes) is above that mean.
        prior = sum(raw) / len(raw)
        right = sum((r >= prior) == (g == "yes") for g, _, r in joint if r is not None)
        print(
            f"\nbatch prior (mean raw P(yes) over {len(raw)} inputs): {prior:.3f} -> right {right}/{len(raw)}"
        )
    print(
        "\n| sides: yes when all stated >= s; no when one contradicted >= c and > stated | right | abstained |"
    )
    print("|---|---|---|")
    for st in (0.5, 0.7, 0.8, 0.85, 0.9, 0.93):
        for ct in (0.5, 0.7, 0.8, 0.9):
            right = abstained = 0
            for g, sides, complete in sided:
                verdict = None
                if complete and any(c >= ct and c > a for a, c in sides):
                    verdict = "no"
                elif complete and all(a >= st for a, _ in sides):
                    verdict = "yes"
                right += verdict == g or (verdict is None and g == "null")
                abstained += verdict is None
            print(f"| s={st}, c={ct} | {right}/{len(sided)} | {abstained} |")
    print(f"(always yes: {sum(g == 'yes' for g, *_ in sided)}/{len(sided)})")


if __name__ == "__main__":
    sys.exit(main())
