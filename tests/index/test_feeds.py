"""Feeds end to end against a loopback server: a 200-entry feed stored once, re-read without fetching
or embedding, a changed entry replaced, bad feeds and pages reported while the rest is ingested."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from feed_server import FeedServer, Route, page, rss
from index_fakes import CountingEmbedding, HashEmbedding

from index.feeds import expand_feeds, feed_article_id, html_text
from index.fetching import PoliteFetcher
from index.refresh import FeedRefresher
from index.settings import IndexSettings
from index.store import NewsIndex

REPO = Path(__file__).resolve().parents[2]
WIKI = [json.loads(line) for line in (REPO / "index" / "demo" / "wikinews_en.jsonl").open(encoding="utf-8")]
NOW = datetime(2024, 5, 10, 9, 30, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture
def server(no_network: list[str]):
    with FeedServer() as s:
        yield s
    assert no_network == []


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    # 5 s: a loopback page answers in milliseconds, but a loaded CI machine once took over 1 s
    return IndexSettings(index_dir=tmp_path / "idx", feed_host_interval_s=0.0, feed_timeout_s=5.0)


def refresh(settings: IndexSettings, feeds: list[str], model: HashEmbedding | None = None, **kwargs):
    return FeedRefresher(settings, embed_model=model or HashEmbedding(), progress=False).run(feeds, **kwargs)


def paragraphs(n: int) -> list[str]:
    """Article n of the demo Wikinews file, as a page's paragraphs."""
    sentences = WIKI[n]["body"].replace("\n", " ").split(". ")
    third = max(1, len(sentences) // 3)
    return [". ".join(sentences[i : i + third]).strip() + "." for i in range(0, len(sentences), third)]


def entry(n: int, server: FeedServer, **changes: object) -> dict:
    """Entry n: even ones carry the article (content:encoded), odd ones a summary and a link."""
    item = {
        "title": WIKI[n]["title"],
        "link": server.url(f"/story/{n}"),
        "date": NOW - timedelta(hours=n),
        "summary": paragraphs(n)[0][:150],
    }
    if n % 2 == 0:
        item["content"] = "".join(f"<p>{p}</p>" for p in paragraphs(n))
    item.update(changes)
    return item


def serve_story(server: FeedServer, n: int, etag: str = "v1") -> None:
    server.routes[f"/story/{n}"] = Route(page(WIKI[n]["title"], paragraphs(n)), etag=f'"{n}-{etag}"')


def test_200_entry_feed_stored_once_then_nothing_fetched_or_embedded_and_changes_replaced(
    server: FeedServer, settings: IndexSettings
) -> None:
    items = [entry(n, server) for n in range(200)]
    for n in range(1, 200, 2):
        serve_story(server, n)
    server.routes["/feed.xml"] = Route(rss("Example Wire", items), "application/rss+xml", etag='"feed-1"')
    feed = server.url("/feed.xml")

    first = refresh(settings, [feed])
    assert (first.ingest.stored, first.ingest.unchanged, first.ingest.skipped) == (200, 0, [])
    assert first.counts.pages_fetched == 100
    index = NewsIndex.open(settings, embed_model=HashEmbedding())
    assert index.stats()["articles"] == 200 and index.stats()["sources"] == {"Example Wire": 200}
    fetched = index.get_article(feed_article_id(server.url("/story/3")))
    assert fetched is not None and fetched.title == WIKI[3]["title"]
    assert paragraphs(3)[1][:60] in fetched.body and "Most read" not in fetched.body
    assert fetched.published_at == (NOW - timedelta(hours=3)).isoformat()  # the feed's own offset
    carried = index.get_article(feed_article_id(server.url("/story/4")))
    assert carried is not None and paragraphs(4)[2][:60] in carried.body
    chunks_before = index.collection.count()

    # unchanged: the feed answers 304, no page is fetched, nothing is embedded
    server.clear()
    model = CountingEmbedding()
    second = refresh(settings, [feed], model=model)
    assert (second.ingest.stored, second.ingest.unchanged, second.ingest.embedded) == (0, 200, 0)
    assert model.calls == 0 and second.counts.feeds_not_modified == 1
    assert server.paths() == ["/robots.txt", "/feed.xml"]
    assert server.requests[1][1].get("If-None-Match") == '"feed-1"'

    # changed: one title edited, one page rewritten, one entry's content edited, one entry added
    items[3] = entry(3, server, title="Edited headline for story three")
    items[5] = entry(5, server, summary="An updated summary for story five.")
    server.routes["/story/5"] = Route(
        page(WIKI[5]["title"], ["A completely rewritten story. It has new facts and new figures."]),
        etag='"5-v2"',
    )
    items[8] = entry(8, server, content="<p>Corrected text of story eight. The figures were revised.</p>")
    items.append(entry(201, server))
    serve_story(server, 201)
    server.routes["/feed.xml"] = Route(rss("Example Wire", items), "application/rss+xml", etag='"feed-2"')
    server.clear()
    third = refresh(settings, [feed], model=CountingEmbedding())
    assert (third.ingest.stored, third.ingest.unchanged, third.ingest.skipped) == (4, 197, [])
    assert sorted(p for p in server.paths() if p.startswith("/story/")) == [
        "/story/201",
        "/story/3",
        "/story/5",
    ]
    page3 = next(h for p, h in server.requests if p == "/story/3")
    assert page3.get("If-None-Match") == '"3-v1"' and third.counts.pages_not_modified == 1
    index = NewsIndex.open(settings, embed_model=HashEmbedding())
    three = index.get_article(feed_article_id(server.url("/story/3")))
    assert (
        three is not None and three.title == "Edited headline for story three" and three.body == fetched.body
    )
    five_id = feed_article_id(server.url("/story/5"))
    five = index.get_article(five_id)
    assert five is not None and five.body.startswith("A completely rewritten story.")
    stored_five = index.collection.get(where={"article_id": five_id}, include=["documents"])
    assert all(doc in five.body for doc in stored_five["documents"])  # the old chunks are gone
    eight = index.get_article(feed_article_id(server.url("/story/8")))
    assert eight is not None and eight.body.startswith("Corrected text of story eight.")
    assert index.stats()["articles"] == 201
    assert len(set(index.collection.get(include=[])["ids"])) == index.collection.count() != chunks_before

    # a server without validators: the feed is read in full, its entries are recognised unchanged
    server.routes["/feed.xml"].etag = None
    server.clear()
    model = CountingEmbedding()
    fourth = refresh(settings, [feed], model=model)
    assert (fourth.ingest.stored, fourth.ingest.unchanged, model.calls) == (0, 201, 0)
    assert server.paths() == ["/robots.txt", "/feed.xml"]


def test_bad_feeds_and_pages_are_reported_with_reasons_and_the_rest_is_ingested(
    server: FeedServer, settings: IndexSettings
) -> None:
    good = [entry(n, server) for n in (1, 2)]
    serve_story(server, 1)
    server.routes["/good.xml"] = Route(rss("Good Wire", good), "application/rss+xml")
    refresh(settings, [server.url("/good.xml")])
    stored_before = NewsIndex.open(settings, embed_model=HashEmbedding()).stats()["articles"]
    assert stored_before == 2

    server.routes["/good.xml"] = Route(b"gone", status=404)  # the good feed now fails: nothing is lost
    server.routes["/broken.xml"] = Route(rss("Broken", [entry(6, server)])[:-60], "application/rss+xml")
    server.routes["/slow.xml"] = Route(rss("Slow", [entry(9, server)]), "application/rss+xml", delay_s=10.0)
    server.routes["/page.html"] = Route(page("A page, not a feed", ["Some text here. More text."]))
    undated = entry(10, server)
    del undated["date"]
    mixed = [
        {"title": "No link and no content", "summary": "Just a teaser."},
        undated,
        entry(11, server, link=server.url("/report.pdf")),
        entry(13, server, link=server.url("/missing")),
        entry(15, server, link=server.url("/private/15")),
        entry(17, server),
    ]
    serve_story(server, 17)
    serve_story(server, 6)
    server.routes["/report.pdf"] = Route(b"%PDF-1.4 binary", "application/pdf")
    server.routes["/private/15"] = Route(page("Private", ["Not for robots. At all."]))
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server.routes["/mixed.xml"] = Route(rss("Mixed Wire", mixed), "application/rss+xml")
    feeds = ["/good.xml", "/broken.xml", "/slow.xml", "/page.html", "/mixed.xml"]

    report = refresh(settings, [server.url(f) for f in feeds])
    reasons = {s.origin.replace(server.base, ""): s.reason for s in report.ingest.skipped}
    assert reasons == {
        "/good.xml": "http_404",
        "/broken.xml": "malformed_feed",
        "/slow.xml": "timeout",
        "/page.html": "not_a_feed",
        "/mixed.xml entry 1": "no_link",
        "/report.pdf": "not_html",
        "/missing": "http_404",
        "/private/15": "robots_disallowed",
    }
    details = {s.reason: s.detail for s in report.ingest.skipped}
    assert "application/pdf" in details["not_html"] and "kept" in details["http_404"] + details["timeout"]
    assert report.exit_code == 3
    index = NewsIndex.open(settings, embed_model=HashEmbedding())
    stored = index.records()
    # the two good articles survive their feed's 404; the broken feed's recovered entry, the undated
    # entry and entry 17 are new
    assert len(stored) == stored_before + 3
    no_date = index.get_article(feed_article_id(server.url("/story/10")))
    assert no_date is not None and no_date.published_at is None
    warned = [w for origin, w in report.ingest.warnings if origin.endswith("/story/10")]
    assert warned and "no publication date" in warned[0]


def test_entries_older_than_the_age_limit_are_not_read_and_old_articles_are_pruned(
    server: FeedServer, settings: IndexSettings
) -> None:
    items = [entry(n, server, date=NOW - timedelta(days=10 * n)) for n in (2, 4, 6)]  # 20, 40, 60 days old
    server.routes["/feed.xml"] = Route(rss("Wire", items), "application/rss+xml")
    feed = server.url("/feed.xml")
    assert refresh(settings, [feed], today=NOW.date()).ingest.stored == 3
    undated = dict(
        items[0], link=server.url("/undated"), content="<p>Undated story. It has no date at all.</p>"
    )
    del undated["date"]
    server.routes["/feed.xml"] = Route(rss("Wire", [*items, undated]), "application/rss+xml")

    report = refresh(settings, [feed], max_age=timedelta(days=45), today=NOW.date())
    assert (report.counts.too_old, report.ingest.pruned, report.ingest.stored) == (1, 1, 1)
    index = NewsIndex.open(settings, embed_model=HashEmbedding())
    assert set(index.records()) == {
        feed_article_id(server.url(p)) for p in ("/story/2", "/story/4", "/undated")
    }
    record = index.stats()["last_refresh"]
    assert record["feeds"] == [feed] and (record["stored"], record["unchanged"], record["pruned"]) == (
        1,
        2,
        1,
    )
    assert record["max_age_days"] == 45 and record["at"] >= datetime.now(UTC).date().isoformat()


def test_a_feed_file_and_a_list_of_feeds_are_read_from_disk(tmp_path: Path, settings: IndexSettings) -> None:
    feed_file = tmp_path / "wire.xml"
    feed_file.write_bytes(rss("Local Wire", [{"title": "Local", "link": "https://example.org/local",
                                              "date": NOW, "content": "<p>A local story. It is short.</p>"}]))  # fmt: skip
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# my feeds\nwire.xml\nhttps://example.org/rss  # remote\nmissing.xml\n", encoding="utf-8"
    )
    feeds, problems = expand_feeds([str(listing), "https://example.org/rss"])
    assert feeds == [str(feed_file), "https://example.org/rss"]
    assert [(p.origin, p.reason) for p in problems] == [(f"{listing}:4", "not_found")]

    report = refresh(settings, [str(feed_file)])
    assert report.ingest.stored == 1
    article = NewsIndex.open(settings, embed_model=HashEmbedding()).get_article(
        feed_article_id("https://example.org/local")
    )
    assert (
        article is not None
        and article.source == "Local Wire"
        and article.body == "A local story. It is short."
    )


