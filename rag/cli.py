"""`newsrag ask`: answer one question, or every line of a JSONL file with the model loaded once."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from index.cli_options import EXIT_BAD_INPUT, add_index_options, index_settings_from

EPILOG = """\
examples:
  newsrag ask "When did Aliyun open its first US data center?"
  newsrag ask "Who won?" --source "English Wikinews" --since 2020-01-01 --index ./idx
  newsrag ask --questions questions.jsonl --json > answers.jsonl
  newsrag ask "What happened in Gaza last week?" --as-of 2024-05-14
On a terminal the passages the answer is read from are listed first, while it is written.
exit status: 0 ok, 2 no index or bad input."""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "ask",
        help="answer a question from the index, with numbered citations to the article passages",
        description="Answer a question from the indexed articles: a short answer citing each claim as\n"
        '[n] with the exact quote, or "Insufficient information." when the articles do not hold it.',
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("question", nargs="?", help="the question (or use --questions)")
    p.add_argument(
        "--questions",
        type=Path,
        metavar="FILE.jsonl",
        help="answer each line's 'query' (or 'question'), echoing its 'id'",
    )
    add_index_options(p)
    p.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="S",
        help="only articles from this source (repeatable)",
    )
    p.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="L",
        help="only articles in this language, e.g. en, zh",
    )
    p.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="published on or after")
    p.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD", help="published on or before")
    p.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day the question is asked: 'yesterday', 'last week', '上周' are resolved against it "
        "(default: today)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per question on its own line")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant
    from rag.models import Filters
    from rag.settings import RagSettings

    if not args.question and not args.questions:
        print("error: give a QUESTION or --questions FILE.jsonl", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        items = _read_questions(args.questions) if args.questions else [(None, args.question)]
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    filters = Filters(
        sources=tuple(args.source), languages=tuple(args.language), since=args.since, until=args.until
    )
    assistant = Assistant.open(settings=RagSettings(index=index_settings_from(args)))
    live = not args.json and sys.stdout.isatty()
    for qid, question in items:
        answer = _answer(
            assistant,
            question,
            None if filters.is_empty() else filters,
            sys.stdout if live else None,
            args.as_of,
        )
        if args.json:
            print(json.dumps(answer.to_json(qid), ensure_ascii=False), flush=True)
        else:
            print_answer(answer, sys.stdout)
            print(f"  ({answer.timings_ms.get('total', 0) / 1000:.1f} s)", file=sys.stderr)
    return 0


def _answer(
    assistant: Any, question: str, filters: Any, live: TextIO | None, as_of: date | None = None
) -> Any:
    """The final Answer; on a terminal the Sources event is printed the moment retrieval is done."""
    from rag.models import Answer, Sources

    final = None
    day = {"as_of": as_of} if as_of is not None else {}  # not given: the assistant takes today
    for item in assistant.stream(question, filters=filters, **day):
        if isinstance(item, Sources) and live is not None and item.context:
            print(f"Reading {len(item.context)} passages ({item.elapsed_ms / 1000:.1f} s):", file=live)
            for p in item.context:
                print(f"  · {p.title} - {p.source}, {(p.published_at or '')[:10]}", file=live)
            print(file=live, flush=True)
        elif isinstance(item, Answer):
            final = item
    assert final is not None, "Assistant.stream ends with the Answer"
    return final


def print_answer(answer: Any, out: TextIO) -> None:
    """The answer, each citation with its quote, and why nothing matched when a filter excluded all
    or the question names an outlet the index holds no article from."""
    from rag.filter_hint import NO_MATCH
    from rag.outlets import NO_OUTLET

    print(answer.text, file=out)
    for c in answer.citations:
        day = (c.published_at or "")[:10]
        print(f"  [{c.n}] {c.title} - {c.source}, {day} {c.url}".rstrip(), file=out)
        print(f'      "{c.quote}"', file=out)
        if c.also_reported_by:
            print("      also reported by " + ", ".join(o.source for o in c.also_reported_by), file=out)
    if answer.searched_dates is not None:
        print(f"  {answer.searched_dates.describe()}", file=out)
    for note in answer.notes:
        if note.startswith((NO_MATCH, NO_OUTLET)):
            print(f"  {note}", file=out)
    out.flush()


def _read_questions(path: Path) -> list[tuple[str | None, str]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
        question = row.get("query") or row.get("question") if isinstance(row, dict) else None
        if not question:
            raise ValueError(f"{path}:{n}: no 'query' field")
        out.append((row.get("id"), question))
    return out
