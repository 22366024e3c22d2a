"""Stand-ins for the UI tests: the Aliyun answer, an assistant that streams Sources first, a UI."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from index.offline import enforce_offline

enforce_offline()  # before gradio is imported by the UI modules

from index.pipeline import IngestReport  # noqa: E402
from rag.filter_hint import NO_MATCH  # noqa: E402
from rag.models import ABSTAIN_TEXT, Answer, Citation, Filters, Passage, SearchedDates, Sources  # noqa: E402
from ui.layout import UI, build_ui  # noqa: E402
from ui.settings import AppSettings  # noqa: E402

BODY = (
    "Aliyun said on Wednesday it will open a second US data center. "
    "That followed the opening in March of its first overseas data center in Silicon Valley in the US. "
    "It now serves more than 1.4 million customers."
)
QUOTE = "That followed the opening in March of its first overseas data center in Silicon Valley in the US."


def passage(
    text: str = BODY, chunk_id: str = "a1:0", article_id: str = "a1", score: float = 0.91, **kw
) -> Passage:
    meta = {
        "title": "Alibaba plans to set up more data centers in overseas",
        "source": "China Daily",
        "url": "https://www.chinadaily.com.cn/business/tech/2015-07/23/content_21390308.htm",
        "published_at": "2015-07-23T08:26:00+08:00",
        "language": "en",
    } | kw
    return Passage(
        chunk_id=chunk_id, article_id=article_id, text=text, start=0, end=len(text), score=score, **meta
    )


def citation(p: Passage, quote: str = QUOTE, n: int = 1) -> Citation:
    start = p.start + p.text.index(quote)
    return Citation(
        n=n,
        article_id=p.article_id,
        title=p.title,
        source=p.source,
        url=p.url,
        published_at=p.published_at,
        quote=quote,
        start=start,
        end=start + len(quote),
        chunk_id=p.chunk_id,
    )


OTHER = passage("Li Jin said more data centers will open in Singapore.", chunk_id="a1:1", score=0.42)
READ_NOT_CITED = passage(
    "Alibaba's cloud unit competes with Amazon.",
    chunk_id="a2:0",
    article_id="a2",
    score=0.6,
    title="Cloud race",
)


def aliyun_answer(question: str = "When did Aliyun open its first US data center?") -> Answer:
    p = passage()
    return Answer(
        question=question,
        text="Aliyun opened its first US data center in March 2015 [1].",
        abstained=False,
        citations=[citation(p)],
        retrieved=[p, READ_NOT_CITED, OTHER],
        timings_ms={"retrieve": 12.0, "generate": 900.0},
    )


@dataclass
class FakeAssistant:
    """Streams Sources, then the Aliyun answer word by word, then the Answer; abstains when the
    filters exclude mid-2015 and explains an unknown source like the real one. Records the `as_of`
    it was given (None: not passed) and attaches `searched` to its answers."""

    calls: list[tuple[str, Filters | None, list]] = field(default_factory=list)
    as_of_seen: list[date | None] = field(default_factory=list)
    searched: SearchedDates | None = None
    pause_s: float = 0.0  # between the sources and the first word

    def _answer(self, question: str, filters: Filters | None, as_of: date | None) -> Answer:
        self.as_of_seen.append(as_of)
        if filters and filters.sources and "China Daily" not in filters.sources:
            hint = f"{NO_MATCH}: no source is called '{filters.sources[0]}' (closest sources: China Daily)."
            return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, notes=[hint])
        if filters and filters.since and filters.since > date(2015, 7, 23):
            return Answer(question=question, text=ABSTAIN_TEXT, abstained=True)
        answer = aliyun_answer(question)
        answer.searched_dates = self.searched
        return answer

    def stream(self, question, filters=None, history=None, as_of=None):
        self.calls.append((question, filters, list(history or [])))
        answer = self._answer(question, filters, as_of)
        context = tuple(answer.retrieved[:2])
        yield Sources(context=context, retrieved=tuple(answer.retrieved), elapsed_ms=20.0)
        time.sleep(self.pause_s)
        for word in answer.text.split(" "):
            yield word + " "
        yield answer

    def ask(self, question, filters=None, history=None, as_of=None):
        self.calls.append((question, filters, list(history or [])))
        return self._answer(question, filters, as_of)


STATS = {  # the shape of NewsIndex.stats()
    "articles": 3,
    "chunks": 7,
    "sources": {"English Wikinews": 2, "China Daily": 1},
    "languages": {"en": 2, "zh": 1},
    "date_range": ["2015-07-23", "2019-01-04"],
}


def make_ui(tmp_path: Path, assistant_factory=None, ingest_fn=None, concurrency: int = 1, **settings) -> UI:
    ui = build_ui(
        assistant_factory=assistant_factory or FakeAssistant,
        ingest_fn=ingest_fn or (lambda paths: IngestReport(read=len(paths), stored=len(paths))),
        stats_fn=lambda: dict(STATS),
        uploads_dir=tmp_path / "home" / "uploads",
        settings=AppSettings(**settings),
        concurrency=concurrency,
    )
    ui.loader.wait(10)
    return ui


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
