"""Syndicated copies: found among real articles at the target recall and precision, grouped at ingestion."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from index_fakes import HashEmbedding

from index.models import Article
from index.pipeline import Ingestor
from index.settings import IndexSettings
from index.store import ArticleWrite, NewsIndex
from index.syndication import Syndication, shingles

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "index" / "demo"
COPIES = Path(__file__).resolve().parent / "fixtures" / "syndicated_copies.jsonl"
# The one pair of copies in the real VOA data (the same report posted twice, re-paragraphed).
REAL_PAIR = ("voachinese-8161106", "voachinese-8161491")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _corpus() -> list[tuple[str, str, str]]:
    """(article id, story id, body) for the demo corpus plus the edited copies."""
    rows = []
    for name in ("wikinews_en.jsonl", "zh_voa_wikinews.jsonl", "evidence_articles.jsonl"):
        for n, r in enumerate(_jsonl(DEMO / name)):
            body = r.get("body") or "\n".join(r.get("facts") or [])
            article_id = r.get("id") or f"{name}:{n}"
            rows.append((article_id, article_id, body))
    rows += [(c["id"], c["copy_of"], c["body"]) for c in _jsonl(COPIES)]
    story = {REAL_PAIR[1]: REAL_PAIR[0]}
    return [(a, story.get(a, s), b) for a, s, b in rows]


def _pairs(groups: dict[str, str]) -> set[frozenset[str]]:
    members = defaultdict(list)
    for article_id, group in groups.items():
        members[group].append(article_id)
    return {frozenset(p) for m in members.values() for p in itertools.combinations(m, 2)}


def test_copies_are_found_at_recall_090_and_precision_095_among_same_topic_stories() -> None:
    corpus = _corpus()
    detector = Syndication.from_settings(IndexSettings())
    found = _pairs({a: detector.run(a, body).group for a, _, body in corpus})
    true = _pairs({a: story for a, story, _ in corpus})
    hits = len(found & true)
    recall, precision = hits / len(true), hits / max(1, len(found))
    print(
        f"\nsyndication: {len(corpus)} articles, {len(true)} copy pairs: recall {recall:.3f}, precision {precision:.3f}"
    )
    assert len(true) >= 60
    assert recall >= 0.9 and precision >= 0.95, (recall, precision, sorted(map(sorted, found - true))[:5])


def test_the_real_voa_copies_are_grouped_and_related_voa_reports_are_not() -> None:
    voa = {r["id"]: r["body"] for r in _jsonl(DEMO / "zh_voa_wikinews.jsonl")}
    detector = Syndication()
    first, second = (detector.run(a, voa[a]) for a in REAL_PAIR)
    assert first.group == REAL_PAIR[0] and second.group == REAL_PAIR[0] and second.copy_of == REAL_PAIR[0]
    # follow-up reports on the same talks share sentences (Jaccard 0.3-0.4) but are other stories
    for a, b in (("voachinese-8162712", "voachinese-8162755"), ("voachinese-8166419", "voachinese-8166513")):
        detector = Syndication()
        detector.run(a, voa[a])
        assert detector.run(b, voa[b]).copy_of is None


def test_chinese_is_shingled_by_character_and_headlines_do_not_count() -> None:
    assert shingles("美国之音报道", 4) == {
        "美 国 之 音".encode(),
        "国 之 音 报".encode(),
        "之 音 报 道".encode(),
    }
    assert shingles("The  Wire, said: NO.", 2) == {b"the wire", b"wire said", b"said no"}
    assert Syndication().run("short", "Too short to judge.").signature == "short"


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    return IndexSettings(index_dir=tmp_path / "idx", chunk_max_tokens=48)


def _wire_story(n: int, **fields: object) -> Article:
    row = _jsonl(DEMO / "wikinews_en.jsonl")[n]
    values = {"id": row["id"], "title": row["title"], "body": row["body"], "source": "English Wikinews",
              "url": row["url"], "published_at": row["published_at"], "language": "en"}  # fmt: skip
    values.update(fields)
    return Article(**values)


def _copy_of(article: Article, article_id: str, source: str) -> Article:
    sentences = article.body.split(". ")
    body = "By Staff Reporter\n\n" + ". ".join(sentences[:4] + sentences[5:])
    return Article(id=article_id, title="Wire: " + article.title, body=body, source=source,
                   url=f"https://copies.example.org/{article_id}", published_at=article.published_at)  # fmt: skip


def _groups(index: NewsIndex) -> dict[str, set[str]]:
    got = index.collection.get(include=["metadatas"])
    out: dict[str, set[str]] = defaultdict(set)
    for meta in got["metadatas"]:
        out[meta["article_id"]].add(meta["dup_group"])
    return out


def test_ingest_groups_copies_in_chunk_metadata_and_regroups_a_rewritten_article(
    settings: IndexSettings,
) -> None:
    original = _wire_story(3)
    copy = _copy_of(original, "copy-a", "Harbour Herald")
    other = _wire_story(4)
    report = Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest([original, other, copy])
    assert report.syndicated == 1
    index = NewsIndex.open(settings, embed_model=HashEmbedding())
    groups = _groups(index)
    assert groups[copy.id] == groups[original.id] == {original.id} and groups[other.id] == {other.id}
    stats = index.stats()
    assert (stats["syndicated_groups"], stats["syndicated_articles"]) == (1, 2)
    assert index.records()[copy.id]["minhash"].startswith("m128k4:")

    # the copy is rewritten into another story: it leaves the group
    rewritten = Article(**{**copy.__dict__, "body": _wire_story(7).body})
    Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest([original, other, rewritten])
    assert _groups(index)[copy.id] == {copy.id}


def test_articles_stored_before_grouping_get_signatures_and_join_groups(settings: IndexSettings) -> None:
    from index.chunking import Chunker
    from index.pipeline import ingest_key

    original = _wire_story(5)
    old_copy = _copy_of(original, "copy-old", "Coastline News")
    old = [original, _wire_story(6), old_copy]
    index = NewsIndex.open(settings, create=True, embed_model=HashEmbedding())
    chunker = Chunker(index.embed_model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    config = f"{chunker.config_key}:{index.model_name}"
    writes = []
    for article in old:  # written as before grouping existed: no signature
        chunks = chunker.chunk(article)
        vectors = np.asarray(index.embed_model.encode_passages([c.text for c in chunks]))
        writes.append(ArticleWrite(article, chunks, vectors, ingest_key(article, config)))
    index.write_articles(writes)
    assert all(not m["minhash"] for m in index.records().values())

    copy = _copy_of(original, "copy-b", "Valley Courier")
    report = Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest([*old, copy])
    assert (report.unchanged, report.stored, report.syndicated) == (3, 1, 1)
    records = index.records()
    assert all(m["minhash"].startswith("m128k4:") for m in records.values())
    groups = _groups(index)  # the old articles' chunks were regrouped too (oldest first, then by id)
    assert groups[copy.id] == groups[old_copy.id] == groups[original.id] == {old_copy.id}
    assert records[original.id]["dup_group"] == records[copy.id]["dup_group"] == old_copy.id


def test_an_unchanged_reingest_of_an_index_built_before_grouping_groups_it_once_and_duplicates_nothing(
    settings: IndexSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index built before grouping existed (the demo index of an older release): re-running the
    same ingest stores and embeds nothing, computes the missing signatures once, and a third run
    reads no body at all."""
    from index.chunking import Chunker
    from index.pipeline import ingest_key

    original = _wire_story(5)
    articles = [original, _wire_story(6), _copy_of(original, "copy-old", "Coastline News")]
    index = NewsIndex.open(settings, create=True, embed_model=HashEmbedding())
    chunker = Chunker(index.embed_model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    config = f"{chunker.config_key}:{index.model_name}"
    writes = []
    for article in articles:  # written as before grouping existed: no signature
        chunks = chunker.chunk(article)
        vectors = np.asarray(index.embed_model.encode_passages([c.text for c in chunks]))
        writes.append(ArticleWrite(article, chunks, vectors, ingest_key(article, config)))
    index.write_articles(writes)
    chunk_ids = sorted(index.collection.get()["ids"])

    ingestor = Ingestor(settings, embed_model=HashEmbedding(), progress=False)
    report = ingestor.ingest(articles)
    assert (report.stored, report.unchanged, report.embedded) == (0, 3, 0)
    assert all(m["minhash"].startswith("m128k4:") for m in index.records().values())
    assert _groups(index)["copy-old"] == _groups(index)[original.id]
    assert sorted(index.collection.get()["ids"]) == chunk_ids  # nothing duplicated, nothing lost

    read: list[list[str]] = []
    real = NewsIndex.get_articles
    monkeypatch.setattr(NewsIndex, "get_articles", lambda self, ids: read.append(ids) or real(self, ids))
    again = ingestor.ingest(articles)
    assert (again.stored, again.unchanged, again.embedded, read) == (0, 3, 0, [])
    assert sorted(index.collection.get()["ids"]) == chunk_ids and index.stats()["syndicated_groups"] == 1


def test_copies_are_looked_for_among_articles_published_within_the_window(settings: IndexSettings) -> None:
    original = _wire_story(8, published_at="2019-01-05")
    ingest = Ingestor(settings, embed_model=HashEmbedding(), progress=False).ingest
    ingest([original])
    late = Article(**{**_copy_of(original, "late", "Late Wire").__dict__, "published_at": "2019-03-30"})
    close = Article(**{**_copy_of(original, "close", "Close Wire").__dict__, "published_at": "2019-01-12"})
    undated = Article(**{**_copy_of(original, "undated", "Undated Wire").__dict__, "published_at": None})
    assert ingest([original, late]).syndicated == 0  # 84 days later: a republication, not syndication
    assert ingest([original, late, close]).syndicated == 1
    assert ingest([original, late, close, undated]).syndicated == 1  # undated: compared with everything
    groups = _groups(NewsIndex.open(settings, embed_model=HashEmbedding()))
    assert groups["close"] == {original.id} and groups["late"] == {"late"}
    assert groups["undated"] in ({original.id}, {"late"})  # identical to both copies: joins one group
