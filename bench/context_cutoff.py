"""Fit the context's relative score floor: which passages stay out of the generator's prompt.

    python bench/context_cutoff.py --index demo=DEMO_INDEX --index grown=GROWN_INDEX --split tune

The context holds up to `context_passages` passages. When fewer passages are about the question,
the free slots used to be filled with whatever ranked next: articles on other subjects, which change
as the corpus grows (issue 19: a grown index filled them with Reuters distractors, and the small
generator's answers moved with them). A passage is kept only when its fused score is at least
`ratio` x the best passage's score. The subject filter (rag/subject.py) is measured the same way:
it leaves out passages from articles that name none of the question's names.

Retrieval only, no generator. For every question of the split and each variant it prints:
* same context: share of questions whose context (chunk ids, in order) is identical on both indexes;
* facts kept: share of the gold facts found in the top 10 that are still in the context (demo index);
* all facts kept: share of answerable questions whose context keeps every one of those facts;
* passages: mean context size on the demo index.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import load_gold_sets
from eval.metrics import passage_hits
from eval.split import select_half
from index.offline import enforce_offline

RATIOS = (0.0, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
# (ratio, subject filter on): the ratios alone, then the subject filter (rag/subject.py) at two ratios
VARIANTS = [(r, False) for r in RATIOS] + [(0.0, True), (0.55, True)]


def contexts(index_dir: Path, questions: list, variants: list[tuple[float, bool]]) -> list[dict]:
    """Per question, per variant: the context passages as the assistant would choose them."""
    from tqdm import tqdm

    from index.store import NewsIndex
    from rag.context import ContextSelector
    from rag.question_dates import QuestionDates
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings
    from rag.subject import SubjectFilter

    settings = RagSettings()
    settings = settings.model_copy(
        update={"index": settings.index.model_copy(update={"index_dir": index_dir})}
    )
    index = NewsIndex.open(settings.index)
    retriever = HybridRetriever(index, settings)
    dates = QuestionDates(settings.recency_weight, settings.recency_half_life_days, settings.question_dates)
    selectors = {
        r: ContextSelector(
            settings.context_passages, settings.context_per_article, settings.one_copy_per_story, r
        )
        for r in {r for r, _ in variants}
    }
    subject = SubjectFilter(index.get_articles, retriever.known_sources)
    out = []
    for q in tqdm(questions, desc=index_dir.name, unit="q"):
        d = dates.run(q.query, date.today(), None, retriever.known_sources)
        result = retriever.search(d.query, d.filters, top_k=settings.retrieve_top_k)
        retrieved = d.rerank(result.passages)
        on_subject = subject.run(q.query, retrieved)
        out.append(
            {(r, f): selectors[r].run(q.query, on_subject if f else retrieved) for r, f in variants}
            | {"top": retrieved}
        )
    return out


def main() -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", action="append", required=True, help="NAME=DIR, twice: the base index first")
    ap.add_argument("--split", choices=["tune", "check"], default="tune")
    ap.add_argument("sets", nargs="*", help="gold sets (default: the four dev sets)")
    args = ap.parse_args()
    (_, base), (_, grown) = (spec.split("=", 1) for spec in args.index)
    questions = select_half(load_gold_sets(args.sets or None), args.split)
    a = contexts(Path(base), questions, VARIANTS)
    b = contexts(Path(grown), questions, VARIANTS)
    print(f"{len(questions)} questions ({args.split} half)")
    print("ratio  subject  same context  facts kept  all facts kept  passages")
    for r in VARIANTS:
        same = sum(
            [p.chunk_id for p in x[r]] == [p.chunk_id for p in y[r]] for x, y in zip(a, b, strict=True)
        )
        kept = found = complete = answerable = 0
        for q, x in zip(questions, a, strict=True):
            facts = q.facts
            if q.is_null or not facts:
                continue
            in_top = set().union(*passage_hits([p.text for p in x["top"]], facts))
            in_context = set().union(*passage_hits([p.text for p in x[r]], facts)) if x[r] else set()
            found += len(in_top)
            kept += len(in_top & in_context)
            answerable += 1
            complete += in_top <= in_context
        size = sum(len(x[r]) for x in a) / len(a)
        print(
            f"{r[0]:5.2f}  {'on' if r[1] else 'off':7}  {same / len(questions):12.3f}  {kept / max(found, 1):10.3f}"
            f"  {complete / max(answerable, 1):14.3f}  {size:8.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
