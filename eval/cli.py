"""`newsrag eval`: score the assistant against gold sets; report, compare with and gate on a baseline."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.cli_options import EXIT_BAD_INPUT, add_index_options, index_settings_from

if TYPE_CHECKING:
    from eval.gold import GoldQuestion

log = logging.getLogger(__name__)

EPILOG = """\
examples:
  newsrag eval                                   # every packaged dev set
  newsrag eval --split check                     # the checking half of the dev sets (report on this)
  newsrag eval news --sample 20 --seed 1         # 20 random news dev questions
  newsrag eval nearmiss --split check --lower-case   # the same questions typed in lower case
  newsrag eval my_gold.jsonl --index ./idx       # your own gold file, your own index
  newsrag eval --resume var/eval/dev.jsonl --json var/eval/dev.json   # hours long: stop and rerun to resume
  newsrag eval --subset ci --json var/eval/ci.json --report var/eval/ci.md --gate eval/baseline/ci_subset.json
  newsrag eval path/to/MultiHop-RAG/dataset      # the official MultiHopRAG.json (size+sha256 checked)
exit status: 0 ok, 1 the gate failed, 2 no index or bad input (gold file, subset, baseline)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "eval",
        help="score answers, citations and retrieval against gold questions",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "gold",
        nargs="*",
        metavar="GOLD",
        help="gold JSONL/JSON files, set names (seed, news, multihop-rag, nearmiss, crosslingual, "
        "precision) or a directory with the benchmark's MultiHopRAG.json; default: every packaged dev set",
    )
    add_index_options(p)
    p.add_argument(
        "--subset", metavar="FILE|ci", help="only the question ids listed in FILE ('ci': the CI subset)"
    )
    p.add_argument(
        "--split",
        choices=["tune", "check"],
        help="only one half of the fixed dev split (eval/gold/split.json): fit on 'tune', report on 'check'",
    )
    p.add_argument(
        "--lower-case",
        action="store_true",
        help="ask each selected question that has capitals as typed in lower case, as many people type "
        "(tag 'lower-case'); questions without capitals are left out",
    )
    p.add_argument("--sample", type=int, metavar="N", help="a seeded random sample of N questions")
    p.add_argument("--seed", type=int, default=0, help="seed for --sample (default 0)")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N questions")
    p.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="ask every question as on this day, so that a run repeats on another day: 'this year', "
        "'last week', '上周' are resolved against it (default: today)",
    )
    p.add_argument("--json", type=Path, metavar="OUT", help="write every record and the summary as JSON")
    p.add_argument("--report", type=Path, metavar="OUT.md", help="write a Markdown report (+ OUT.png chart)")
    p.add_argument(
        "--save-baseline",
        type=Path,
        metavar="OUT.json",
        help="write the summary and per-question verdicts (no passages), to commit as a baseline",
    )
    p.add_argument(
        "--compare", type=Path, metavar="BASELINE.json", help="print what changed against a baseline"
    )
    p.add_argument(
        "--gate",
        type=Path,
        metavar="BASELINE.json",
        help="exit 1 when strict accuracy, abstention accuracy or citation verification fall more "
        "than their margins (eval/compare.py) under the baseline",
    )
    p.add_argument(
        "--resume",
        type=Path,
        metavar="RECORDS.jsonl",
        help="append each scored question to this file and skip those already in it, so a long run "
        "can be stopped and resumed (refused if written by another configuration or index)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def _open_store(assistant: Any, settings: Any) -> Any:
    """The index holding the article bodies that citations are verified against: the assistant's own
    if it exposes one, else the index the command line points at (`settings`: IndexSettings)."""
    store = getattr(assistant, "index", None)
    if store is not None and hasattr(store, "get_article"):
        return store
    from index.store import NewsIndex

    return NewsIndex.open(settings)


def _lookup_from(store: Any) -> Callable[[str], str | None]:
    def lookup(article_id: str) -> str | None:
        article = store.get_article(article_id)
        return None if article is None else article.body

    return lookup


def _describe(assistant: Any, store: Any) -> dict[str, Any]:
    """What produced the answers, so that runs and baselines can be told apart (no secrets)."""
    out: dict[str, Any] = {}
    settings = getattr(assistant, "settings", None)
    if hasattr(settings, "model_dump"):
        dumped = settings.model_dump(mode="json")
        out["settings"] = {k: v for k, v in dumped.items() if "key" not in k.lower()}
    if store is not None and hasattr(store, "fingerprint"):
        try:
            out["index_fingerprint"] = store.fingerprint()
        except Exception as exc:  # informational only
            log.debug("no index fingerprint: %s", exc)
    return out


def _print_summary(summary: dict[str, Any]) -> None:
    o = summary["overall"]

    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{100 * v:.1f}%"

    def num(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.3f}"

    print(
        f"questions {o['n']}  strict {pct(o['strict_accuracy'])}  lenient {pct(o['lenient_accuracy'])}  "
        f"abstention ok {pct(o['abstention_accuracy'])}  errors {o['errors']}"
    )
    print(
        f"retrieval (n={o['retrieval_n']}): Hits@4 {num(o['hits_at_4'])}  Hits@10 {num(o['hits_at_10'])}  "
        f"MRR@10 {num(o['mrr_at_10'])}  MAP@10 {num(o['map_at_10'])}  recall@10 {num(o['recall_at_10'])}"
    )
    print(
        f"citations (n={o['citations_n']}): verbatim {pct(o['citation_verification'])}  supported "
        f"{pct(o.get('citation_supported'))}  precision "
        f"{pct(o['citation_precision'])}  recall {pct(o['citation_recall'])}"
    )
    print(f"cost: {num(o['seconds_per_question'])} s/question, peak RSS {summary['peak_rss_mb']} MB")
    for t, g in summary["by_type"].items():
        print(f"  {t:<18} n={g['n']:<4} {_rates(g)}")
    for lang, g in summary["by_language"].items():
        print(f"  lang {lang:<13} n={g['n']:<4} {_rates(g)}")
    for tag, g in summary.get("by_tag", {}).items():
        print(f"  tag {tag:<14} n={g['n']:<4} {_rates(g)}")


def _rates(group: dict[str, Any]) -> str:
    """Strict accuracy with the two ways of getting abstention wrong beside it."""

    def pct(v: float | None) -> str:
        return "  n/a" if v is None else f"{100 * v:5.1f}%"

    return (
        f"strict {pct(group['strict_accuracy'])}  answered nulls {pct(group.get('answered_null_rate'))}  "
        f"wrongly abstained {pct(group.get('wrong_abstention_rate'))}"
    )


def asked_in_lower_case(questions: Sequence[GoldQuestion]) -> list[GoldQuestion]:
    """The questions that have capitals, asked in lower case and tagged so the report shows them apart."""
    return [
        replace(q, query=q.query.lower(), tags=(*q.tags, "lower-case"))
        for q in questions
        if q.query != q.query.lower()
    ]


def run(args: argparse.Namespace) -> int:
    from eval.compare import BaselineError, compare_runs, format_comparison, gate, load_run
    from eval.gold import (
        CI_SUBSET,
        DEFAULT_SETS,
        GoldFormatError,
        UpstreamMismatchError,
        load_gold_sets,
        read_id_list,
        select_ids,
    )
    from eval.harness import (
        AskedOn,
        CheckpointMismatchError,
        baseline_of,
        run_eval,
        select_questions,
        write_json,
    )

    try:
        questions = load_gold_sets(args.gold)
        if args.subset:
            subset = CI_SUBSET if args.subset == "ci" else Path(args.subset)
            questions = select_ids(questions, read_id_list(subset))
        if args.split:
            from eval.split import select_half

            questions = select_half(questions, args.split)
        if args.lower_case:
            questions = asked_in_lower_case(questions)
        questions = select_questions(questions, limit=args.limit, sample=args.sample, seed=args.seed)
        baselines = {p: load_run(p) for p in (args.compare, args.gate) if p is not None}
    except (GoldFormatError, UpstreamMismatchError, BaselineError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not questions:
        print("error: no questions selected", file=sys.stderr)
        return EXIT_BAD_INPUT

    from index.store import ChromaUnavailableError, EmbedModelMismatchError, IndexNotFoundError
    from rag.assistant import Assistant
    from rag.settings import RagSettings

    index_settings = index_settings_from(args)
    try:
        assistant = Assistant.open(settings=RagSettings(index=index_settings))
    except (IndexNotFoundError, ChromaUnavailableError, EmbedModelMismatchError):
        raise  # `newsrag` reports these the same way for every command
    except Exception as exc:  # e.g. the generator's model or server cannot be loaded
        log.debug("Assistant.open failed", exc_info=True)
        print(f"error: cannot open the assistant: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    lookup = store = None
    try:
        store = _open_store(assistant, index_settings)
        lookup = _lookup_from(store)
    except Exception as exc:  # verification is then reported as unchecked, and a gate on it fails
        log.warning("cannot open the index for citation verification (%s); citations left unchecked", exc)
    meta = {
        "gold": list(args.gold) or list(DEFAULT_SETS),
        "subset": args.subset,
        "split": args.split,
        "lower_case": args.lower_case,
        "limit": args.limit,
        "sample": args.sample,
        "seed": args.seed,
        "as_of": args.as_of.isoformat() if args.as_of else None,
        "index": str(args.index) if args.index else None,
        "argv": sys.argv[1:],
        **_describe(assistant, store),
    }
    try:
        asker = AskedOn(assistant, args.as_of) if args.as_of else assistant
        result = run_eval(
            asker, questions, lookup, progress=not args.no_progress, meta=meta, checkpoint=args.resume
        )
    except CheckpointMismatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    if args.resume:
        print(
            f"{result['meta']['resumed_from_checkpoint']} of {len(questions)} questions reused from {args.resume}"
        )
    _print_summary(result["summary"])
    if args.json:
        write_json(result, args.json)
        print(f"wrote {args.json}")
    if args.save_baseline:
        write_json(baseline_of(result), args.save_baseline)
        print(f"wrote {args.save_baseline}")
    if args.report:
        from eval.report import write_report

        for path in write_report(result, args.report):
            print(f"wrote {path}")
    if args.compare:
        print(f"\ncompared with {args.compare}:")
        print(format_comparison(compare_runs(baselines[args.compare], result), result))
    if args.gate:
        failures = gate(baselines[args.gate], result)
        if failures:
            print(f"\nGATE FAILED against {args.gate}:", file=sys.stderr)
            for f in failures:
                print(f"  - {f}", file=sys.stderr)
            return 1
        print(f"\ngate passed against {args.gate}")
    return 0
