"""Turn scraped news text into an article body: drop page chrome, keep the article's sentences verbatim.

Scraped pages carry navigation ("US EUROPE AFRICA ASIA 中文"), breadcrumbs ("Business / Technology"),
photo credits ("[Photo/IC]") and trailing link lists ("Hot Topics", "Editor's Picks"). The rules here
are line-level heuristics that hold across sites: short lines without sentence punctuation in the page
header/footer, a list of known chrome headings, and credit patterns. Sentences are never rewritten;
only whole lines and credit markers are removed. `parse_text_page` also recovers the title, source and
publication time that such pages print near the top ("(China Daily) Updated: 2015-07-23 08:26").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from index.calendar import MONTH_PATTERN

# Headings after which a page holds only link lists, never the article: cut from there to the end.
TRAILING_HEADINGS = frozenset(
    {
        "hot topics", "editor's picks", "editors' picks", "editor's choice", "related stories",
        "related articles", "related news", "related content", "related links", "related coverage", "related",
        "most viewed", "most popular", "most read", "most shared", "most commented", "trending",
        "trending now", "trending stories", "recommended", "recommended for you", "you may also like",
        "you might also like", "more stories", "more news", "more from this section", "latest news",
        "latest stories", "top stories", "top news", "in other news", "what to read next", "read next",
        "comments", "leave a comment", "view comments",
        "相关新闻", "相关阅读", "相关文章", "热点新闻", "热门新闻", "热门推荐", "编辑推荐", "推荐阅读", "延伸阅读",
        "猜你喜欢", "最新新闻",
    }
)  # fmt: skip
# Single lines of page furniture, dropped wherever they appear.
CHROME_LINES = frozenset(
    {
        "advertisement", "advertisements", "sponsored", "sponsored content", "share", "share this",
        "share this article", "share this story", "share on facebook", "share on twitter", "tweet", "email",
        "print", "print this", "print this article", "click here", "read more", "read full story",
        "continue reading", "subscribe", "subscribe now", "sign up", "sign in", "log in", "login", "register",
        "menu", "search", "home", "back to top", "top", "skip to content", "skip to main content", "close",
        "more", "next", "previous", "prev", "loading", "loading...", "...", "…", "comments", "0 comments",
        "follow us", "listen", "listen to this article", "watch", "play video", "video", "photos", "photo",
        "gallery",
        "分享", "打印", "返回顶部", "广告", "更多", "关闭", "评论",
    }
)  # fmt: skip
_CREDIT_INLINE = re.compile(
    r"\s*(?:\[(?:Photos?|Images?|Video|Graphic|Pictures?|Infographic|图|图片|摄)(?:\s*/\s*[^\]\n]{0,60})?\]"
    r"|[(（](?:Photos?|Images?|Pictures?|图片?|摄影?)\s*[:：/]\s*[^)）\n]{1,80}[)）])"
)
_CREDIT_LINE = re.compile(
    r"^(?:Photos?|Images?|Pictures?|Credit|Photo credit|Image credit|图片来源|图片|摄影)\s*[:：/]\s*\S.{0,80}$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?。！？\"'”’»)）]$")
_BREADCRUMB_SEP = re.compile(r"\s+(?:/|>|»|›|\|)\s+")
_WORD = re.compile(r"\S+")

# A dateline: where scraped pages print source and time. The date forms dateparser is then given.
_MON = rf"(?:{MONTH_PATTERN})\.?"
_TIME = r"(?:[ T,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)"
_TZ = r"(?:\s*(?:UTC|GMT|BST|CET|CEST|EST|EDT|CDT|PST|PDT|MDT|HKT|SGT|JST|KST|AEST|AEDT|BJT|[+-]\d{2}:?\d{2}|Z)\b)"
_DATE_IN_LINE = re.compile(
    rf"(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}{_TIME}?|\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}?|\d{{1,2}}\s+{_MON},?\s+\d{{4}}{_TIME}?){_TZ}?",
    re.I,
)
_DATELINE_LABEL = re.compile(
    r"\b(?:Updated|Published|Posted|Last updated|Date|Released|Modified)\b\s*[:：]?|(?:发布时间|更新时间|发布日期|时间)\s*[:：]?",
    re.I,
)
_PAREN_SOURCE = re.compile(r"^[(（]\s*([^()（）]{2,60}?)\s*[)）]")
_SOURCE_LABEL = re.compile(
    r"(?:\bSource|来源|出处)\s*[:：]\s*([^|│·•\n]{2,60}?)(?=\s*(?:[|│·•]|\s{2,}|$|\b(?:Updated|Published|Posted)\b|发布时间|更新时间))",
    re.I,
)
_BYLINE = re.compile(r"^\s*(?:By|作者|记者)\b", re.I)

# Where a source prints local time without an offset, the zone it means. Extend as sources are added.
SOURCE_TIMEZONES = {
    "china daily": "Asia/Shanghai",
    "chinadaily": "Asia/Shanghai",
    "xinhua": "Asia/Shanghai",
    "global times": "Asia/Shanghai",
    "people's daily": "Asia/Shanghai",
    "cgtn": "Asia/Shanghai",
    "caixin": "Asia/Shanghai",
    "south china morning post": "Asia/Hong_Kong",
    "scmp": "Asia/Hong_Kong",
    "rthk": "Asia/Hong_Kong",
    "taipei times": "Asia/Taipei",
    "focus taiwan": "Asia/Taipei",
    "straits times": "Asia/Singapore",
    "channel newsasia": "Asia/Singapore",
    "japan times": "Asia/Tokyo",
    "nhk": "Asia/Tokyo",
    "kyodo news": "Asia/Tokyo",
    "korea herald": "Asia/Seoul",
    "korea times": "Asia/Seoul",
    "yonhap": "Asia/Seoul",
    "times of india": "Asia/Kolkata",
    "hindu": "Asia/Kolkata",
    "bbc": "Europe/London",
    "bbc news": "Europe/London",
    "guardian": "Europe/London",
    "independent": "Europe/London",
    "telegraph": "Europe/London",
    "new york times": "America/New_York",
    "washington post": "America/New_York",
    "wall street journal": "America/New_York",
    "voice of america": "America/New_York",
    "voa": "America/New_York",
    "npr": "America/New_York",
    "los angeles times": "America/Los_Angeles",
    "age": "Australia/Melbourne",
    "sydney morning herald": "Australia/Sydney",
    "新华社": "Asia/Shanghai",
    "新华网": "Asia/Shanghai",
    "中国日报": "Asia/Shanghai",
    "人民日报": "Asia/Shanghai",
    "人民网": "Asia/Shanghai",
    "环球时报": "Asia/Shanghai",
    "中国新闻网": "Asia/Shanghai",
    "中新网": "Asia/Shanghai",
    "央视新闻": "Asia/Shanghai",
    "澎湃新闻": "Asia/Shanghai",
    "财新": "Asia/Shanghai",
    "明报": "Asia/Hong_Kong",
    "星岛日报": "Asia/Hong_Kong",
    "中央社": "Asia/Taipei",
    "联合早报": "Asia/Singapore",
    "美国之音": "America/New_York",
}


@dataclass(frozen=True)
class TextPage:
    """What a scraped plain-text page yields: the article body and the metadata printed around it."""

    body: str
    title: str = ""
    source: str = ""
    published_at: str | None = None
    warnings: tuple[str, ...] = field(default=())


def normalize_text(text: str) -> str:
    """Unix newlines, no trailing spaces, no control characters, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _key(line: str) -> str:
    return " ".join(line.strip().lower().replace("’", "'").rstrip(":：").split())


