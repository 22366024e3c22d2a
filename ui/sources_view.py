"""The Sources panel: one card per passage the generator reads, shown as soon as retrieval is done,
then marked cited (with the quoted sentences highlighted) or not cited once the answer is checked.

Everything from articles is escaped before any tag is added: article text is untrusted.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.filter_hint import NO_MATCH
from rag.models import Answer, Citation, Filters, Passage, Sources
from rag.outlets import NO_OUTLET
from ui.html import day, esc, title_html

WORKING_HTML = '<p class="nr-empty">Searching the corpus…</p>'
EMPTY_SOURCES = '<p class="nr-empty">Ask a question: the passages its answer is read from appear here.</p>'
_BADGES = {"pending": "reading", "cited": "cited", "not-cited": "not cited"}


def highlight_quotes(context: str | None, quotes: Sequence[tuple[str, int | None]]) -> str:
    """`context` with each (quote, offset) in <mark>, every piece escaped before the tags go in; a
    quote not found in it is shown on its own."""
    if not context:
        return "".join(f"<mark>{esc(q)}</mark>" for q, _ in quotes)
    spans: list[tuple[int, int]] = []
    missing: list[str] = []
    for quote, offset in quotes:
        at = offset if offset is not None and quote and context[offset : offset + len(quote)] == quote else -1
        if at < 0:
            at = context.find(quote) if quote else -1
        if at < 0 or any(at < e and s < at + len(quote) for s, e in spans):
            missing += [quote] if at < 0 else []
            continue
        spans.append((at, at + len(quote)))
    out, pos = [], 0
    for s, e in sorted(spans):
        out += [esc(context[pos:s]), f"<mark>{esc(context[s:e])}</mark>"]
        pos = e
    out.append(esc(context[pos:]))
    return "".join(out) + "".join(f" <mark>{esc(q)}</mark>" for q in missing)


def highlight_quote(context: str | None, quote: str, offset: int | None = None) -> str:
    return highlight_quotes(context, [(quote, offset)])


def passage_for(citation: Citation, passages: Sequence[Passage]) -> Passage | None:
    """The chunk a citation quotes from: same chunk id, else a chunk of the article covering it."""
    for p in passages:
        if citation.chunk_id and p.chunk_id == citation.chunk_id:
            return p
    for p in passages:
        if p.article_id == citation.article_id and p.start <= citation.start and citation.end <= p.end:
            return p
    for p in passages:
        if p.article_id == citation.article_id and citation.quote and citation.quote in p.text:
            return p
    return None


def _card(passage: Passage | None, state: str, citations: Sequence[Citation] = ()) -> str:
    first = citations[0] if citations else None
    title = passage.title if passage else (first.title if first else "")
    url = passage.url if passage else (first.url if first else "")
    source = (passage.source if passage else first.source if first else "") or "unknown source"
    published = passage.published_at if passage else (first.published_at if first else None)
    numbers = "".join(f"[{int(c.n)}]" for c in citations)
    if citations:
        offsets = [(c.quote, c.start - passage.start if passage else None) for c in citations]
        body = highlight_quotes(passage.text if passage else None, offsets)
    else:
        body = esc(passage.text if passage else "")
    anchor = f' id="nr-cite-{int(first.n)}"' if first else ""
    return (
        f'<article class="nr-card nr-{state}"{anchor}><div class="nr-head">'
        + (f'<span class="nr-n">{numbers}</span> ' if numbers else "")
        + f'{title_html(title, url)} <span class="nr-badge">{_BADGES[state]}</span></div>'
        f'<div class="nr-meta">{esc(source)} · {esc(day(published))}</div>'
        f'<blockquote class="nr-passage">{body}</blockquote></article>'
    )


def filters_line(filters: Filters | None) -> str:
    if filters is None or filters.is_empty():
        return ""
    parts = []
    if filters.sources:
        parts.append("sources: " + ", ".join(filters.sources))
    if filters.languages:
        parts.append("languages: " + ", ".join(filters.languages))
    if filters.since:
        parts.append(f"since {filters.since.isoformat()}")
    if filters.until:
        parts.append(f"until {filters.until.isoformat()}")
    return f'<p class="nr-filters">Filtered by {esc("; ".join(parts))}</p>'


def dates_line(answer: Answer) -> str:
    """Which publication dates the question's time words made it search, as `newsrag ask` says it."""
    if answer.searched_dates is None:
        return ""
    return f'<p class="nr-dates">{esc(answer.searched_dates.describe())}</p>'