def test_entry_html_becomes_paragraphs_without_markup() -> None:
    text = html_text("<p>First <b>bold</b> paragraph.</p><p>Second one &amp; more.</p><script>x()</script>")
    assert text == "First bold paragraph.\n\nSecond one & more."


def test_the_fetcher_paces_requests_per_host_and_honours_crawl_delay(server: FeedServer) -> None:
    server.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 5\n", "text/plain")
    server.routes["/a"] = Route(b"<html>a</html>")
    server.routes["/b"] = Route(b"<html>b</html>")
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    fetcher = PoliteFetcher("newsrag-test", host_interval_s=2.0, clock=lambda: now[0], sleep=sleep)
    fetcher.fetch(server.url("/a"))  # robots.txt, then /a 2 s later (the crawl delay is not known yet)
    fetcher.fetch(server.url("/a"))  # 5 s after the previous request, as robots.txt asks
    assert waits == [2.0, 5.0]
    other = PoliteFetcher("newsrag-test", host_interval_s=2.0, clock=lambda: now[0], sleep=sleep)
    other.fetch(server.url("/b"))  # another host key would not wait; this one reads robots.txt first
    assert waits == [2.0, 5.0, 2.0]


def test_age_and_interval_arguments_are_parsed_or_rejected_clearly() -> None:
    from index.refresh import parse_duration

    assert parse_duration("15m") == timedelta(minutes=15)
    assert parse_duration("30d") == timedelta(days=30)
    assert parse_duration("1.5h") == timedelta(minutes=90)
    with pytest.raises(ValueError, match="90s, 15m, 2h, 30d, 1w"):
        parse_duration("soon")