def is_chrome_line(line: str) -> bool:
    """A line that is page furniture wherever it stands: a known label, a bare credit, or punctuation."""
    key = _key(line)
    return bool(key) and (
        key in CHROME_LINES or bool(_CREDIT_LINE.match(line.strip())) or not any(ch.isalnum() for ch in key)
    )


def is_trailing_heading(line: str) -> bool:
    """A heading after which the page holds only link lists ("Hot Topics", "Editor's Picks")."""
    key = _key(line).strip("=#* ")
    return key in TRAILING_HEADINGS


def is_nav_line(line: str) -> bool:
    """A short line of navigation: a menu of capitalised sections or a breadcrumb trail.

    Only applied in a page's header and footer, where article sentences do not stand.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 100 or _SENTENCE_END.search(stripped):
        return False
    if is_chrome_line(stripped) or is_trailing_heading(stripped):
        return True
    parts = _BREADCRUMB_SEP.split(stripped)
    if len(parts) >= 2 and all(0 < len(p.split()) <= 4 for p in parts):
        return True
    words = _WORD.findall(stripped)
    latin = [w for w in words if re.search(r"[A-Za-z]", w)]
    return (
        len(words) >= 3 and bool(latin) and all(w.isupper() or not re.search(r"[A-Za-z]", w) for w in words)
    )


def strip_credits(line: str) -> str:
    """Remove photo credits ("[Photo/IC]", "(Photo: Reuters)") from a line, keeping the rest as is."""
    return _CREDIT_INLINE.sub("", line).rstrip()


def clean_body(text: str) -> str:
    """Conservative cleaning for bodies that come from an export (JSON) or a boilerplate remover (HTML).

    Whitespace is normalised, lines that are only chrome are dropped, and a trailing chrome section
    ("Related stories" and what follows) is cut once the article has begun. Sentences stay verbatim.
    """
    lines = normalize_text(text).split("\n")
    kept: list[str] = []
    seen_content = False
    for line in lines:
        if seen_content and is_trailing_heading(line):
            break
        if line.strip() and is_chrome_line(line):
            continue
        kept.append(line)
        seen_content = seen_content or _is_prose(line)
    return normalize_text("\n".join(kept))


def has_prose(text: str) -> bool:
    """Whether any line of `text` reads like article text rather than a menu or a label."""
    return any(_is_prose(line) for line in text.split("\n"))


def _is_prose(line: str) -> bool:
    """A line that reads like article text: a sentence, or long enough that it is no menu."""
    stripped = line.strip()
    if not stripped:
        return False
    return bool(_SENTENCE_END.search(stripped)) or len(_WORD.findall(stripped)) >= 12 or len(stripped) >= 60


def parse_text_page(text: str) -> TextPage:
    """Split a scraped plain-text page into metadata and a clean body.

    The dateline (a short line near the top holding a date, often with the source and "Updated:") marks
    where the article starts; the title is the last headline-like line above it (and is dropped where the
    page repeats it below). Header navigation, credits and trailing link lists are removed.
    """
    lines = normalize_text(text).split("\n")
    warnings: list[str] = []
    dateline_index, date_match = _find_dateline(lines)

    title = ""
    source = ""
    published_at: str | None = None
    if dateline_index is not None and date_match is not None:
        dateline = lines[dateline_index]
        source = _source_from_dateline(dateline, date_match)
        published_at = parse_published(date_match.group(0), source)
        if published_at is None:
            warnings.append(f"could not parse the publication date {date_match.group(0)!r}")
        title = _title_before(lines, dateline_index)
        body_lines = lines[dateline_index + 1 :]
    else:
        title_index = _first_title_index(lines)
        if title_index is not None:
            title = lines[title_index].strip()
            body_lines = lines[title_index + 1 :]
        else:
            body_lines = lines
        warnings.append("no dateline with a publication date found in the page")

    body = _clean_page_lines(body_lines, title)
    if not has_prose(body):
        body = ""  # only menus and labels were left: the page held no article
    return TextPage(
        body=body, title=title, source=source, published_at=published_at, warnings=tuple(warnings)
    )


def _find_dateline(lines: list[str]) -> tuple[int | None, re.Match[str] | None]:
    """The first short line among the first 25 non-empty ones that carries a full date."""
    seen = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > 25:
            break
        if len(stripped) > 160:
            continue
        match = _DATE_IN_LINE.search(stripped)
        if match is None:
            continue
        labelled = bool(_DATELINE_LABEL.search(stripped) or _PAREN_SOURCE.match(stripped))
        if labelled or len(_WORD.findall(stripped)) <= 12:
            return index, match
    return None, None


def _source_from_dateline(line: str, date_match: re.Match[str]) -> str:
    stripped = line.strip()
    m = _PAREN_SOURCE.match(stripped) or _SOURCE_LABEL.search(stripped)
    if m:
        return m.group(1).strip()
    # "Reuters | 23 July 2015 08:26": a segment that is neither the date, a byline nor a label.
    for segment in re.split(r"\s*[|│·•]\s*", stripped.replace(date_match.group(0), "")):
        segment = _DATELINE_LABEL.sub("", segment).strip(" -–—:：,")
        if (
            segment
            and not _BYLINE.match(segment)
            and len(segment.split()) <= 6
            and not re.search(r"\d", segment)
        ):
            return segment
    return ""


def timezone_for_source(source: str) -> str | None:
    """The IANA zone a source's printed local times are in, from `SOURCE_TIMEZONES`; None if unknown."""
    key = _key(source)
    key = re.sub(r"^the\s+", "", key)
    return SOURCE_TIMEZONES.get(key)


