"""Chrome removal, metadata recovery from scraped text pages, and language codes."""

from __future__ import annotations

import pytest

from index.cleaning import (
    clean_body,
    is_nav_line,
    normalize_text,
    parse_published,
    parse_text_page,
    strip_credits,
    timezone_for_source,
)
from index.language import detect_language, normalize_language


@pytest.mark.parametrize(
    "line",
    [
        "US EUROPE AFRICA ASIA 中文",
        "Business / Technology",
        "Home > World > Asia",
        "Hot Topics",
        "Editor's Picks",
    ],
)
def test_navigation_lines(line: str) -> None:
    assert is_nav_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Ma Si contributed to this story.",
        "Alibaba plans to set up more data centers in overseas",
        "The UN said the US and EU would meet.",
    ],
)
def test_article_lines_are_not_navigation(line: str) -> None:
    assert not is_nav_line(line)


def test_strip_credits_keeps_the_caption() -> None:
    assert strip_credits("Workers at the site in Beijing. [Photo/IC]") == "Workers at the site in Beijing."
    assert strip_credits("A crowd gathers (Photo: Reuters)") == "A crowd gathers"
    assert strip_credits("Nothing to strip [1] here.") == "Nothing to strip [1] here."


def test_clean_body_drops_chrome_lines_and_trailing_link_lists() -> None:
    body = (
        "The council approved the bridge on Monday.\r\n\r\n\r\nAdvertisement\n"
        "Work starts in May.   \nRelated stories\nBridge closed for repairs\nLocal team wins cup\n"
    )
    assert clean_body(body) == "The council approved the bridge on Monday.\n\nWork starts in May."


def test_clean_body_keeps_a_list_that_opens_the_article() -> None:
    # A trailing heading only cuts once the article has begun.
    body = "Related\nThe council approved the bridge on Monday after a two-year debate over its cost."
    assert "approved the bridge" in clean_body(body)


def test_normalize_text() -> None:
    assert normalize_text("\ufeffa  \r\nb\x07\n\n\n\nc ") == "a\nb\n\nc"


def test_parse_text_page_with_a_byline_dateline() -> None:
    page = (
        "NEWS SPORT WEATHER\nHome > World > Europe\n\nFloods force thousands from homes\n\n"
        "By Jane Doe | The Guardian | 5 March 2021 10:00\n\n"
        "Floods forced thousands of people from their homes on Thursday, officials said.\n\n"
        "Rescue teams used boats to reach villages cut off by the water. (Photo: AP)\n\n"
        "Most Popular\nLocal team wins cup\n"
    )
    parsed = parse_text_page(page)
    assert parsed.title == "Floods force thousands from homes"
    assert parsed.source == "The Guardian"
    assert parsed.published_at == "2021-03-05T10:00:00+00:00"
    assert parsed.body == (
        "Floods forced thousands of people from their homes on Thursday, officials said.\n\n"
        "Rescue teams used boats to reach villages cut off by the water."
    )


def test_parse_text_page_without_a_dateline_says_so() -> None:
    parsed = parse_text_page("Floods force thousands from homes\n\nFloods forced thousands from their homes.")
    assert parsed.title == "Floods force thousands from homes"
    assert parsed.published_at is None
    assert parsed.body == "Floods forced thousands from their homes."
    assert any("no dateline" in w for w in parsed.warnings)


def test_page_of_only_chrome_has_an_empty_body() -> None:
    parsed = parse_text_page("US EUROPE AFRICA ASIA\nBusiness / Technology\nHot Topics\nEditor's Picks\n...")
    assert parsed.body == ""


def test_source_timezones_and_published_parsing() -> None:
    assert timezone_for_source("China Daily") == "Asia/Shanghai"
    assert timezone_for_source("The Straits Times") == "Asia/Singapore"
    assert timezone_for_source("Some Blog") is None
    assert parse_published("2015-07-23 08:26", "China Daily") == "2015-07-23T08:26:00+08:00"
    assert parse_published("2015-07-23 08:26", "Some Blog") == "2015-07-23T08:26:00"
    assert parse_published("July 23, 2015") == "2015-07-23"
    assert parse_published("2015年7月23日 08:26", "新华社") == "2015-07-23T08:26:00+08:00"
    assert parse_published("no date here") is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh-Hans", "zh"),
        ("zh-CN", "zh"),
        ("zh_TW", "zh"),
        ("EN", "en"),
        ("en-US", "en"),
        ("cmn", "zh"),
        ("", ""),
    ],
)
def test_normalize_language(code: str, expected: str) -> None:
    assert normalize_language(code) == expected


def test_detect_language() -> None:
    assert detect_language("美国国务院的一位发言人星期四在回复美国之音问询时发表声明。") == "zh"
    assert detect_language("The city council approved a new bridge on Monday after a long debate.") == "en"
    assert detect_language("東京で新しい橋が開通しました。多くの人が訪れています。") == "ja"
    assert (
        detect_language("Der Bundestag hat am Montag ein neues Gesetz beschlossen, das Mieten begrenzt.")
        == "de"
    )
    assert detect_language("") == "en"