def test_watch_runs_refreshes_on_schedule_and_survives_a_failed_one() -> None:
    from index.refresh import Watcher

    now = [0.0]
    sleeps: list[float] = []
    calls: list[int] = []
    said: list[str] = []

    def refresh_once():
        calls.append(1)
        now[0] += 30.0  # each refresh takes 30 s
        if len(calls) == 2:
            raise RuntimeError("Another ingest is running")
        return SimpleNamespace(
            skipped=[], ingest=SimpleNamespace(skipped=[]), summary=lambda: "refresh: fine"
        )

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    done = Watcher(
        refresh_once, timedelta(minutes=15), clock=lambda: now[0], sleep=sleep, say=said.append
    ).run(times=3)
    assert len(calls) == 3 and len(done) == 2
    assert sleeps == [870.0, 870.0]
    assert any("refresh failed: RuntimeError" in line for line in said)


def test_cli_follows_a_feed_in_one_command_and_stats_shows_the_refresh(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import cli

    server.routes["/feed.xml"] = Route(
        rss("Example Wire", [entry(0, server), entry(2, server)]), "application/rss+xml"
    )
    index_dir = str(tmp_path / "idx")
    feed = server.url("/feed.xml")
    assert cli.main(["ingest", "--feed", feed, "--index", index_dir, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "1 feed(s), 2 stored, 0 unchanged, 0 skipped" in out
    assert cli.main(["stats", "--index", index_dir]) == 0
    out = capsys.readouterr().out
    assert "refreshed:" in out and "from 1 feed(s): 2 stored, 0 unchanged, 0 skipped" in out

    assert cli.main(["ingest", "some/path", "--feed", feed, "--index", index_dir]) == 2
    assert cli.main(["ingest", "--feed", feed, "--max-age", "soon", "--index", index_dir]) == 2
    assert cli.main(["watch", feed, "--every", "often", "--index", index_dir]) == 2
    assert "90s, 15m, 2h, 30d, 1w" in capsys.readouterr().err


def test_feed_state_survives_a_reload_and_forgets_entries_no_feed_lists(tmp_path: Path) -> None:
    from index.feed_state import EntryMemory, FeedMemory, FeedState

    state = FeedState(
        feeds={"https://example.org/rss": FeedMemory(etag='"e1"', title="Wire", entries=["a"])},
        entries={"a": EntryMemory("f1", "https://example.org/a", '"p1"'), "gone": EntryMemory("f2")},
    )
    state.save(tmp_path)
    again = FeedState.load(tmp_path)
    assert again.feeds == state.feeds and set(again.entries) == {"a"} and again.entries["a"].etag == '"p1"'
    (tmp_path / "feeds" / "state.json").write_text("{not json", encoding="utf-8")
    assert FeedState.load(tmp_path) == FeedState()  # unreadable: start over (refetch), never fail
