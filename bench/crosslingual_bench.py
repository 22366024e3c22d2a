"""Cross-lingual retrieval benchmark: Hits@4 and the pre-generation abstention, with and without
searching the question's translation, and what the translation adds to a question's latency.

    python bench/crosslingual_bench.py --split check            # the checking half of the tagged sets
    python bench/crosslingual_bench.py --sets crosslingual --no-cache --json out.json

For every question of the gold sets (default: the cross-lingual and precision dev sets) it retrieves
twice: the question alone, and the question plus its translations into the corpus's other languages
(`rag.translate`, the packaged generator, exactly as `Assistant.stream` does). It prints Hits@4
(MultiHop-RAG's rule: a gold fact inside one of the first four passages; null questions excluded)
and how many answerable / null questions the pre-generation abstention (`rag.relevance.nothing_relevant`
thresholds) would reject, by tag. Added latency per translated question = the translation call
(timed on the generator, its system-prompt prefix already in llama.cpp's KV cache as it is after the
first question) + the extra retrieval time (the translation is embedded and searched too).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import load_gold_sets
from eval.metrics import retrieval_scores
from eval.split import select_half
from index.offline import enforce_offline
from rag.settings import RagSettings


def main(argv: Sequence[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=["crosslingual", "precision"], help="gold sets or files")
    ap.add_argument("--split", choices=["tune", "check"], help="only one half of the dev split")
    ap.add_argument("--no-cache", action="store_true", help="ignore the prompt cache: time every translation")
    ap.add_argument("--json", type=Path, help="write the per-question rows here")
    args = ap.parse_args(argv)

    from index.store import NewsIndex  # heavy imports only when a run starts
    from rag.llm import build_llm
    from rag.prompt_cache import PromptCache
    from rag.relevance import nothing_relevant
    from rag.retrieval import HybridRetriever
    from rag.translate import QuestionTranslator, target_languages

    settings = RagSettings()
    questions = load_gold_sets(args.sets)
    if args.split:
        questions = select_half(questions, args.split)
    index = NewsIndex.open(settings.index)
    retriever = HybridRetriever(index, settings)
    cache = None
    if settings.prompt_cache_dir is not None and not args.no_cache:
        cache = PromptCache(settings.prompt_cache_dir, settings.generator_id())
    translator = QuestionTranslator(build_llm(settings), cache)
    translator.run(
        "预热", ["en"]
    )  # puts the translator's system prompt in llama.cpp's KV cache, as in a session
    print(f"{len(questions)} questions; corpus languages {retriever.known_languages}", flush=True)

    rows: list[dict[str, Any]] = []
    for n, q in enumerate(questions, start=1):
        tick = time.perf_counter()
        translations = translator.run(q.query, target_languages(q.query, retriever.known_languages))
        translate_s = time.perf_counter() - tick
        row: dict[str, Any] = {"id": q.id, "tags": list(q.tags), "null": q.is_null, "query": q.query}
        row["translations"] = translations
        row["translate_s"] = translate_s
        for name, extra in (("plain", None), ("translated", translations)):
            retriever.clear_caches()  # cold query embeddings in both runs: a fair retrieval time
            res = retriever.search(q.query, top_k=settings.retrieve_top_k, translations=extra)
            top = res.passages[0].score if res.passages else 0.0
            scores = None if q.is_null else retrieval_scores([p.text for p in res.passages], q.facts)
            row[name] = {
                "hit4": None if scores is None else bool(scores.hits_at_4),
                "abstain": nothing_relevant(
                    res, settings.abstain_below_dense, settings.abstain_below_coverage
                ),
                "top_score": round(top, 4),
                "best_dense": round(res.best_dense, 4),
                "retrieve_s": res.timings_ms.get("total", 0.0) / 1000.0,
            }
        rows.append(row)
        t = row["translated"]
        print(
            f"[{n}/{len(questions)}] {q.id} hit4 {row['plain']['hit4']}->{t['hit4']} "
            f"abstain {row['plain']['abstain']}->{t['abstain']} translate {translate_s:.2f}s "
            f"{json.dumps(translations, ensure_ascii=False)}",
            flush=True,
        )
    _report(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _report(rows: list[dict[str, Any]]) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for tag in ("all", *r["tags"]):
            groups[tag].append(r)
    print(
        f"\n{'tag':<16}{'n':>4}{'H@4 plain':>11}{'H@4 +transl':>13}{'abstain answerable':>20}{'abstain null':>14}"
    )
    for tag in sorted(groups, key=lambda t: (t != "all", t)):
        rs = groups[tag]
        answerable = [r for r in rs if not r["null"]]
        nulls = [r for r in rs if r["null"]]

        def share(key: str, sub: list[dict[str, Any]], field: str) -> str:
            return f"{sum(r[key][field] for r in sub) / len(sub):.3f}" if sub else "-"

        def count(key: str, sub: list[dict[str, Any]]) -> str:
            return f"{sum(r[key]['abstain'] for r in sub)}/{len(sub)}" if sub else "-"

        print(
            f"{tag:<16}{len(rs):>4}{share('plain', answerable, 'hit4'):>11}{share('translated', answerable, 'hit4'):>13}"
            f"{count('plain', answerable) + ' -> ' + count('translated', answerable):>20}"
            f"{count('plain', nulls) + ' -> ' + count('translated', nulls):>14}"
        )
    timed = [r for r in rows if r["translations"]]
    if timed:
        added = [r["translate_s"] + r["translated"]["retrieve_s"] - r["plain"]["retrieve_s"] for r in timed]
        calls = [r["translate_s"] for r in timed]
        print(
            f"\nadded latency per translated question ({len(timed)}): median {statistics.median(added):.2f}s "
            f"(translation call median {statistics.median(calls):.2f}s, max {max(calls):.2f}s; "
            f"extra retrieval median {statistics.median(a - c for a, c in zip(added, calls, strict=True)):.2f}s)"
        )


if __name__ == "__main__":
    raise SystemExit(main())
