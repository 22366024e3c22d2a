"""A tiny stand-in for `index.store.NewsIndex` for retrieval tests: a real embedded Chroma collection
with the contract's metadata keys, filled with a deterministic hashing embedding (no model)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.calendar import day_number, publication_date
from index.models import Article, Chunk

DIM = 256


# A few Chinese words and their English meaning, so that the fake model is "multilingual".
LEXICON = {"无人机": " drone ", "禁飞区": " no fly zone ", "世界杯": " world cup ", "赛场": " stadium ",
           "美国联邦航空管理局": " federal aviation administration "}  # fmt: skip


class HashEmbedding(BaseEmbedding):
    """Bag of words hashed into DIM buckets, L2-normalised: texts sharing words are similar.
    Chinese words in LEXICON embed like their English meaning (a cross-lingual model in miniature)."""

    def _vec(self, text: str) -> list[float]:
        for zh, en in LEXICON.items():
            text = text.replace(zh, en)
        v = np.zeros(DIM, dtype=np.float32)
        for tok in re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]", text.lower()):
            h = int(hashlib.md5(tok.encode()).hexdigest()[:8], 16)
            v[h % DIM] += 1.0
        n = np.linalg.norm(v)
        return (v / n if n else v).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vec(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vec(text)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vec(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._vec(text)


# (article_id, title, source, published_at, language, body)
ARTICLES = [
    ("a1", "Aliyun opens data center", "China Daily", "2015-07-23T08:26:00+08:00", "en",
     "Aliyun said it now serves more than 1.4 million customers. That followed the opening in March "
     "of its first overseas data center in Silicon Valley in the US."),
    ("a2", "Koszalin escape room fire", "English Wikinews", "2019-01-05", "en",
     "A fire yesterday afternoon killed five girls, all aged fifteen, at an escape room in Koszalin. "
     "Firefighters said the heater leaked gas."),
    ("a3", "Black Friday deals", "The Verge", "2023-11-24T15:42:21+00:00", "en",
     "Universal travel adapters are on sale. Depending on which one you get, it might come with USB "
     "ports so you can charge multiple devices in one outlet."),
    ("a4", "Apple Black Friday deals", "Wired", "2023-11-25T00:00:29+00:00", "en",
     "With a 10,000-mAh capacity, the power bank charged an iPhone once and then delivered an "
     "additional 64 percent before tapping out."),
    ("a5", "无人机禁飞区", "VOA Chinese", "2026-06-10", "zh",
     "美国联邦航空管理局为世界杯设立无人机禁飞区。限制措施包括在赛场周围约六公里范围禁止无人机。"),
    ("a6", "Flipboard joins the fediverse", "TechCrunch", "2023-12-18", "en",
     "Flipboard integrated the ActivityPub protocol so that its magazines can be followed from Mastodon."),
    ("a7", "ActivityPub explained", "The Verge", "2023-11-02", "en",
     "ActivityPub is a protocol that lets social media servers talk to each other; Mastodon uses it."),
    ("a8", "Undated charging note", "Engadget", None, "en",
     "A charger with USB ports can charge multiple devices at once."),
]  # fmt: skip


class FakeNewsIndex:
    """The part of the NewsIndex contract that retrieval uses."""

    def __init__(self, path: Path, articles: list[tuple] = ARTICLES) -> None:
        self.client = chromadb.PersistentClient(path=str(path / "chroma"))
        self.collection = self.client.get_or_create_collection("news", metadata={"hnsw:space": "cosine"})
        self.vector_store = ChromaVectorStore(chroma_collection=self.collection)
        self.embed_model = HashEmbedding()
        self.iter_calls = 0
        self._chunks: list[tuple[Chunk, dict[str, Any]]] = []
        if articles:
            self.add_many(list(articles))

    def add(self, aid: str, title: str, source: str, published_at: str | None, lang: str, body: str) -> None:
        self.add_many([(aid, title, source, published_at, lang, body)])

    def add_many(self, articles: list[tuple]) -> None:
        """Store one single-chunk article per tuple, in one write (a few hundred in a second)."""
        rows = [self._row(*article) for article in articles]
        self.collection.upsert(
            ids=[c.id for c, _ in rows],
            documents=[c.text for c, _ in rows],
            metadatas=[m for _, m in rows],
            embeddings=[self.embed_model.get_text_embedding(c.text) for c, _ in rows],
        )
        self._chunks.extend(rows)

    def _row(
        self, aid: str, title: str, source: str, published_at: str | None, lang: str, body: str
    ) -> tuple[Chunk, dict[str, Any]]:
        chunk = Chunk(
            id=f"{aid}#0", article_id=aid, index=0, text=body, start=0, end=len(body), annotated_text=body
        )
        day = day_number(publication_date(published_at))
        meta = {
            "article_id": aid, "chunk_index": 0, "start": 0, "end": len(body), "title": title,
            "source": source, "url": f"https://example.org/{aid}", "published_at": published_at or "",
            "published_day": day, "language": lang, "article_hash": aid, "annotated_text": body,
            "dates_json": "[]",
        }  # fmt: skip
        return chunk, meta

    def get_article(self, article_id: str) -> Article | None:
        for chunk, meta in self._chunks:
            if chunk.article_id == article_id:
                return Article(
                    id=article_id,
                    title=meta["title"],
                    body=chunk.text,
                    source=meta["source"],
                    published_at=meta["published_at"] or None,
                    language=meta["language"],
                )
        return None

    def get_articles(self, article_ids) -> dict[str, Article]:
        return {a: found for a in article_ids if (found := self.get_article(a)) is not None}

    def iter_chunks(self):
        self.iter_calls += 1
        yield from self._chunks

    def fingerprint(self) -> str:
        return hashlib.sha256(
            "|".join(c.id + m["article_hash"] for c, m in self._chunks).encode()
        ).hexdigest()[:16]
