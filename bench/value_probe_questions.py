"""The yes/no questions the value probe can answer: those that claim exactly one count, amount or day.

    python bench/value_probe_questions.py bench/questions/explore_stop6[0-8].jsonl --out var/probe/r.jsonl
    python bench/value_probe_questions.py eval/gold/yesno.dev.jsonl --out var/probe/ryn.jsonl

Writes them with their expected answers, for `newsrag ask --questions FILE --json -v` (the notes say
"asked for the claimed value ..." where the probe ran), and prints each question's claimed value, so
that a reader sees which numbers `rag.value_probe.claimed_value` takes for the claim and which for
the setting. A yes/no question is one whose `form` is "yes-no" or whose expected answer opens with
Yes or No (gold files: `answer`, `query`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag.value_probe import claimed_value


def yes_no(row: dict) -> bool:
    expected = str(row.get("expected", row.get("answer", ""))).split()
    return row.get("form") == "yes-no" or expected[:1] in (["Yes"], ["No"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    kept: list[dict] = []
    for path in args.files:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            question = row.get("question") or row.get("query") or ""
            if not yes_no(row) or (claim := claimed_value(question)) is None:
                continue
            expected = row.get("expected", row.get("answer", ""))
            kept.append({"id": row["id"], "question": question, "expected": expected})
            print(f"{row['id']}\t{expected[:12]}\t{claim.text}\t{question[:90]}")
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
    print(f"{len(kept)} yes/no questions claim one value -> {args.out}")


if __name__ == "__main__":
    main()
