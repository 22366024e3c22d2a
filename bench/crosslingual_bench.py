"""Cross-lingual retrieval benchmark: Hits@4 and the pre-generation abstention, with and without
searching the question's translation, and what the translation adds to a question's latency.

    python bench/crosslingual_bench.py --split check            # the checking half of the tagged sets
    python bench/crosslingual_bench.py --sets crosslingual --no-cache --json out.json
    NEWSRAG_TRANSLATOR_MODEL=qwen2.5-coder-0.5b python bench/crosslingual_bench.py --split tune --no-cache
    NEWSRAG_TRANSLATION_PROMPT=example python bench/crosslingual_bench.py --split check --no-cache --gated-only

For every question of the gold sets (default: the cross-lingual and precision dev sets) it retrieves
twice: the question alone, and the question plus its translations into the corpus's other languages
(`rag.translate` with the model `NEWSRAG_TRANSLATOR_MODEL` names, exactly as `Assistant.stream` does). It prints Hits@4
(MultiHop-RAG's rule: a gold fact inside one of the first four passages; null questions excluded)
and how many answerable / null questions the pre-generation abstention (`rag.relevance.nothing_relevant`
thresholds) would reject, by tag. Added latency per translated question = the translation call
(timed on the generator, its system-prompt prefix already in llama.cpp's KV cache as it is after the
first question) + the extra retrieval time (the translation is embedded and searched too), over every
question that has a language to translate into (a dropped translation costs its call too); median and
p90, and the resident memory the translator's load adds.
"""

from __future__ import annotations

import argparse
import json
import logging
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
from index.language import detect_language
from index.offline import enforce_offline
from rag.settings import RagSettings


