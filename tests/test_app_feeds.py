"""The UI keeping up with the news: the corpus panel shows the last feed refresh, and the "As of"
box sets the day that "last week" in a question is resolved against."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from app_fakes import STATS, FakeAssistant, aliyun_answer, make_ui

from index.feed_state import last_refresh, record_refresh
from index.pipeline import IngestReport
from rag.models import SearchedDates
from ui.corpus_view import render_stats
from ui.inputs import NOTICE, UserFacingError, to_as_of
from ui.layout import build_ui
from ui.sources_view import render_sources

QUESTION = "What did Aliyun announce last week?"
REFRESH = {  # the shape of index.refresh.FeedRefresh.record()
    "at": "2024-05-14T09:30:00+00:00",
    "feeds": ["https://example.org/a.xml", "https://example.org/b.xml"],
    "stored": 12,
    "unchanged": 30,
    "skipped": 2,
}

# --------------------------------------------------------------------------- the corpus panel


def test_the_corpus_panel_shows_the_recorded_refresh_and_nothing_without_one(tmp_path):
    assert "Refreshed" not in render_stats({**STATS, "last_refresh": last_refresh(tmp_path)})
    record_refresh(tmp_path, {**REFRESH, "at": "2024-05-13T09:30:00+00:00", "stored": 99})
    record_refresh(tmp_path, REFRESH)
    html = render_stats({**STATS, "last_refresh": last_refresh(tmp_path)})
    assert "<dt>Refreshed</dt>" in html
    assert "2024-05-14T09:30:00+00:00 from 2 feed(s): 12 stored, 30 unchanged, 2 skipped" in html
    assert "99 stored" not in html  # the latest refresh, not an older one


def test_the_page_load_renders_the_refresh_from_the_index_stats(tmp_path):
    record_refresh(tmp_path, REFRESH)
    ui = build_ui(
        assistant_factory=FakeAssistant,
        ingest_fn=lambda paths: IngestReport(),
        stats_fn=lambda: {**STATS, "last_refresh": last_refresh(tmp_path)},
        uploads_dir=tmp_path / "uploads",
        start_loading=False,
    )
    status_html, *_ = ui.handlers.corpus_view()
    assert "from 2 feed(s): 12 stored" in status_html


def test_a_refresh_record_from_the_log_is_escaped(tmp_path):
    record_refresh(tmp_path, {**REFRESH, "at": "<script>x</script>"})
    html = render_stats({**STATS, "last_refresh": last_refresh(tmp_path)})
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


# --------------------------------------------------------------------------- the "As of" box


def test_as_of_parses_like_the_filter_dates():
    assert to_as_of("2024-05-14") == to_as_of("2024-05-14 00:00:00") == date(2024, 5, 14)
    assert to_as_of("") is None and to_as_of(None) is None
    with pytest.raises(UserFacingError, match="'As of' must be a date like 2016-01-01"):
        to_as_of("14/05/2024")


def test_the_as_of_day_reaches_the_assistant_and_empty_means_today(tmp_path):
    fake = FakeAssistant()
    ui = make_ui(tmp_path, assistant_factory=lambda: fake)
    list(ui.handlers.answer(QUESTION, [], [], [], None, None, "2024-05-14"))
    assert fake.as_of_seen[-1] == date(2024, 5, 14)
    list(ui.handlers.answer(QUESTION, [], [], [], None, None, ""))
    assert fake.as_of_seen[-1] is None  # not passed: the assistant takes today, as `newsrag ask` does
    *_, (_, history, *_) = ui.handlers.respond(QUESTION, [], [], [], None, None, "2024-05-01")
    assert fake.as_of_seen[-1] == date(2024, 5, 1) and history[-1]["content"].endswith("[1].")
    ui.handlers.ask(QUESTION, as_of="2024-04-30")
    assert fake.as_of_seen[-1] == date(2024, 4, 30)


def test_a_bad_as_of_gives_a_message_not_a_crash(tmp_path):
    fake = FakeAssistant()
    ui = make_ui(tmp_path, assistant_factory=lambda: fake)
    ((text, *_),) = ui.handlers.answer(QUESTION, [], [], [], None, None, "next tuesday")
    assert text.startswith(NOTICE) and "'As of' must be a date like 2016-01-01" in text
    assert "next tuesday" in text and fake.as_of_seen == []  # the assistant was never asked


def test_the_dates_the_question_searched_are_shown_with_the_sources(tmp_path):
    searched = SearchedDates(
        as_of=date(2024, 5, 14), phrases=("last week",), since=date(2024, 5, 6), until=date(2024, 5, 12)
    )
    fake = FakeAssistant(searched=searched)
    ui = make_ui(tmp_path, assistant_factory=lambda: fake)
    *_, (text, cited, _) = ui.handlers.answer(QUESTION, [], [], [], None, None, "2024-05-14")
    assert text.endswith("[1].")
    assert '<p class="nr-dates">Searched articles published 2024-05-06 to 2024-05-12 (' in cited
    assert "last week&quot;, as of 2024-05-14)." in cited  # escaped like everything else
    plain, _ = render_sources(aliyun_answer())
    assert "nr-dates" not in plain  # no time words, no line


def test_the_ask_api_returns_the_searched_dates(tmp_path: Path):
    searched = SearchedDates(as_of=date(2024, 5, 14), phrases=("latest",), recency=True)
    ui = make_ui(tmp_path, assistant_factory=lambda: FakeAssistant(searched=searched))
    result = ui.handlers.ask(QUESTION, as_of="2024-05-14")
    assert result["searched_dates"]["as_of"] == "2024-05-14" and result["searched_dates"]["recency"]
