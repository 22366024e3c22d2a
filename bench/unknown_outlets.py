"""Which questions name an outlet the demo corpus holds no article from (`rag.outlets`).

    python bench/unknown_outlets.py                       # dev gold and every exploration round
    python bench/unknown_outlets.py -v                    # and list each question it names one in
    NEWSRAG_HOME=... python bench/unknown_outlets.py --retrieve   # and which would be abstained on

The pre-generation abstention (`RagSettings.abstain_on_unknown_outlets`) rests on this reading: a
question naming such an outlet is abstained on unless an article of its context names it too
(`rag.outlets.unheld_outlets`). `--retrieve` searches the index and chooses the context as the
assistant's first search does, without the question's truecasing, date filter or subject filter.
What it costs is the answerable questions it abstains on, what it catches the null ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.gold import DEFAULT_SETS, load_gold_sets  # noqa: E402
from rag.outlets import unknown_outlets  # noqa: E402


def demo_sources() -> list[str]:
    """The sources the bundled demo corpus stores."""
    sources = set()
    for path in (ROOT / "index" / "demo").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip() and (source := json.loads(line).get("source")):
                sources.add(source)
    return sorted(sources)


def questions(rounds: list[Path]) -> list[tuple[str, str, bool, str]]:
    """(id, question, null, group) for the dev gold and the exploration rounds' questions."""
    out = [(g.id, g.query, g.is_null, g.set_name) for g in load_gold_sets(DEFAULT_SETS)]
    for path in rounds:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                row = json.loads(line)
                out.append((row["id"], row["question"], not row.get("answerable", True), "rounds"))
    return out


def _abstention(known: list[str]) -> Callable[[str], list[str]]:
    """The abstention as the assistant applies it, over the open index's first search."""
    from rag.assistant import Assistant
    from rag.outlets import unheld_outlets

    assistant = Assistant.open()

    def unheld(question: str) -> list[str]:
        found = assistant._retriever.search(question, None, top_k=assistant.settings.retrieve_top_k).passages
        context = assistant._selector.run(question, found)  # the passages the answer is drawn from
        return unheld_outlets(
            question, unknown_outlets(question, known), context, assistant.index.get_articles
        )

    return unheld


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rounds",
        nargs="*",
        type=Path,
        default=sorted((ROOT / "bench" / "questions").glob("explore_stop*.jsonl")),
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--retrieve", action="store_true", help="search the index and apply the abstention")
    args = parser.parse_args(argv)
    known = demo_sources()
    unheld = _abstention(known) if args.retrieve else None
    counts: Counter[tuple[str, str, bool]] = Counter()
    abstained: Counter[tuple[str, str]] = Counter()
    named_outlets: Counter[str] = Counter()
    for qid, question, null, group in questions(args.rounds):
        unknown = unknown_outlets(question, known)
        kind = "null" if null else "answerable"
        counts[(group, kind, bool(unknown))] += 1
        if unknown and unheld is not None and unheld(question):
            abstained[(group, kind)] += 1
        named_outlets.update(o.name for o in unknown)
        if unknown and args.verbose:
            names = ", ".join(o.name if o.published else f"{o.name} (said)" for o in unknown)
            print(f"  {kind} {qid}: {names} | {question[:110]}")
    for group, kind in sorted({(g, k) for g, k, _ in counts}):
        flagged, total = (
            counts[(group, kind, True)],
            counts[(group, kind, True)] + counts[(group, kind, False)],
        )
        held = f"; abstained on: {abstained[(group, kind)]}" if unheld is not None else ""
        print(f"{group:14s} {kind:10s} names an outlet with no stored article: {flagged} of {total}{held}")
    print("outlets named:", ", ".join(f"{name} ({n})" for name, n in named_outlets.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