def main(argv: Sequence[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=["crosslingual", "precision"], help="gold sets or files")
    ap.add_argument("--split", choices=["tune", "check"], help="only one half of the dev split")
    ap.add_argument("--no-cache", action="store_true", help="ignore the prompt cache: time every translation")
    ap.add_argument("--json", type=Path, help="write the per-question rows here")
    ap.add_argument(
        "--gated-only", action="store_true", help="translate only the questions the gate sends (faster)"
    )
    args = ap.parse_args(argv)
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("rag.translate").setLevel(logging.INFO)  # says why a translation was dropped

    from index.store import NewsIndex  # heavy imports only when a run starts
    from rag.glossary import with_glossary
    from rag.llm import build_llm
    from rag.prompt_cache import PromptCache
    from rag.relevance import nothing_relevant
    from rag.retrieval import HybridRetriever
    from rag.subject import needs_translation, uncovered_names
    from rag.translate import QuestionTranslator, target_languages

    settings = RagSettings()
    questions = load_gold_sets(args.sets)
    if args.split:
        questions = select_half(questions, args.split)
    index = NewsIndex.open(settings.index)
    retriever = HybridRetriever(index, settings)
    own = settings.translator_settings()  # NEWSRAG_TRANSLATOR_MODEL: a separate model, or None
    cache = None
    if settings.prompt_cache_dir is not None and not args.no_cache:
        cache = PromptCache(settings.prompt_cache_dir, (own or settings).generator_id())
    rss_before = _rss_mib()
    # Only the translator is loaded (as rag.llm.build_translator would): the generator is not needed here.
    translator = QuestionTranslator(build_llm(own or settings), cache, style=settings.translation_prompt)
    translator.run(
        "预热", ["en"]
    )  # puts the translator's system prompt in llama.cpp's KV cache, as in a session
    print(
        f"{len(questions)} questions; corpus languages {retriever.known_languages}; translator "
        f"{settings.translator_model} ({(own or settings).generator_id()}), RSS +{_rss_mib() - rss_before:.0f} MiB "
        "after loading it and one translation",
        flush=True,
    )

    rows: list[dict[str, Any]] = []
    for n, q in enumerate(questions, start=1):
        # The gate (rag.subject.needs_translation): translate only a short question with a name that no
        # retrieved article in its own language states; "gated" is then the translated run.
        plain = retriever.search(q.query, top_k=settings.retrieve_top_k)
        language = detect_language(q.query)
        sources = retriever.known_sources
        uncovered = (
            uncovered_names(q.query, plain.passages, index.get_articles, language, sources)
            if needs_translation(q.query, plain.passages, index.get_articles, language, sources)
            else []
        )
        # the question's names as the other language writes them (rag.glossary), as Assistant adds them
        names = (
            retriever.glossary.in_other_script(q.query, sources) if settings.glossary_names != "off" else []
        )
        gated = bool(uncovered) or (settings.glossary_names == "always" and bool(names))
        tick = time.perf_counter()
        targets = target_languages(q.query, retriever.known_languages)
        translations = translator.run(q.query, targets) if gated or not args.gated_only else {}
        translate_s = time.perf_counter() - tick
        translations = with_glossary(translations, names, targets)
        row: dict[str, Any] = {"id": q.id, "tags": list(q.tags), "null": q.is_null, "query": q.query}
        row["uncovered"] = [" ".join(n) for n in uncovered]
        row["translations"] = translations
        row["targets"] = targets
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
        row["glossary"] = names
        row["gated"] = row["translated"] if gated else row["plain"]
        rows.append(row)
        t = row["translated"]
        print(
            f"[{n}/{len(questions)}] {q.id} hit4 {row['plain']['hit4']}->{t['hit4']} "
            f"abstain {row['plain']['abstain']}->{t['abstain']} translate {translate_s:.2f}s "
            f"{'gated in ' + str(row['uncovered']) if row['uncovered'] else 'gated out'} "
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
        # Rows by the question's language too ("question:en"): English questions must not lose.
        for tag in ("all", f"question:{detect_language(r['query'])}", *r["tags"]):
            groups[tag].append(r)
    print(
        f"\n{'tag':<16}{'n':>4}{'H@4 plain':>11}{'H@4 +transl':>13}{'lost':>6}{'H@4 gated':>11}{'translated':>12}"
        f"{'abstain answerable':>20}{'abstain null':>14}"
    )
    for tag in sorted(groups, key=lambda t: (t != "all", t)):
        rs = groups[tag]
        answerable = [r for r in rs if not r["null"]]
        nulls = [r for r in rs if r["null"]]

        def share(key: str, sub: list[dict[str, Any]], field: str) -> str:
            return f"{sum(r[key][field] for r in sub) / len(sub):.3f}" if sub else "-"

        def count(key: str, sub: list[dict[str, Any]]) -> str:
            return f"{sum(r[key]['abstain'] for r in sub)}/{len(sub)}" if sub else "-"

        lost = sum(r["plain"]["hit4"] and not r["translated"]["hit4"] for r in answerable)
        gated = f"{sum(bool(r['uncovered']) for r in rs)}/{len(rs)}"
        print(
            f"{tag:<16}{len(rs):>4}{share('plain', answerable, 'hit4'):>11}{share('translated', answerable, 'hit4'):>13}"
            f"{lost:>6}{share('gated', answerable, 'hit4'):>11}"
            f"{gated:>12}"
            f"{count('plain', answerable) + ' -> ' + count('translated', answerable):>20}"
            f"{count('plain', nulls) + ' -> ' + count('translated', nulls):>14}"
        )
    asked = [r for r in rows if r.get("targets", r["translations"])]
    if asked:
        # Every question with a language to translate into pays for the call, kept or dropped.
        added = [r["translate_s"] + r["translated"]["retrieve_s"] - r["plain"]["retrieve_s"] for r in asked]
        calls = [r["translate_s"] for r in asked]
        dropped = sum(not r["translations"] for r in asked)
        print(
            f"\nadded latency per translated question ({len(asked)}, {dropped} translations dropped): "
            f"median {statistics.median(added):.2f}s, p90 {_p90(added):.2f}s "
            f"(translation call median {statistics.median(calls):.2f}s, p90 {_p90(calls):.2f}s, "
            f"max {max(calls):.2f}s; extra retrieval median "
            f"{statistics.median(a - c for a, c in zip(added, calls, strict=True)):.2f}s)"
        )
        # Gated: only the questions the gate sends to the translator pay; the others add nothing.
        paid = [a for a, r in zip(added, asked, strict=True) if r["uncovered"]]
        every = sorted(paid + [0.0] * (len(asked) - len(paid)))
        print(
            f"gated: {len(paid)} of {len(asked)} questions translated; added median over those "
            f"{statistics.median(paid) if paid else 0.0:.2f}s, over every question {statistics.median(every):.2f}s"
        )


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]


def _rss_mib() -> float:
    """This process's resident memory (Linux), to report what loading the translator adds."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


if __name__ == "__main__":
    raise SystemExit(main())
