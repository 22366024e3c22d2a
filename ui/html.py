"""Escaping and the small HTML pieces every view uses: article text and metadata are untrusted."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any


def esc(text: Any) -> str:
    """`text` as HTML text and attribute content (quotes escaped too)."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links become clickable: `javascript:` and friends in article metadata are not."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s\"'<>]+$", url, re.IGNORECASE) else None


def day(published_at: str | None) -> str:
    """The publication day of an ISO timestamp, or a readable placeholder."""
    if not published_at:
        return "date unknown"
    try:
        return datetime.fromisoformat(published_at).date().isoformat()
    except ValueError:
        return published_at[:32]


def title_html(title: str, url: str | None) -> str:
    """The article title, a link only when its URL is a plain http(s) one."""
    title = title.strip() or "(untitled)"
    link = safe_url(url)
    if link:
        return f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer">{esc(title)}</a>'
    return f"<span>{esc(title)}</span>"