def _others(passages: Sequence[Passage], shown: set[str], notes: Sequence[str] = ()) -> str:
    """The retrieved passages without a card, with their scores, then how the answer was checked."""
    rows = [
        f'<li class="nr-uncited"><div class="nr-head"><span class="nr-score">{p.score:.3f}</span> '
        f"{title_html(p.title, p.url)}</div>"
        f'<div class="nr-meta">{esc(p.source or "unknown source")} · {esc(day(p.published_at))}</div>'
        f'<blockquote class="nr-passage">{esc(p.text)}</blockquote></li>'
        for p in passages
        if p.chunk_id not in shown
    ]
    html = (
        f'<ol class="nr-uncited-list">{"".join(rows)}</ol>'
        if rows
        else '<p class="nr-empty">No other passages were retrieved.</p>'
    )
    if notes:  # useful when the answer abstains or drops a citation
        items = "".join(f"<li>{esc(n)}</li>" for n in notes)
        html += f'<p class="nr-meta">Notes</p><ul class="nr-notes nr-meta">{items}</ul>'
    return html


def render_pending(sources: Sources, filters: Filters | None = None) -> tuple[str, str]:
    """The cards for the passages the generator is reading, before any answer text exists."""
    cards = "".join(_card(p, "pending") for p in sources.context)
    if not cards:
        cards = '<p class="nr-empty">No passage is relevant enough to answer from.</p>'
    panel = f'<div class="nr-sources">{filters_line(filters)}{cards}</div>'
    return panel, _others(sources.retrieved, {p.chunk_id for p in sources.context})


def render_sources(
    answer: Answer, filters: Filters | None = None, context: Sequence[Passage] = ()
) -> tuple[str, str]:
    """The final cards: the cited passages (in citation order, quotes marked), then the other passages
    the generator read, marked not cited; and the remaining retrieved passages with the notes."""
    pool = [*context, *answer.retrieved]
    by_chunk: dict[str, tuple[Passage | None, list[Citation]]] = {}
    for c in sorted(answer.citations, key=lambda c: c.n):
        passage = passage_for(c, pool)
        key = passage.chunk_id if passage else f"citation-{c.n}"
        by_chunk.setdefault(key, (passage, []))[1].append(c)
    cards = [_card(p, "cited", cs) for p, cs in by_chunk.values()]
    cards += [_card(p, "not-cited") for p in context if p.chunk_id not in by_chunk]
    hint = next((n for n in answer.notes if n.startswith((NO_MATCH, NO_OUTLET))), None)
    if hint:
        cards.append(f'<p class="nr-warn nr-filter-hint">{esc(hint)}</p>')
    elif not answer.citations:
        cards.append(
            '<p class="nr-empty">No passage in the corpus answers this question.</p>'
            if answer.abstained
            else '<p class="nr-empty">This answer cites no passage.</p>'
        )
    timings = " · ".join(f"{esc(k)} {v / 1000:.1f} s" for k, v in answer.timings_ms.items())
    panel = (
        f'<div class="nr-sources">{filters_line(filters)}{dates_line(answer)}{"".join(cards)}'
        + (f'<p class="nr-timings">{timings}</p>' if timings else "")
        + "</div>"
    )
    shown = set(by_chunk) | {p.chunk_id for p in context}
    return panel, _others(answer.retrieved, shown, answer.notes)
