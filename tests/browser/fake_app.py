"""Tests only: app.py's UI over a stand-in assistant, for driving the browser before the real one works.

    NEWSRAG_APP_FAKE=1 pytest -m browser      # the browser test starts this instead of app.py

The stand-in ranks the sentences of the bundled China Daily article by word overlap with the question
and quotes the best one; it honours the date filter against the article's publication date. It never
replaces the real assistant in the final test.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.offline import enforce_offline  # noqa: E402

enforce_offline()  # before gradio is imported

from rag.models import ABSTAIN_TEXT, Answer, Citation, Filters, Passage, Sources  # noqa: E402
from ui.layout import build_ui  # noqa: E402
from ui.settings import AppSettings  # noqa: E402

SEED = ROOT / "index" / "demo" / "chinadaily-2015-07-23-aliyun-data-centers.txt"
META = {
    "title": "Alibaba plans to set up more data centers in overseas",
    "source": "China Daily",
    "url": "",
    "published_at": "2015-07-23T08:26:00+08:00",
    "language": "en",
}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


class OverlapAssistant:
    def __init__(self) -> None:
        self.body = SEED.read_text(encoding="utf-8")
        self.paragraphs = [m for m in re.finditer(r"[^\n]+", self.body) if len(m.group()) > 80]

    def _answer(self, question: str, filters: Filters | None) -> Answer:
        if filters and (
            (filters.since and filters.since.isoformat() > "2015-07-23")
            or (filters.until and filters.until.isoformat() < "2015-07-23")
            or (filters.sources and META["source"] not in filters.sources)
        ):
            return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, notes=["filtered out"])
        q = _words(question)
        ranked = sorted(self.paragraphs, key=lambda m: -len(q & _words(m.group())))
        passages = [
            Passage(
                chunk_id=f"seed:{m.start()}",
                article_id="seed",
                text=m.group(),
                start=m.start(),
                end=m.end(),
                score=len(q & _words(m.group())) / max(len(q), 1),
                **META,
            )
            for m in ranked[:4]
        ]
        best = passages[0]
        sentences = re.findall(r"[^.!?]+[.!?]", best.text)
        quote = max(sentences, key=lambda s: len(q & _words(s))).strip()
        start = best.start + best.text.index(quote)
        cite = Citation(
            n=1,
            article_id="seed",
            quote=quote,
            start=start,
            end=start + len(quote),
            chunk_id=best.chunk_id,
            title=META["title"],
            source=META["source"],
            url="",
            published_at=META["published_at"],
        )
        return Answer(
            question=question, text=f"{quote} [1]", abstained=False, citations=[cite], retrieved=passages
        )

    def stream(self, question, filters=None, history=None):
        answer = self._answer(question, filters)
        yield Sources(context=tuple(answer.retrieved[:3]), retrieved=tuple(answer.retrieved))
        time.sleep(1.5)  # the real generator reads its prompt for seconds before the first word
        for word in answer.text.split(" "):
            time.sleep(0.05)
            yield word + " "
        yield answer

    def ask(self, question, filters=None, history=None):
        return self._answer(question, filters)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--home", type=Path, required=True)
    args = parser.parse_args()
    settings = AppSettings(app_port=args.port)
    stats = {
        "articles": 1,
        "chunks": 8,
        "sources": ["China Daily"],
        "languages": ["en"],
        "date_range": ("2015-07-23", "2015-07-23"),
    }
    ui = build_ui(OverlapAssistant, lambda paths: None, lambda: stats, args.home / "uploads", settings)
    ui.launch()
    ui.demo.block_thread()


if __name__ == "__main__":
    main()
