"""Retrieval benchmark: Hits@4, Hits@10, MRR@10 (MultiHop-RAG's rules) per retrieval configuration.

    python bench/retrieval_bench.py                       # all dev sets, the standard ladder of configs
    python bench/retrieval_bench.py --sets news seed --configs convex final --markdown
    python bench/retrieval_bench.py --signals             # score distributions, answerable vs null

Prints, per configuration: the figures by gold set, by language (`zh-*` Chinese, `xl-*`
cross-lingual, else English) and by question type, and retrieval latency p50/p95. Null questions
are excluded from the hit figures. `--signals` prints percentiles of the best dense cosine, the
top fused score and the best sentence similarity for answerable vs null questions (for abstention).

Also reports how many gold facts occur in *some* stored chunk: a fact split across two chunks (or
changed by cleaning) can never be a hit, whatever the retriever does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import load_gold_sets
from eval.metrics import percentile, retrieval_scores, squash
from index.offline import enforce_offline
from index.settings import IndexSettings
from rag.settings import RagSettings

# The ladder reported in docs/retrieval.md: each step adds one thing to the previous one.
_PLAIN = {"rescore": "off", "title_weight": 0.0, "diversity": 0.0, "decompose": False, "source_boost": 0.0,
          "date_boost": 0.0, "strip_source_names": False}  # fmt: skip
CONFIGS: dict[str, dict[str, Any]] = {
    "dense": {**_PLAIN, "fusion": "dense"},
    "bm25": {**_PLAIN, "fusion": "bm25"},
    "rrf": {**_PLAIN, "fusion": "rrf"},
    "wrrf": {**_PLAIN, "fusion": "wrrf"},
    "convex": {**_PLAIN, "fusion": "convex"},
    "+rescore": {**_PLAIN, "fusion": "convex", "rescore": "lexical", "title_weight": 0.1, "diversity": 0.1},
    "+rescore-embed": {
        **_PLAIN,
        "fusion": "convex",
        "rescore": "embed",
        "title_weight": 0.1,
        "diversity": 0.1,
        "rescore_top": 10,
    },
    "+decompose": {"fusion": "convex", "rescore": "lexical", "decompose": True},  # the shipped defaults
}
DEFAULT_LADDER = ["dense", "bm25", "rrf", "wrrf", "convex", "+rescore", "+decompose"]


def group_of(qid: str) -> str:
    return "zh" if qid.startswith("zh-") else "xl" if qid.startswith("xl-") else "en"


def main(argv: Sequence[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, help="index directory (default: NEWSRAG_INDEX_DIR or the default)")
    ap.add_argument("--sets", nargs="*", default=["seed", "news", "multihop-rag"], help="gold sets or files")
    ap.add_argument("--configs", nargs="*", default=DEFAULT_LADDER,
                    help=f"of {list(CONFIGS)}, each optionally with overrides: 'convex,dense_weight=0.3'")  # fmt: skip
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a RetrievalSettings field in every config (repeatable)")  # fmt: skip
    ap.add_argument("--split", choices=["tune", "check"], help="only one half of the dev split")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--limit", type=int, default=0, help="at most N questions per set (0: all)")
    ap.add_argument("--signals", action="store_true", help="score distributions for answerable vs null")
    ap.add_argument("--markdown", action="store_true", help="also print a markdown table")
    ap.add_argument("--json", type=Path, help="write all per-question results here")
    ap.add_argument("--cold", type=int, default=60, metavar="N",
                    help="also time the last config on N questions with empty embedding caches (0: skip)")  # fmt: skip
    args = ap.parse_args(argv)

    from index.store import NewsIndex  # chromadb and the models load only when a run starts
    from rag.retrieval import HybridRetriever

    questions = []
    for name in args.sets:
        qs = load_gold_sets([name])
        questions.extend(qs[: args.limit] if args.limit else qs)
    if args.split:
        from eval.split import select_half

        questions = select_half(questions, args.split)

    index_settings = IndexSettings(index_dir=args.index) if args.index else IndexSettings()
    settings = RagSettings(index=index_settings)
    started = time.perf_counter()
    index = NewsIndex.open(index_settings)
    base = HybridRetriever(index, settings)
    print(
        f"opened index + BM25 ({len(base.bm25)} chunks) in {time.perf_counter() - started:.1f}s", flush=True
    )

    squashed = [squash(c.text) for c, _ in index.iter_chunks()]
    facts = [f for q in questions if not q.is_null for f in q.facts]
    reachable = sum(any(squash(f) in c for c in squashed) for f in facts)
    print(f"gold facts present in some chunk: {reachable}/{len(facts)}")

    overrides = dict(_parse_override(s) for s in args.set)
    results: dict[str, list[dict[str, Any]]] = {}
    for name in args.configs:
        retriever = base.with_config(**_config(name, overrides))
        rows = []
        t0 = time.perf_counter()
        for q in questions:
            res = retriever.search(q.query, top_k=args.top_k)
            rows.append(_row(q, res))
        results[name] = rows
        print(f"[{name}] {len(rows)} questions in {time.perf_counter() - t0:.0f}s", flush=True)
        _print_config(name, rows)
    if args.markdown:
        _print_markdown(results)
    if args.cold:
        retriever = base.with_config(**_config(args.configs[-1], overrides))
        step = max(1, len(questions) // args.cold)
        ms = []
        for q in questions[::step][: args.cold]:
            retriever.clear_caches()  # configs above share query vectors: this is a first-time query
            ms.append(retriever.search(q.query, top_k=args.top_k).timings_ms.get("total", 0.0))
        print(f"\ncold latency [{args.configs[-1]}] over {len(ms)} questions: "
              f"p50 {_pct(ms, 50):.0f} ms  p95 {_pct(ms, 95):.0f} ms")  # fmt: skip
    if args.signals:
        final = args.configs[-1]
        retriever = base.with_config(**_config(final, overrides), sentence_signal=True)
        rows = [_row(q, retriever.search(q.query, top_k=4)) for q in questions]
        _print_signals(rows)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _config(spec: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """'convex,dense_weight=0.3' -> the 'convex' config with that field changed (then --set overrides)."""
    name, *changes = spec.split(",")
    return {**CONFIGS[name], **dict(_parse_override(c) for c in changes), **overrides}


def _parse_override(text: str) -> tuple[str, Any]:
    key, _, value = text.partition("=")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            pass
    return key, {"true": True, "false": False}.get(value.lower(), value)


def _row(q: Any, res: Any) -> dict[str, Any]:
    scores = retrieval_scores([p.text for p in res.passages], q.facts)
    sig = res.signals[0] if res.signals else {}
    return {
        "id": q.id,
        "set": q.set_name,
        "group": group_of(q.id),
        "tags": list(getattr(q, "tags", ())),
        "language": q.language,
        "type": q.question_type,
        "null": q.is_null,
        "scores": None if scores is None else scores.__dict__,
        "ms": res.timings_ms.get("total", 0.0),
        "best_dense": res.best_dense,
        "top_score": sig.get("score", 0.0),
        "top_fused": sig.get("fused", 0.0),
        "best_sentence": max((s.get("sentence", -1.0) for s in res.signals), default=-1.0),
        "retrieved": [p.chunk_id for p in res.passages],
    }


def _agg(rows: list[dict[str, Any]]) -> dict[str, float]:
    scored = [r["scores"] for r in rows if r["scores"] is not None and not r["null"]]
    if not scored:
        return {}
    n = len(scored)
    return {
        "n": n,
        "hits4": sum(s["hits_at_4"] for s in scored) / n,
        "hits10": sum(s["hits_at_10"] for s in scored) / n,
        "mrr10": sum(s["mrr_at_10"] for s in scored) / n,
        "recall4": sum(s["recall_at_4"] for s in scored) / n,
        "recall10": sum(s["recall_at_10"] for s in scored) / n,
    }


def _pct(values: list[float], q: float) -> float:
    return percentile(values, q) or 0.0


def _print_config(name: str, rows: list[dict[str, Any]]) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups["all"].append(r)
        groups[f"set:{r['set']}"].append(r)
        groups[f"lang:{r['group']}"].append(r)
        groups[f"type:{r['type']}"].append(r)
        groups[f"question-language:{r.get('language')}"].append(r)
        for tag in r.get("tags", ()):
            groups[f"tag:{tag}"].append(r)
    print(f"  {'group':<28}{'n':>5}{'Hits@4':>8}{'Hits@10':>9}{'MRR@10':>8}{'Rec@4':>7}{'Rec@10':>8}")
    for key in sorted(groups, key=lambda k: (k != "all", k)):
        a = _agg(groups[key])
        if a:
            print(f"  {key:<28}{a['n']:>5}{a['hits4']:>8.3f}{a['hits10']:>9.3f}{a['mrr10']:>8.3f}"
                  f"{a['recall4']:>7.3f}{a['recall10']:>8.3f}")  # fmt: skip
    ms = [r["ms"] for r in rows]
    print(f"  latency ms p50 {_pct(ms, 50):.0f}  p95 {_pct(ms, 95):.0f}", flush=True)


def _in_group(row: dict[str, Any], group: str) -> bool:
    if group == "all":
        return True
    kind, _, value = group.partition(":")
    return {"set": row["set"], "lang": row["group"], "type": row["type"]}[kind] == value


def _print_markdown(results: dict[str, list[dict[str, Any]]]) -> None:
    cols = ["all", "set:seed", "set:news", "set:multihop-rag", "lang:en", "lang:zh", "lang:xl"]
    print(
        "\n| config | " + " | ".join(f"{c} H@4 / H@10 / MRR" for c in cols) + " | Rec@4 all | p50 / p95 ms |"
    )
    print("|---" * (len(cols) + 3) + "|")
    for name, rows in results.items():
        cells = []
        for c in cols:
            a = _agg([r for r in rows if _in_group(r, c)])
            cells.append(f"{a['hits4']:.3f} / {a['hits10']:.3f} / {a['mrr10']:.3f}" if a else "-")
        ms = [r["ms"] for r in rows]
        print(f"| {name} | " + " | ".join(cells) + f" | {_agg(rows)['recall4']:.3f} | "
              f"{_pct(ms, 50):.0f} / {_pct(ms, 95):.0f} |")  # fmt: skip
    types = sorted({r["type"] for rows in results.values() for r in rows if not r["null"]})
    print("\n| config | " + " | ".join(f"{t} H@4 / Rec@4" for t in types) + " |")
    print("|---" * (len(types) + 1) + "|")
    for name, rows in results.items():
        cells = []
        for t in types:
            a = _agg([r for r in rows if r["type"] == t])
            cells.append(f"{a['hits4']:.3f} / {a['recall4']:.3f}" if a else "-")
        print(f"| {name} | " + " | ".join(cells) + " |")


def _print_signals(rows: list[dict[str, Any]]) -> None:
    print("\nscore distributions (percentiles 10/25/50/75/90), answerable vs null:")
    for key in ("best_dense", "best_sentence", "top_fused", "top_score"):
        for label, sub in (
            ("answerable", [r for r in rows if not r["null"]]),
            ("null", [r for r in rows if r["null"]]),
        ):
            vals = [r[key] for r in sub]
            if vals:
                pcts = " ".join(f"{_pct(vals, q):.3f}" for q in (10, 25, 50, 75, 90))
                print(f"  {key:<14} {label:<11} n={len(vals):<4} {pcts}")
    by_set: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_set[f"{r['set']}/{'null' if r['null'] else 'answerable'}"].append(r)
    print("  by set (best_dense p10/p50/p90, best_sentence p10/p50/p90):")
    for key, sub in sorted(by_set.items()):
        d = [r["best_dense"] for r in sub]
        s = [r["best_sentence"] for r in sub]
        print(f"    {key:<28} n={len(sub):<4} dense {_pct(d, 10):.3f}/{_pct(d, 50):.3f}/{_pct(d, 90):.3f}"
              f"  sentence {_pct(s, 10):.3f}/{_pct(s, 50):.3f}/{_pct(s, 90):.3f}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
