"""The Corpus panel: what the index holds, and what an upload did (all escaped)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from index.feed_state import describe_refresh
from ui.html import day, esc
from ui.uploads import Rejected

TOP_SOURCES = 5  # shown at once; the rest behind "all N sources"


def names_of(value: Any) -> list[str]:
    """Names from `stats()["sources"]` / `["languages"]` (a name -> count dict, or a list)."""
    if isinstance(value, dict):
        return sorted(str(k) for k in value if k)
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return sorted(str(v) for v in value if v)
    return []


def _date_range_text(value: Any) -> str:
    if isinstance(value, list | tuple) and len(value) == 2 and any(value):
        first, last = (day(str(v)) if v else "?" for v in value)
        return f"{first} – {last}"
    return "unknown"


def _sources_table(rows: Sequence[tuple[str, Any]]) -> str:
    body = "".join(f'<tr><td>{esc(name)}</td><td class="nr-num">{esc(n)}</td></tr>' for name, n in rows)
    return f'<table class="nr-source-table"><tbody>{body}</tbody></table>'


def _sources_html(raw: Any) -> str:
    """The biggest sources as a compact table, every source behind a "more" fold."""
    counts = raw if isinstance(raw, dict) else {}
    names = sorted(names_of(raw), key=lambda s: (-int(counts.get(s, 0) or 0), s.casefold()))
    if not names:
        return '<p class="nr-empty">No sources yet.</p>'
    rows = [(name, counts.get(name, "")) for name in names]
    html = _sources_table(rows[:TOP_SOURCES])
    if len(rows) > TOP_SOURCES:
        html += (
            f'<details class="nr-more"><summary>all {len(rows)} sources</summary>'
            f"{_sources_table(rows)}</details>"
        )
    return html


def _refresh_row(record: Any) -> str:
    """The last feed refresh and its counts (`stats()["last_refresh"]`); nothing when there was none."""
    if not isinstance(record, dict):
        return ""
    return f"<dt>Refreshed</dt><dd>{esc(describe_refresh(record))}</dd>"


def render_stats(stats: dict | None, problem: str = "") -> str:
    """The corpus status panel: counts, languages, date range, last feed refresh, then the sources."""
    if stats is None:
        return f'<div class="nr-status nr-warn">{esc(problem or "No index yet.")}</div>'
    sources = stats.get("sources") or {}
    languages = names_of(stats.get("languages", []))
    return (
        '<div class="nr-status"><dl>'
        f"<dt>Articles</dt><dd>{esc(stats.get('articles', 0))}</dd>"
        f"<dt>Chunks</dt><dd>{esc(stats.get('chunks', 0))}</dd>"
        f"<dt>Languages</dt><dd>{esc(', '.join(languages) or 'none')}</dd>"
        f"<dt>Published</dt><dd>{esc(_date_range_text(stats.get('date_range')))}</dd>"
        f"<dt>Sources</dt><dd>{len(names_of(sources))}</dd>"
        f"{_refresh_row(stats.get('last_refresh'))}"
        f"</dl>{_sources_html(sources)}</div>"
    )


def render_report(report: Any, rejected: Sequence[Rejected] = (), base: Path | None = None) -> str:
    """The upload outcome: what was rejected before ingest, then the `IngestReport`'s counts and skips
    (`read`, `stored`, `unchanged` counts and `skipped`, a list of `index.models.Skipped`)."""
    parts = []
    if rejected:
        items = "".join(f"<li><b>{esc(r.name)}</b>: {esc(r.reason)}</li>" for r in rejected)
        parts.append(f'<div class="nr-warn"><p>Rejected before indexing:</p><ul>{items}</ul></div>')
    if report is not None:
        skips = list(report.skipped)
        counts = (
            f"read {report.read} · stored {report.stored} · unchanged {report.unchanged} · "
            f"skipped {len(skips)}"
        )
        parts.append(f'<p class="nr-counts">{esc(counts)}</p>')
        if skips:
            rows = []
            for s in skips:
                origin = str(s.origin)
                if base is not None:
                    origin = origin.replace(str(base) + os.sep, "")
                rows.append(
                    f"<tr><td>{esc(origin)}</td><td>{esc(s.reason)}</td><td>{esc(s.detail)}</td></tr>"
                )
            parts.append(
                '<table class="nr-skips"><thead><tr><th>Item</th><th>Reason</th><th>Detail</th></tr>'
                f"</thead><tbody>{''.join(rows)}</tbody></table>"
            )
    return "".join(parts) or '<p class="nr-empty">Nothing to add.</p>'