def parse_published(date_text: str, source: str = "") -> str | None:
    """ISO 8601 for a printed date: with the source's offset when it prints local time, date-only when
    the page gives no time of day. None when dateparser cannot read it."""
    import dateparser  # lazy: ~0.2 s import, only needed for scraped pages

    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", date_text))
    tz = timezone_for_source(source)
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}
    if re.match(r"\d{4}", date_text.strip()):
        settings["DATE_ORDER"] = "YMD"
    if tz and has_time:
        settings.update({"TIMEZONE": tz, "RETURN_AS_TIMEZONE_AWARE": True})
    languages = ["zh"] if re.search(r"[年月日]", date_text) else ["en"]
    parsed: datetime | None = dateparser.parse(date_text, languages=languages, settings=settings)
    if parsed is None:
        return None
    if not has_time:
        return parsed.date().isoformat()
    return parsed.replace(microsecond=0).isoformat()


def _title_before(lines: list[str], dateline_index: int) -> str:
    for line in reversed(lines[:dateline_index]):
        stripped = line.strip()
        if stripped and _looks_like_title(stripped):
            return stripped
    return ""


def _first_title_index(lines: list[str]) -> int | None:
    for index, line in enumerate(lines[:30]):
        stripped = line.strip()
        if stripped and _looks_like_title(stripped):
            return index
    return None


def _looks_like_title(line: str) -> bool:
    if is_nav_line(line) or len(line) > 200 or len(line) < 8:
        return False
    return not line.endswith((".", "。")) or len(_WORD.findall(line)) <= 20


def _clean_page_lines(lines: list[str], title: str) -> str:
    title_key = _key(title)
    kept: list[str] = []
    seen_content = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        if seen_content and is_trailing_heading(stripped):
            break
        if title_key and _key(stripped) == title_key:
            continue
        if is_chrome_line(stripped) or (not seen_content and is_nav_line(stripped)):
            continue
        cleaned = strip_credits(line)
        if not cleaned.strip():
            continue
        kept.append(cleaned)
        seen_content = seen_content or _is_prose(cleaned)
    # Footer: navigation lines after the last sentence of the article.
    while kept and (not kept[-1].strip() or is_nav_line(kept[-1])):
        kept.pop()
    return normalize_text("\n".join(kept))
