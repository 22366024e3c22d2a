"""Which questions the name glossary would change: those the translation gate sends and that name a
name the corpus glosses (`rag.glossary`). Retrieval only, no model call.

    python bench/glossary_questions.py bench/questions/explore_stop3*.jsonl --out var/explore/gl40_questions.jsonl
    NEWSRAG_GLOSSARY_NAMES=translated newsrag ask --questions var/explore/gl40_questions.jsonl --json -v

Each question is read as the pipeline reads it: searched, given the capitals the passages write its
words with when it is typed in lower case (`rag.truecase`), searched again, then put to the gate
(`rag.subject.needs_translation`) and looked up in the glossary.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.language import detect_language
from index.offline import enforce_offline
from rag.settings import RagSettings


def main(argv: list[str] | None = None) -> int:
    enforce_offline()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("questions", nargs="+", type=Path, help="JSONL files with a `question` field")
    ap.add_argument("--out", type=Path, required=True, help="the questions it would change, as JSONL")
    args = ap.parse_args(argv)

    from index.store import NewsIndex  # heavy imports only when a run starts
    from rag.glossary import load_or_build
    from rag.retrieval import HybridRetriever
    from rag.subject import needs_translation
    from rag.translate import target_languages
    from rag.truecase import truecase, typed_in_lower_case

    settings = RagSettings()
    index = NewsIndex.open(settings.index)
    retriever = HybridRetriever(index, settings)
    glossary = load_or_build(index, settings.index.resolved_index_dir)
    picked = []
    for path in args.questions:
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            text = q["question"]
            found = retriever.search(text, top_k=settings.retrieve_top_k)
            if (
                typed_in_lower_case(text)
                and (cased := truecase(text, [p.text for p in found.passages])) != text
            ):
                text, found = cased, retriever.search(cased, top_k=settings.retrieve_top_k)
            if not target_languages(text, retriever.known_languages):
                continue
            sources = retriever.known_sources
            gated = needs_translation(
                text, found.passages, index.get_articles, detect_language(text), sources
            )
            names = glossary.in_other_script(text, sources)
            if gated and names:
                picked.append(q)
                print(q["id"], text, names[:3], flush=True)
    args.out.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in picked), encoding="utf-8")
    print(f"{len(picked)} questions written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
