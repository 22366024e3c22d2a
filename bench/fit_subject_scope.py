"""Where must a cited article name the question's subject? Replayed over a run's answers.

    newsrag eval --split tune --subset var/eval/tune_subject_ids.txt --resume var/eval/tune_subj.jsonl
    python bench/fit_subject_scope.py var/eval/tune_subj.jsonl

The shipped rule (`rag.subject.cites_subject`) asks that one cited article names one of a short
question's names anywhere in its title or body. An article about something else that mentions the
subject in passing then passes: "OpenAI" is named in a SpaceX report, whose "priced at $135 a share"
answered a question about OpenAI's IPO. This script replays narrower scopes over every answer the
run let through: the cited passage with its article's title, and the same plus the article's lead
(its first sentences, where a news report says what it is about). It prints what each scope turns
into abstentions (answered nulls, wrong answers) and what it costs (right answers), for the run's
half only; choose on the tuning half, report on the checking half.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    from index.offline import enforce_offline

    enforce_offline()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path)
    parser.add_argument("--lead-sentences", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("-v", "--verbose", action="store_true", help="list each caught answer")
    args = parser.parse_args(argv)

    from index.sentences import sentence_spans
    from index.store import NewsIndex
    from rag.retrieval import HybridRetriever
    from rag.settings import RagSettings
    from rag.subject import cites_subject, subject_names

    settings = RagSettings()
    index = NewsIndex.open(settings.index)
    sources = HybridRetriever(index, settings).known_sources
    records = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines()[1:]]

    def lead(body: str, n: int) -> str:
        spans = sentence_spans(body)[:n]
        return " ".join(body[s:e] for s, e in spans)

    scopes = ["article", "passage", *(f"lead{n}+passage" for n in args.lead_sentences)]
    rows = []
    for r in records:
        if r["abstained"] or not r["citations"] or not subject_names(r["question"], sources):
            continue
        texts: dict[str, list[str]] = {s: [] for s in scopes}
        for c in r["citations"]:
            article = index.get_article(c["article_id"])
            passage = next((p["text"] for p in r["retrieved"] if p["chunk_id"] == c["chunk_id"]), c["quote"])
            title = article.title if article else c["title"]
            body = article.body if article else passage
            texts["article"].append(f"{title}\n{body}")
            texts["passage"].append(f"{title}\n{passage}")
            for n in args.lead_sentences:
                texts[f"lead{n}+passage"].append(f"{title}\n{lead(body, n)}\n{passage}")
        verdicts = {s: cites_subject(r["question"], t, sources) for s, t in texts.items()}
        rows.append(
            {
                "id": r["id"],
                "question": r["question"],
                "answer": r["answer"],
                "right": bool(r["strict"]),
                "null": bool(r["gold"]["null"]),
                **{s: v is False for s, v in verdicts.items()},
            }
        )

    print(
        f"{len(records)} questions; {len(rows)} answers to short questions naming a subject: "
        f"{sum(r['right'] for r in rows)} right, {sum(not r['right'] and not r['null'] for r in rows)} wrong, "
        f"{sum(r['null'] for r in rows)} answered nulls"
    )
    print("\n| subject named in | answered nulls caught | wrong caught | right lost |\n|---|---|---|---|")
    for s in scopes:
        caught = [r for r in rows if r[s]]
        print(
            f"| {s} | {sum(r['null'] for r in caught)} | "
            f"{sum(not r['right'] and not r['null'] for r in caught)} | {sum(r['right'] for r in caught)} |"
        )
        if args.verbose:
            for r in caught:
                kind = "RIGHT" if r["right"] else "null" if r["null"] else "wrong"
                print(f"    {kind:5} {r['id']}: {r['question']} -> {r['answer']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
