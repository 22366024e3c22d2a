"""Growth: does adding unrelated articles change which questions are answered?

    python bench/growth_bench.py build --base DEMO_INDEX --out GROWN_INDEX [--reuters PATH] [--synthetic 5000]
    python bench/growth_bench.py decide --index demo=DEMO_INDEX --index grown=GROWN_INDEX [--split check]
    python bench/growth_bench.py answer --index demo=DEMO_INDEX --index grown=GROWN_INDEX --work DIR [--split check]

* build: a copy of the demo index plus distractors: `--synthetic` short articles (1-3 Reuters
  sentences each, bench/synthetic.py) and the Reuters-21578 file read from its path (research-only:
  never copy it into the project). Re-running resumes (ingest skips what is stored).
* decide: retrieval only, no generator: for each question of the split, the pre-generation
  "nothing relevant" decision (`Assistant._nothing_relevant`) and the old fused-score rule, per
  index side by side, with the questions whose decision moved.
* answer: the whole pipeline (`newsrag eval`'s harness, one resumable checkpoint per index under
  `--work`) and, per index side by side: answerable questions answered, null questions abstained,
  strict accuracy, overall and by question type, and where the abstentions happened.

Targets (issue 19, checking half): answered answerable differ by <= 2 points, null abstention by
<= 3 points between the demo index and the grown one.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.synthetic import DEFAULT_REUTERS, synthetic_articles  # noqa: E402
from index.offline import enforce_offline  # noqa: E402


def build(base: Path, out: Path, reuters: Path, synthetic: int, seed: int) -> int:
    """Copy `base` to `out` (once) and ingest the distractors into the copy."""
    from index.pipeline import Ingestor
    from index.settings import IndexSettings

    if not reuters.is_file():
        print(f"growth_bench: no Reuters file at {reuters} (pass --reuters PATH)", file=sys.stderr)
        return 2
    if not (base / "chroma").is_dir():
        print(
            f"growth_bench: {base} is not an index (no chroma/ folder); run `newsrag ingest` first",
            file=sys.stderr,
        )
        return 2
    if not out.exists():
        shutil.copytree(base, out, ignore=shutil.ignore_patterns("bm25"))
        print(f"copied {base} -> {out}")
    ingestor = Ingestor(IndexSettings(index_dir=out))
    short = itertools.islice(synthetic_articles(reuters, seed=seed, sentences=(1, 4)), synthetic)
    report = ingestor.ingest(short)
    print(f"synthetic: {report.summary()}")
    report = ingestor.run([reuters])
    print(f"reuters: {report.summary()}")
    return 0


def _named(values: list[str], what: str) -> list[tuple[str, Path]]:
    out = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise SystemExit(f"growth_bench: {what} takes NAME=PATH, got {value!r}")
        out.append((name, Path(path)))
    return out


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:5.1f}% ({k}/{n})" if n else "    -"


def _in(row: dict, group: str) -> bool:
    return group == "all" or row["type"] == group or (group.startswith("tag ") and group[4:] in row["tags"])


def decide(indexes: list[tuple[str, Path]], split: str, sets: list[str]) -> int:
    """The pre-generation decision per index, side by side (retrieval only)."""
    from bench.abstain_fit import collect, old_abstains
    from rag.settings import RagSettings

    settings = RagSettings()
    d, c = settings.abstain_below_dense, settings.abstain_below_coverage
    runs = {name: collect(path, split, sets) for name, path in indexes}
    print(f"pre-generation abstentions, {split} half; new: best_dense < {d} and best_coverage < {c}; "
          "old: top_score < 0.4 and best_dense < 0.38")  # fmt: skip

    def new_rule(r: dict) -> bool:
        return r["best_dense"] < d and r["best_coverage"] < c

    first = next(iter(runs.values()))
    groups = [
        "all",
        *sorted({r["type"] for r in first}),
        *sorted({f"tag {t}" for r in first for t in r["tags"]}),
    ]
    header = "".join(f" | {name + ' ' + rule:^33}" for name in runs for rule in ("new", "old"))
    print(f"{'':<22}{header}")
    print(f"{'group':<22}" + " | answerable abst.  null abst.      " * (2 * len(runs)))
    for group in groups:
        cells = []
        for rows in runs.values():
            grp = [r for r in rows if _in(r, group)]
            for rule in (new_rule, old_abstains):
                ans = [r for r in grp if not r["null"]]
                null = [r for r in grp if r["null"]]
                cells.append(
                    f"{sum(map(rule, ans)):>3}/{len(ans):<4} {_pct(sum(map(rule, null)), len(null)):>22}"
                )
        print(f"{group:<22}" + "".join(f" | {cell:<32}" for cell in cells))
    print("retrieval Hits@4 (answerable questions with gold facts), the ranking the generator reads:")
    for group in groups:
        cells = []
        for rows in runs.values():
            hits = [r["hits_at_4"] for r in rows if r.get("hits_at_4") is not None and _in(r, group)]
            cells.append(f"{sum(hits) / len(hits):.3f} (n={len(hits)})" if hits else "-")
        print(f"{group:<22}" + "".join(f" | {cell:<16}" for cell in cells))
    names = list(runs)
    for other in names[1:]:
        for key in ("best_dense", "best_coverage", "top_score"):
            deltas = [b[key] - a[key] for a, b in zip(runs[names[0]], runs[other], strict=True)]
            fell = sum(d < -1e-4 for d in deltas)
            print(f"{key:<14} {names[0]} -> {other}: fell for {fell}/{len(deltas)} questions, "
                  f"largest fall {min(deltas):+.3f}, largest rise {max(deltas):+.3f}")  # fmt: skip
        for label, rule in (("new", new_rule), ("old", old_abstains)):
            moved = [
                f"{a['id']}({'null' if a['null'] else 'ans'}: {rule(a)}->{rule(b)})"
                for a, b in zip(runs[names[0]], runs[other], strict=True)
                if rule(a) != rule(b)
            ]
            print(f"{label} rule, decisions that moved {names[0]} -> {other}: {len(moved)} {moved}")
    return 0


def answer(
    indexes: list[tuple[str, Path]],
    saved: list[tuple[str, Path]],
    work: Path,
    split: str,
    sample: int | None,
    seed: int,
) -> int:
    """Run the whole pipeline per index (resumable), then print the side-by-side table."""
    import json

    runs: dict[str, list[dict]] = {}
    for name, path in saved:
        if path.suffix == ".jsonl":  # a checkpoint (`--resume`) of a run that has not finished
            lines = [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
            runs[name] = [r for r in lines if "id" in r]
        else:
            runs[name] = json.loads(path.read_text(encoding="utf-8"))["records"]
    if indexes:
        from eval.gold import load_gold_sets
        from eval.harness import run_eval, select_questions, write_json
        from eval.split import select_half
        from rag.assistant import Assistant

        questions = select_questions(select_half(load_gold_sets(), split), sample=sample, seed=seed)  # type: ignore[arg-type]
        work.mkdir(parents=True, exist_ok=True)
        for name, path in indexes:
            assistant = Assistant.open(index_dir=path)
            meta = {"split": split, "sample": sample, "seed": seed, "index": str(path),
                    "index_fingerprint": assistant.index.fingerprint(),
                    "settings": assistant.settings.model_dump(mode="json", exclude={"openai_api_key"})}  # fmt: skip

            def lookup(article_id: str, store=assistant.index) -> str | None:
                article = store.get_article(article_id)
                return None if article is None else article.body

            result = run_eval(assistant, questions, lookup, meta=meta, checkpoint=work / f"{name}.jsonl")
            write_json(result, work / f"{name}.json")
            runs[name] = result["records"]
            del assistant
    print_table(runs)
    return 0


def print_table(runs: dict[str, list[dict]]) -> None:
    """Answered answerable / abstained null / strict per run, overall and by question type."""
    first = next(iter(runs.values()))
    types = ["all", *sorted({r["question_type"] for r in first})]
    names = list(runs)
    print(f"{'type':<20}" + "".join(f" | {name:^44}" for name in names))
    print(f"{'':<20}" + " | answered ans.   abstained null   strict     " * len(names))
    for t in types:
        cells = []
        for name in names:
            grp = [r for r in runs[name] if t == "all" or r["question_type"] == t]
            ans = [r for r in grp if not r["gold"]["null"]]
            null = [r for r in grp if r["gold"]["null"]]
            cells.append(
                f"{_pct(sum(not r['abstained'] for r in ans), len(ans)):<16} "
                f"{_pct(sum(r['abstained'] for r in null), len(null)):<16} "
                f"{100 * sum(r['strict'] for r in grp) / max(1, len(grp)):5.1f}%"
            )
        print(f"{t:<20}" + "".join(f" | {c:<44}" for c in cells))
    print("where the abstentions happened (pre-generation 'no relevant passage retrieved' / later checks):")
    for name in names:
        pre = [
            r for r in runs[name] if r["abstained"] and "no relevant passage retrieved" in r.get("notes", [])
        ]
        later = [r for r in runs[name] if r["abstained"] and r not in pre]
        for label, rows in (("pre-generation", pre), ("after generation", later)):
            n_null = sum(r["gold"]["null"] for r in rows)
            print(f"  {name:<12} {label:<17} {len(rows):>4}: {n_null} null, {len(rows) - n_null} answerable")
    base = names[0]
    for other in names[1:]:
        a = {r["id"]: r for r in runs[base]}
        moved = [f"{r['id']}({'null' if r['gold']['null'] else 'ans'}: {a[r['id']]['abstained']}->{r['abstained']})"
                 for r in runs[other] if r["id"] in a and a[r["id"]]["abstained"] != r["abstained"]]  # fmt: skip
        print(f"abstention moved {base} -> {other}: {len(moved)} {moved}")


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="a copy of the demo index plus distractors")
    b.add_argument("--base", type=Path, required=True, help="the demo index directory (copied, not changed)")
    b.add_argument("--out", type=Path, required=True, help="where the grown index goes")
    b.add_argument(
        "--reuters", type=Path, default=DEFAULT_REUTERS, help="Reuters-21578 JSONL(.gz), read in place"
    )
    b.add_argument(
        "--synthetic", type=int, default=5000, help="short synthetic articles to add (default 5000)"
    )
    b.add_argument("--seed", type=int, default=19)
    d = sub.add_parser("decide", help="the pre-generation decision per index (retrieval only)")
    d.add_argument("--index", action="append", default=[], metavar="NAME=DIR", required=True)
    d.add_argument("--split", choices=["tune", "check"], default="check")
    d.add_argument("--sets", nargs="*", default=[], help="gold sets (default: every dev set)")
    a = sub.add_parser("answer", help="the whole pipeline per index, side by side (loads the generator)")
    a.add_argument(
        "--index", action="append", default=[], metavar="NAME=DIR", help="run the eval on this index"
    )
    a.add_argument("--records", action="append", default=[], metavar="NAME=RUN.json",
                   help="also show a saved `newsrag eval --json` run or its --resume checkpoint (e.g. the code before a change)")  # fmt: skip
    a.add_argument("--work", type=Path, default=Path("var/growth"), help="checkpoints and runs (resumable)")
    a.add_argument("--split", choices=["tune", "check"], default="check")
    a.add_argument("--sample", type=int, help="a seeded stratified sample of N questions (develop on this)")
    a.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.cmd == "build":
        return build(args.base, args.out, args.reuters, args.synthetic, args.seed)
    if args.cmd == "decide":
        return decide(_named(args.index, "--index"), args.split, args.sets)
    indexes, saved = _named(args.index, "--index"), _named(args.records, "--records")
    if not indexes and not saved:
        ap.error("answer needs --index NAME=DIR or --records NAME=RUN.json")
    return answer(indexes, saved, args.work, args.split, args.sample, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
