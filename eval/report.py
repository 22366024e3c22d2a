"""A Markdown report of a run: summary tables, cost, the worst failures with their retrieved passages,
and a PNG chart of strict accuracy by question type written next to the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SUMMARY_COLUMNS = (
    ("n", "n", "d"),
    ("strict", "strict_accuracy", "%"),
    ("lenient", "lenient_accuracy", "%"),
    ("abstain ok", "abstention_accuracy", "%"),
    ("null abstained", "null_abstention_rate", "%"),
    ("null answered", "answered_null_rate", "%"),
    ("wrongly abstained", "wrong_abstention_rate", "%"),
    ("Hits@4", "hits_at_4", "f"),
    ("Hits@10", "hits_at_10", "f"),
    ("MRR@10", "mrr_at_10", "f"),
    ("MAP@10", "map_at_10", "f"),
    ("recall@10", "recall_at_10", "f"),
    ("cit. verbatim", "citation_verification", "%"),
    ("cit. supported", "citation_supported", "%"),
    ("cit. precision", "citation_precision", "%"),
    ("cit. recall", "citation_recall", "%"),
    ("s/question", "seconds_per_question", "s"),
)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "d":
        return str(value)
    if kind == "%":
        return f"{100 * value:.1f}%"
    if kind == "s":
        return f"{value:.2f}"
    return f"{value:.3f}"


def summary_table(summary: dict[str, Any]) -> str:
    """One row per group: overall, then each gold set, question type, language and tag."""
    header = "| group | " + " | ".join(c[0] for c in SUMMARY_COLUMNS) + " |"
    lines = [header, "|" + "---|" * (len(SUMMARY_COLUMNS) + 1)]
    rows = [("**overall**", summary["overall"])]
    for key, label in (
        ("by_set", "set"),
        ("by_type", "type"),
        ("by_language", "lang"),
        ("by_tag", "tag"),
    ):
        rows += [(f"{label}: {name}", group) for name, group in summary.get(key, {}).items()]
    for name, group in rows:
        lines.append(
            f"| {name} | " + " | ".join(_cell(group.get(k), f) for _, k, f in SUMMARY_COLUMNS) + " |"
        )
    return "\n".join(lines)


def cost_table(summary: dict[str, Any]) -> str:
    overall = summary["overall"]
    lines = ["| stage | mean s/question |", "|---|---|"]
    for stage, s in overall.get("seconds_by_stage", {}).items():
        lines.append(f"| {stage} | {s:.3f} |")
    lines.append(f"| wall (harness) | {_cell(overall.get('seconds_per_question'), 's')} |")
    lines.append(f"| wall p95 | {_cell(overall.get('seconds_p95'), 's')} |")
    rss = summary.get("peak_rss_mb")
    lines.append(f"\nPeak memory (RSS): {'–' if rss is None else f'{rss:.0f} MB'}")
    return "\n".join(lines)


def _severity(record: dict[str, Any]) -> tuple[int, str]:
    """Worst first: a confident answer to a null question, a wrong answer despite the evidence being
    retrieved (a generation failure), a wrong abstention, then the rest."""
    retrieval = record.get("retrieval") or {}
    if record["error"]:
        rank = 0
    elif record["gold"]["null"]:
        rank = 1
    elif not record["abstained"] and retrieval.get("first_hit"):
        rank = 2
    elif record["abstained"]:
        rank = 3
    else:
        rank = 4
    return rank, record["id"]


def _quote(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return (text[:limit] + " …") if len(text) > limit else text


def failures_section(records: list[dict[str, Any]], worst: int) -> str:
    failed = sorted((r for r in records if not r["strict"]), key=_severity)
    if not failed:
        return "No failures."
    out = [f"{len(failed)} of {len(records)} questions failed; the {min(worst, len(failed))} worst:"]
    for r in failed[:worst]:
        gold = r["gold"]
        out.append(f"\n### {r['id']} ({r['set']}, {r['question_type']}, {r['language']})")
        out.append(f"- **Question:** {r['question']}")
        out.append(
            f"- **Gold:** {gold['answer']}"
            + (f" (also: {', '.join(gold['aliases'])})" if gold["aliases"] else "")
        )
        out.append(f"- **Answer:** {_quote(r['answer'] or '(none)')}")
        out.append(f"- **Why it failed:** {r['reason']}")
        if r["retrieval"]:
            out.append(
                f"- **First retrieved evidence at rank:** {r['retrieval']['first_hit'] or 'none in top 10'}"
            )
        for c in r["citations"]:
            flags = "verified" if c["verified"] else "NOT verified" if c["verified"] is False else "unchecked"
            out.append(f"- [{c['n']}] {c['title'] or c['article_id']} ({flags}): “{_quote(c['quote'], 200)}”")
        if r["retrieved"]:
            out.append("\n  Retrieved passages:")
            for p in r["retrieved"][:5]:
                hit = " **(holds gold evidence)**" if p["hit_facts"] else ""
                out.append(
                    f"  {p['rank']}. *{p['title']}* ({p['published_at'] or 'undated'}, score "
                    f"{p['score']}){hit}: {_quote(p['text'], 300)}"
                )
    return "\n".join(out)


def write_chart(summary: dict[str, Any], path: Path) -> Path:
    """Bar chart of strict (and lenient) accuracy by question type, with counts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_type = summary.get("by_type", {})
    names = list(by_type)
    strict = [by_type[t]["strict_accuracy"] or 0.0 for t in names]
    lenient = [by_type[t]["lenient_accuracy"] or 0.0 for t in names]
    fig, ax = plt.subplots(figsize=(max(4.0, 1.6 * len(names) + 1), 3.2), dpi=110)
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], strict, width=0.4, label="strict", color="#2b6cb0")
    ax.bar([x + 0.2 for x in xs], lenient, width=0.4, label="lenient (benchmark rule)", color="#a0aec0")
    for x, t in zip(xs, names, strict=True):
        ax.text(
            x - 0.2,
            by_type[t]["strict_accuracy"] or 0.0,
            f"n={by_type[t]['n']}",
            ha="center",
            va="bottom",
            fontsize=7,
        )
    ax.set_xticks(list(xs), [t.replace("_query", "") for t in names])
    ax.set_ylim(0, 1.25)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_ylabel("accuracy")
    ax.set_title("Strict accuracy by question type")
    ax.legend(fontsize=7, loc="upper center", ncol=2, frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_report(run: dict[str, Any], path: Path, worst: int = 10) -> list[Path]:
    """Write the Markdown report and its chart (`<report stem>.png`); returns both paths."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chart = write_chart(run["summary"], path.with_suffix(".png"))
    meta = run.get("meta", {})
    header = [
        "# newsrag evaluation",
        "",
        f"Run {meta.get('started', '?')}, {run['summary']['overall']['n']} questions, "
        f"{meta.get('duration_s', '?')} s. Gold: {', '.join(meta.get('gold', [])) or '?'}.",
    ]
    if meta.get("resumed_from_checkpoint"):
        header.append(
            f"\n{meta['resumed_from_checkpoint']} questions were reused from the checkpoint of earlier runs "
            f"(same settings and index); answering all {run['summary']['overall']['n']} took "
            f"{meta.get('answering_s_total', '?')} s in total."
        )
    if not meta.get("citations_checked", True):
        header.append("\nCitation verification was **not checked** (no article lookup).")
    body = [
        "\n## Summary\n",
        summary_table(run["summary"]),
        "\nStrict: normalised answer (or all required parts) found, yes/no by polarity, null questions "
        "must abstain. Citations: *verbatim* = the quote is in the stored article (a bug check, must be "
        "100 %); *supported* = it backs a right answer with gold evidence. Lenient: MultiHop-RAG's shared-word rule. Retrieval: MultiHop-RAG's fact-substring "
        "hits over answerable questions. Definitions: `eval/metrics.py`.",
        f"\n![Strict accuracy by question type]({chart.name})",
        "\n## Cost\n",
        cost_table(run["summary"]),
        "\n## Worst failures\n",
        failures_section(run.get("records", []), worst),
    ]
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    return [path, chart]
