"""Would judging every cited sentence, not only the first, keep right multi-report answers?

    python bench/judge_each_citation.py var/eval/tune_mh_open33.json var/eval/tune_subj_open33.json

The answer judge (`rag.answerability`) reads the answer's first citation only. A multi-report
question's answer ("Google [1][2][3]") is stated by several reports, and the first one alone may
not say enough for the judge. This reads `newsrag eval --json` runs made with the judge's verdict
recorded but not enforced, asks the shipped judge (same prompt, same calibration, the quote alone
with its resolved dates, as `AnswerabilityCheck` asks it) about each further cited sentence of
every answer citing more than one, and prints, per threshold, what keeping an answer when its
best-judged citation reaches the threshold would keep and let through, beside the first-citation
rule. Run it on the tuning half only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_P = re.compile(r"p_answers=([0-9.]+)")
_MARKER = re.compile(r"\s*\[\d+\]")


def main(argv: list[str] | None = None) -> int:
    from index.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", type=Path, nargs="+")
    parser.add_argument("--thresholds", type=float, nargs="*", default=[0.92, 0.93, 0.935, 0.94])
    args = parser.parse_args(argv)

    from judge_prompts import open_index_and_scorer

    from rag.answerability import _FIELDS, ANSWER_TEMPLATE
    from rag.generation import SYSTEM_PROMPT, annotate, publication_day
    from rag.judge import Judge
    from rag.models import Passage

    index, scorer = open_index_and_scorer()
    judge = Judge(scorer, SYSTEM_PROMPT, ANSWER_TEMPLATE, _FIELDS)

    rows = []  # (null, right, first P, best P or None when one citation)
    for path in args.runs:
        for r in json.loads(path.read_text(encoding="utf-8"))["records"]:
            note = next((n for n in r.get("notes", []) if n.startswith("answer check")), "")
            m = _P.search(note)
            if r["abstained"] or m is None:
                continue
            first = float(m.group(1))
            best = None
            for c in r["citations"][1:]:
                article = index.get_article(c["article_id"])
                if article is None:
                    continue
                whole = Passage("", article.id, article.body, 0, len(article.body), 0.0, dates=article.dates)
                p = judge.run(
                    title=article.title,
                    source=article.source or "unknown source",
                    date=publication_day(article.published_at),
                    evidence=annotate(whole, c["start"], c["end"]),
                    question=r["question"],
                    answer=_MARKER.sub("", r["answer"]).strip(),
                ).p("Yes")
                best = max(best or 0.0, p)
            rows.append((bool(r["gold"]["null"]), bool(r["strict"]), first, best))
            if best is not None:
                print(f"{r['id']}: right={r['strict']} first={first:.3f} others={best:.3f}", flush=True)

    print(f"{len(rows)} judged answers, {sum(b is not None for *_, b in rows)} citing several passages")
    print("| threshold | rule | right kept | wrong kept |\n|---|---|---|---|")
    for t in args.thresholds:
        for rule in ("first", "best"):
            kept = [
                (null, right)
                for null, right, first, best in rows
                if (first if rule == "first" or best is None else max(first, best)) >= t
            ]
            right_kept = sum(right and not null for null, right in kept)
            print(f"| {t} | {rule} | {right_kept} | {len(kept) - right_kept} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
