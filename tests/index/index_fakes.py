"""Test doubles for the index tests: a tiny deterministic embedder and article factories.

`HashEmbedding` hashes words into a normalised bag-of-words vector: no weights to load, so pipeline and
store tests run in milliseconds, and retrieval on it still prefers passages sharing the query's words.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from index.embedding import NewsEmbedding
from index.models import Article, ResolvedDate

_TOKEN = re.compile(r"[\u3400-\u9fff]|\w+")


class HashEmbedding(NewsEmbedding):
    model_name: str = "hash-test"
    dim: int = 64
    max_tokens: int | None = 64

    @classmethod
    def class_name(cls) -> str:
        return "HashTestEmbedding"

    def count_tokens(self, text: str) -> int:
        return len(_TOKEN.findall(text)) + 2

    def _passages(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _TOKEN.findall(text.lower()):
                out[row, int(hashlib.md5(token.encode()).hexdigest()[:8], 16) % self.dim] += 1.0
            out[row, 0] += 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class CountingEmbedding(HashEmbedding):
    """Counts the passages it embeds, to prove that unchanged articles are not embedded again."""

    calls: int = 0

    def _passages(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        return super()._passages(texts)


def article(n: int, body: str | None = None, **fields: object) -> Article:
    """Article number `n`, with a multi-sentence English body unless one is given."""
    if body is None:
        body = " ".join(
            f"Article {n} sentence {i} reports on the harbour bridge project number {n * 10 + i}."
            for i in range(12)
        )
    values: dict = {
        "id": f"art-{n}",
        "title": f"Headline {n}",
        "body": body,
        "source": "Test Wire",
        "url": f"https://example.org/{n}",
        "published_at": f"2019-01-{(n % 28) + 1:02d}",
        "language": "en",
        "origin": f"fixture:{n}",
    }
    values.update(fields)
    return Article(**values)


def dated_article() -> Article:
    body = (
        "Alibaba's cloud unit said on Wednesday it will open a second data center in the US. "
        "That followed the opening in March of its first overseas data center in Silicon Valley."
    )
    start = body.index("in March")
    wed = body.index("on Wednesday")
    dates = (
        ResolvedDate(wed, wed + len("on Wednesday"), "on Wednesday", "2015-07-22"),
        ResolvedDate(start, start + len("in March"), "in March", "2015-03"),
    )
    return Article(
        id="aliyun",
        title="Alibaba plans to set up more data centers overseas",
        body=body,
        source="China Daily",
        published_at="2015-07-23T08:26:00+08:00",
        language="en",
        dates=dates,
    )
