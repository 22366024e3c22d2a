"""read_sources: formats detected from content, bad input reported as Skipped, never blocking the rest."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from index.models import Article, Skipped
from index.readers import read_sources, truncate_at_sentence

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "index" / "demo"
SEED = DEMO / "chinadaily-2015-07-23-aliyun-data-centers.txt"
FIXTURES = Path(__file__).parent / "fixtures"


def read(*paths: Path, max_article_chars: int = 200_000) -> tuple[list[Article], list[Skipped]]:
    items = list(read_sources(list(paths), max_article_chars))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(articles) + len(skipped) == len(items)
    return articles, skipped


def file_name(origin: str) -> str:
    """ "dir/x.jsonl:12" -> "x.jsonl"."""
    return Path(origin).name.split(":")[0]


def only(path: Path) -> Article:
    articles, skipped = read(path)
    assert skipped == []
    assert len(articles) == 1
    return articles[0]


# ----------------------------------------------------------------------------------------- real data


def test_demo_folder_counts_articles_per_file() -> None:
    articles, skipped = read(DEMO)
    assert skipped == []
    per_file = Counter(file_name(a.origin) for a in articles)
    assert per_file == {
        "wikinews_en.jsonl": 293,
        "zh_voa_wikinews.jsonl": 227,
        "evidence_articles.jsonl": 326,
        SEED.name: 1,
    }
    assert len({a.id for a in articles}) == len(articles)
    assert {a.language for a in articles} == {"en", "zh"}
    # Folders are walked in sorted order.
    first_seen = list(dict.fromkeys(file_name(a.origin) for a in articles))
    assert first_seen == sorted(first_seen)
    # Every article's dates point into its own body.
    assert sum(len(a.dates) for a in articles) > 500
    for article in articles:
        for d in article.dates:
            assert article.body[d.start : d.end] == d.text


def test_seed_page_metadata_and_chrome_removal() -> None:
    article = only(SEED)
    assert article.title == "Alibaba plans to set up more data centers in overseas"
    assert article.source == "China Daily"
    assert article.published_at == "2015-07-23T08:26:00+08:00"
    assert article.language == "en"
    body = article.body
    assert (
        "That followed the opening in March of its first overseas data center in Silicon Valley in the US."
        in body
    )
    assert body.startswith("Aliyun - Alibaba's cloud-computing arm")
    assert body.endswith("Ma Si contributed to this story.")
    for chrome in ("US EUROPE AFRICA ASIA", "中文", "Business / Technology", "Hot Topics", "Editor's Picks",
                   "[Photo/IC]", "Updated:", "(China Daily)"):  # fmt: skip
        assert chrome not in body
    assert article.title not in body  # the repeated headline is gone too
    in_march = [d for d in article.dates if d.text == "in March"]
    assert [d.resolved for d in in_march] == ["2015-03"]
    assert body[in_march[0].start : in_march[0].end] == "in March"


def test_shared_schema_jsonl_keeps_fields_and_normalises_language() -> None:
    first_en = json.loads((DEMO / "wikinews_en.jsonl").read_text(encoding="utf-8").split("\n", 1)[0])
    articles, _ = read(DEMO / "wikinews_en.jsonl", DEMO / "zh_voa_wikinews.jsonl")
    en = articles[0]
    assert (en.id, en.title, en.url, en.published_at, en.language) == (
        first_en["id"], first_en["title"], first_en["url"], "2019-01-04", "en"
    )  # fmt: skip
    assert en.origin.endswith("wikinews_en.jsonl:1")
    assert ("on Monday", "2018-12-31") in [(d.text, d.resolved) for d in en.dates]
    zh = [a for a in articles if a.id.startswith("voachinese-")]
    assert zh and all(a.language == "zh" for a in zh)  # declared "zh-Hans"


def test_multihop_evidence_articles_get_stable_ids_and_facts_as_body() -> None:
    line = (DEMO / "evidence_articles.jsonl").read_text(encoding="utf-8").split("\n", 1)[0]
    record = json.loads(line)
    articles, _ = read(DEMO / "evidence_articles.jsonl")
    first = articles[0]
    assert first.id == "mhr-" + hashlib.sha1(record["url"].encode()).hexdigest()[:12]
    assert first.body == "\n".join(record["facts"])
    assert (first.author, first.category, first.source) == (
        record["author"],
        record["category"],
        record["source"],
    )
    assert first.language == "en"  # undeclared, detected
    again, _ = read(DEMO / "evidence_articles.jsonl")
    assert [a.id for a in again] == [a.id for a in articles]


def test_multihop_official_corpus_json_list_with_line_numbers() -> None:
    path = FIXTURES / "mhr_corpus.json"
    articles, skipped = read(path)
    assert skipped == []
    lines = path.read_text(encoding="utf-8").split("\n")
    item_lines = [n for n, text in enumerate(lines, start=1) if text.strip() == "{"]
    assert [a.origin for a in articles] == [f"{path}:{n}" for n in item_lines]
    assert articles[0].id == "mhr-" + hashlib.sha1(b"https://business.example/alpha-beats").hexdigest()[:12]
    assert articles[0].published_at == "2023-10-05T14:00:00+00:00"
    assert [(d.text, d.resolved) for d in articles[0].dates] == [("on Thursday", "2023-10-05")]


# ----------------------------------------------------------------------------------------- bad input


def test_malformed_json_messages_read_as_one_sentence(tmp_path: Path) -> None:
    lines = tmp_path / "cut.jsonl"
    lines.write_text('{"title": "t", "body": "unterminated\n', encoding="utf-8")
    whole = tmp_path / "cut.json"
    whole.write_text('{\n  "title": "t",\n  "body": "unterminated', encoding="utf-8")
    details = [s.detail for s in read(lines, whole)[1]]
    assert details[0] == (
        "line 1 is not valid JSON (Unterminated string starting at column 24); fix or remove the line"
    )
    assert "(Unterminated string starting at line 3, column 11)" in details[1]
    assert not any("at at" in d for d in details)


def test_bad_jsonl_lines_are_skipped_with_their_line_numbers() -> None:
    path = FIXTURES / "bad_lines.jsonl"
    articles, skipped = read(path)
    assert [(a.id, a.origin) for a in articles] == [("a1", f"{path}:1"), ("a11", f"{path}:11")]
    assert [(s.origin, s.reason) for s in skipped] == [
        (f"{path}:2", "malformed_json"),
        (f"{path}:3", "empty_body"),
        (f"{path}:4", "empty_body"),
        (f"{path}:5", "empty_body"),
        (f"{path}:6", "duplicate_id"),
        (f"{path}:7", "duplicate"),
        (f"{path}:8", "empty_body"),
        (f"{path}:9", "not_an_article"),
    ]
    details = {s.origin.rsplit(":", 1)[1]: s.detail for s in skipped}
    assert "line 2" in details["2"]
    assert "no body field" in details["5"]
    assert "page chrome" in details["8"]
    assert f"{path}:1" in details["6"]
    assert articles[1].language == "zh"  # declared "zh-CN"
    assert ("今年5月", "2021-05") in [(d.text, d.resolved) for d in articles[1].dates]


def test_gbk_encoded_text_page_is_decoded() -> None:
    article = only(FIXTURES / "gbk_page.txt")
    assert article.title == "阿里云将在海外新建数据中心"
    assert article.source == "新华社"
    assert article.published_at == "2015-07-23T08:26:00+08:00"
    assert article.language == "zh"
    assert "该公司今年3月在硅谷开设了首个海外数据中心。" in article.body
    assert "新华网 > 科技" not in article.body and "相关新闻" not in article.body
    assert any("gb" in w.lower() for w in article.warnings)
    assert ("今年3月", "2015-03") in [(d.text, d.resolved) for d in article.dates]


def test_html_page_metadata_and_boilerplate_removal() -> None:
    article = only(FIXTURES / "page.html")
    assert article.title == "Storm cuts power to thousands on the coast"
    assert article.source == "Harbour Gazette"
    assert article.url == "https://harbour-gazette.example/news/2021/03/04/storm-cuts-power"
    assert article.published_at == "2021-03-04T10:15:00+00:00"
    assert article.language == "en"
    assert article.body.startswith("A powerful storm hit the coast on Tuesday")
    for junk in ("MUST_NOT_APPEAR", "color: red", "tracking", "Local team wins cup", "Copyright", "Privacy"):
        assert junk not in article.body
    assert ("on Tuesday", "2021-03-02") in [(d.text, d.resolved) for d in article.dates]


def test_html_declared_charset_is_used() -> None:
    article = only(FIXTURES / "page_gbk.html")
    assert article.title == "港口城市批准新桥"
    assert article.source == "港口日报"
    assert article.published_at == "2021-03-04T09:00:00+08:00"
    assert "市议会星期一批准了一座横跨港湾的新桥" in article.body
    assert any("declared" in w for w in article.warnings)


def test_binary_and_undecodable_files_are_skipped_without_blocking_the_rest() -> None:
    articles, skipped = read(FIXTURES / "binary.txt", FIXTURES / "undecodable.txt", SEED)
    assert [(Path(s.origin).name, s.reason) for s in skipped] == [
        ("binary.txt", "binary_file"),
        ("undecodable.txt", "undecodable"),
    ]
    assert all(s.detail for s in skipped)
    assert [a.title for a in articles] == ["Alibaba plans to set up more data centers in overseas"]


def test_missing_path_is_reported() -> None:
    _, skipped = read(FIXTURES / "no-such-file.jsonl")
    assert [s.reason for s in skipped] == ["not_found"]


def test_absurdly_large_article_is_truncated_at_a_sentence_and_kept(tmp_path: Path) -> None:
    sentence = "The council met again to discuss the bridge. "
    body = sentence * 200  # 9,000 characters
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "big", "title": "Big", "published_at": "2021-03-04", "body": body}) + "\n"
    )
    article = only_from(path, max_article_chars=1000)
    assert len(article.body) <= 1000
    assert article.body.endswith("the bridge.")
    assert body.startswith(article.body)
    assert any("truncated" in w and "1000" in w for w in article.warnings)


def only_from(path: Path, max_article_chars: int) -> Article:
    articles, skipped = read(path, max_article_chars=max_article_chars)
    assert skipped == [] and len(articles) == 1
    return articles[0]


def test_truncate_at_sentence_falls_back_to_words() -> None:
    assert truncate_at_sentence("Short.", 100) == "Short."
    assert truncate_at_sentence("one two three four five six", 12) == "one two"
    assert truncate_at_sentence("第一句。第二句。第三句。", 9) == "第一句。第二句。"


def test_chrome_only_page_is_an_empty_body(tmp_path: Path) -> None:
    page = tmp_path / "chrome.txt"
    page.write_text("US EUROPE AFRICA ASIA\nBusiness / Technology\n\nHot Topics\n\nEditor's Picks\n...\n")
    _, skipped = read(page)
    assert [(s.origin, s.reason) for s in skipped] == [(str(page), "empty_body")]


# ----------------------------------------------------------------------------------------- folders


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    def record(name: str) -> dict[str, str]:
        return {
            "id": name,
            "title": name,
            "published_at": "2021-03-04",
            "body": f"Bridge {name} opened on Monday.",
        }

    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.jsonl").write_text(json.dumps(record("a")) + "\n")
    (tmp_path / "b" / "c.json").write_text(json.dumps(record("c")))
    with gzip.open(tmp_path / "b" / "deep" / "d.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(record("d")) + "\n")
    (tmp_path / "b" / "e.txt").write_text("Bridge opens\n\nThe bridge opened on Monday, officials said.\n")
    (tmp_path / ".hidden.jsonl").write_text(json.dumps(record("hidden")) + "\n")
    (tmp_path / ".git" / "x.jsonl").write_text(json.dumps(record("git")) + "\n")
    (tmp_path / "notes.md").write_text("# notes\n")
    (tmp_path / "README.md").write_text("# About this data\n")
    items = list(read_sources([tmp_path]))
    names = [(file_name(i.origin), type(i).__name__) for i in items]
    assert names == [
        ("a.jsonl", "Article"),
        ("c.json", "Article"),
        ("d.jsonl.gz", "Article"),
        ("e.txt", "Article"),
        ("notes.md", "Skipped"),
    ]
    assert items[-1].reason == "unsupported_format"  # type: ignore[union-attr]
    assert items[2].origin == f"{tmp_path / 'b' / 'deep' / 'd.jsonl.gz'}:1"


def test_the_same_article_in_two_files_is_read_once(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    articles, skipped = read(SEED, copy)
    assert len(articles) == 1
    assert [(s.origin, s.reason) for s in skipped] == [(str(copy), "duplicate")]


@pytest.mark.parametrize(
    "text", ['{"id": "x", "title": "T", "body": "Body text here."}', '[{"title": "T", "body": "B."}]']
)
def test_single_json_documents(tmp_path: Path, text: str) -> None:
    path = tmp_path / "one.json"
    path.write_text(text)
    articles, skipped = read(path)
    assert skipped == [] and len(articles) == 1


def test_corrupt_gzip_and_menu_only_html_are_skipped(tmp_path: Path) -> None:
    corrupt = tmp_path / "broken.jsonl.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00this is not deflate data")
    menu = tmp_path / "menu.html"
    menu.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><footer>(c)</footer></body></html>"
    )
    _, skipped = read(corrupt, menu)
    assert [(s.origin, s.reason) for s in skipped] == [
        (str(corrupt), "unreadable"),
        (str(menu), "empty_body"),
    ]


def test_non_iso_publication_date_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"id": "x", "title": "T", "published_at": "Jan 4, 2019", "body": "It rained on Monday."}\n'
    )
    article = only(path)
    assert article.published_at == "2019-01-04"
    assert [(d.text, d.resolved) for d in article.dates] == [("on Monday", "2018-12-31")]
    assert any("not ISO 8601" in w for w in article.warnings)


def test_a_file_of_queries_is_one_skip_and_an_lfs_pointer_is_named(tmp_path: Path) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "".join(json.dumps({"id": f"q{i}", "query": "Who?", "answer": "X"}) + "\n" for i in range(40))
    )
    pointer = tmp_path / "corpus.json"
    pointer.write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 6785567\n"
    )
    _, skipped = read(queries, pointer)
    assert [(s.origin, s.reason) for s in skipped] == [
        (str(queries), "not_an_article"),
        (str(pointer), "lfs_pointer"),
    ]
    assert "query" in skipped[0].detail
