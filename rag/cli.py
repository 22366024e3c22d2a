"""`newsrag ask`: answer one question, or every line of a JSONL file with the model loaded once."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("ask", help="answer a question from the index, with citations")
    p.add_argument("question", nargs="?", help="the question (or use --questions)")
    p.add_argument("--questions", type=Path, help="JSONL file; answers each line's 'query', echoing its 'id'")
    p.add_argument(
        "--index",
        type=Path,
        help="index directory (default: NEWSRAG_INDEX_DIR or ~/.local/share/newsrag/index)",
    )
    p.add_argument(
        "--source", action="append", default=[], help="only articles from this source (repeatable)"
    )
    p.add_argument(
        "--language", action="append", default=[], help="only articles in this language, e.g. en, zh"
    )
    p.add_argument("--since", type=date.fromisoformat, help="published on or after YYYY-MM-DD")
    p.add_argument("--until", type=date.fromisoformat, help="published on or before YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="one JSON object per question on its own line")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from index.store import IndexNotFoundError
    from rag.assistant import Assistant
    from rag.models import Filters

    if not args.question and not args.questions:
        print("newsrag ask: give a QUESTION or --questions FILE.jsonl", file=sys.stderr)
        return 2
    filters = Filters(
        sources=tuple(args.source), languages=tuple(args.language), since=args.since, until=args.until
    )
    try:
        assistant = Assistant.open(index_dir=args.index)
    except IndexNotFoundError as exc:
        print(f"newsrag ask: {exc}", file=sys.stderr)
        return 2

    items = _read_questions(args.questions) if args.questions else [(None, args.question)]
    for qid, question in items:
        answer = assistant.ask(question, filters=None if filters.is_empty() else filters)
        if args.json:
            print(json.dumps(answer.to_json(qid), ensure_ascii=False), flush=True)
        else:
            print(answer.text)
            for c in answer.citations:
                day = (c.published_at or "")[:10]
                print(f'  [{c.n}] {c.title} - {c.source}, {day} {c.url}\n      "{c.quote}"')
            print(f"  ({answer.timings_ms.get('total', 0) / 1000:.1f} s)", file=sys.stderr)
    return 0


def _read_questions(path: Path) -> list[tuple[str | None, str]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"newsrag ask: {path}:{n}: not valid JSON ({exc.msg})") from exc
        question = row.get("query") or row.get("question")
        if not question:
            raise SystemExit(f"newsrag ask: {path}:{n}: no 'query' field")
        out.append((row.get("id"), question))
    return out
