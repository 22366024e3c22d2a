"""Cut an Article into Chunks that fit the embedding model, on sentence boundaries, offsets exact.

A plain component rather than a llama-index NodeParser: its input is our Article with resolved dates
(a NodeParser sees flat-metadata Documents) and its output must keep exact body offsets, which
llama-index's SentenceSplitter loses when it re-joins splits (and its sentence rules are English-only).

Sizes are counted with the embedding model's own tokenizer on what is really embedded: the article
title, a blank line, then the chunk's annotated text (dates written beside their expressions). A chunk
holds at most `max_tokens` tokens of annotated text and, for a model with a window, the whole embedded
text fits the window (MiniLM truncates silently at 256 word-pieces). Consecutive chunks share
`overlap_sentences` sentences; a sentence too long for one chunk is split at word (or, for CJK, character)
boundaries, which are token boundaries for every tokenizer used here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from index.cjk import UNSPACED
from index.models import Article, Chunk, ResolvedDate
from index.sentences import sentence_spans

# 2: a dotted abbreviation the sentence goes on after in lower case ("D.C. for the rally", "[...] we")
# no longer ends a sentence (`index.sentences`), so some chunks are cut at other sentences.
CHUNKER_VERSION = "2"
# Headlines are short; a scraped "title" that is really a paragraph must not eat the window.
TITLE_MAX_CHARS = 150
# Never let a long title squeeze the chunk body below this many tokens.
MIN_BODY_TOKENS = 32

# One atom = one CJK character (they carry no spaces) or one run of other non-space characters,
# each with its trailing whitespace.
_ATOM = re.compile(rf"[{UNSPACED}]\s*|[^\s{UNSPACED}]+\s*|\s+")


class TokenCounter(Protocol):
    """What the chunker needs from an embedding model (see index.embedding.NewsEmbedding)."""

    max_tokens: int | None

    def count_tokens(self, text: str) -> int: ...


def embedding_text(title: str, annotated_text: str) -> str:
    """The text that is embedded for a chunk: its article's title, a blank line, the annotated text."""
    title = " ".join(title.split())[:TITLE_MAX_CHARS]
    return f"{title}\n\n{annotated_text}" if title else annotated_text


def annotate(body: str, dates: Sequence[ResolvedDate], start: int, end: int) -> str:
    """`body[start:end]` with each resolved date inside the span written after its expression.

    "in March" -> "in March [2015-03]"; an expression that already is its resolution is left alone.
    """
    out: list[str] = []
    pos = start
    for d in sorted(dates, key=lambda d: (d.start, d.end)):
        if d.start < pos or d.end > end or d.start < start:
            continue
        out.append(body[pos : d.end])
        if body[d.start : d.end].strip() != d.resolved:
            out.append(f" [{d.resolved}]")
        pos = d.end
    out.append(body[pos:end])
    return "".join(out)


def dates_json(dates: Sequence[ResolvedDate]) -> str:
    """ResolvedDates as compact JSON for Chroma metadata (flat values only)."""
    return json.dumps(
        [{"start": d.start, "end": d.end, "text": d.text, "resolved": d.resolved} for d in dates],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def dates_from_json(raw: str) -> tuple[ResolvedDate, ...]:
    if not raw:
        return ()
    return tuple(ResolvedDate(**item) for item in json.loads(raw))


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    tokens: int  # tokens of its annotated text, specials excluded


class Chunker:
    """Sentence-packing chunker sized by an embedding model's tokenizer; one public method, `chunk`."""

    def __init__(self, counter: TokenCounter, max_tokens: int = 160, overlap_sentences: int = 1) -> None:
        if max_tokens < 8:
            raise ValueError(f"chunk max_tokens must be at least 8, got {max_tokens}")
        self._counter = counter
        self._max_tokens = max_tokens
        self._overlap = max(0, overlap_sentences)
        self._specials = counter.count_tokens("")

    @property
    def config_key(self) -> str:
        """Changes whenever the same article would be cut differently (drives re-ingest)."""
        window = self._counter.max_tokens
        return f"v{CHUNKER_VERSION}:{self._max_tokens}:{self._overlap}:{window}"

    def chunk(self, article: Article) -> list[Chunk]:
        """The article's chunks in order; `chunk.text == article.body[chunk.start:chunk.end]`."""
        body = article.body
        dates = tuple(sorted(article.dates, key=lambda d: (d.start, d.end)))
        budget = self._body_budget(article.title)
        pieces: list[_Piece] = []
        for start, end in sentence_spans(body):
            pieces.extend(self._pieces(body, dates, start, end, budget))
        chunks: list[Chunk] = []
        for first, last in self._pack(body, dates, article.title, pieces, budget):
            start, end = pieces[first].start, pieces[last].end
            chunks.append(self._make_chunk(article, dates, len(chunks), start, end))
        return chunks

    # -- sizing -----------------------------------------------------------------------------------
    def _content_tokens(self, text: str) -> int:
        return max(0, self._counter.count_tokens(text) - self._specials)

    def _body_budget(self, title: str) -> int:
        window = self._counter.max_tokens
        if window is None:
            return self._max_tokens
        title_tokens = self._counter.count_tokens(embedding_text(title, ""))
        return max(MIN_BODY_TOKENS, min(self._max_tokens, window - title_tokens - 1))

    def _fits(self, body: str, dates: tuple[ResolvedDate, ...], title: str, start: int, end: int) -> bool:
        """The exact check, by the real tokenizer on the real text: body budget and model window."""
        annotated = annotate(body, dates, start, end)
        if self._content_tokens(annotated) > self._max_tokens:
            return False
        window = self._counter.max_tokens
        return window is None or self._counter.count_tokens(embedding_text(title, annotated)) <= window

    # -- sentences -> pieces ----------------------------------------------------------------------
    def _pieces(
        self, body: str, dates: tuple[ResolvedDate, ...], start: int, end: int, budget: int
    ) -> list[_Piece]:
        tokens = self._content_tokens(annotate(body, dates, start, end))
        if tokens <= budget:
            return [_Piece(start, end, tokens)]
        return self._split_long(body, dates, start, end, budget)

    def _split_long(
        self, body: str, dates: tuple[ResolvedDate, ...], start: int, end: int, budget: int
    ) -> list[_Piece]:
        """Split one over-long sentence into the fewest pieces that fit, at atom boundaries."""
        bounds = [m.start() for m in _ATOM.finditer(body, start, end)] + [end]
        pieces: list[_Piece] = []
        i = 0
        while i < len(bounds) - 1:
            # Largest j with atoms i..j-1 fitting (binary search; token counts grow with length).
            lo, hi = i + 1, len(bounds) - 1
            if self._span_tokens(body, dates, bounds[i], bounds[lo]) > budget:
                # A single atom over budget (a URL, a run of symbols): cut it by characters.
                pieces.extend(self._split_chars(body, dates, bounds[i], bounds[i + 1], budget))
                i += 1
                continue
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if self._span_tokens(body, dates, bounds[i], bounds[mid]) <= budget:
                    lo = mid
                else:
                    hi = mid - 1
            piece = self._trimmed(body, dates, bounds[i], bounds[lo])
            if piece is not None:
                pieces.append(piece)
            i = lo
        return pieces

    def _split_chars(
        self, body: str, dates: tuple[ResolvedDate, ...], start: int, end: int, budget: int
    ) -> list[_Piece]:
        pieces: list[_Piece] = []
        while start < end:
            lo, hi = start + 1, end
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if self._span_tokens(body, dates, start, mid) <= budget:
                    lo = mid
                else:
                    hi = mid - 1
            piece = self._trimmed(body, dates, start, lo)
            if piece is not None:
                pieces.append(piece)
            start = lo
        return pieces

    def _span_tokens(self, body: str, dates: tuple[ResolvedDate, ...], start: int, end: int) -> int:
        return self._content_tokens(annotate(body, dates, start, end).rstrip())

    def _trimmed(self, body: str, dates: tuple[ResolvedDate, ...], start: int, end: int) -> _Piece | None:
        while end > start and body[end - 1].isspace():
            end -= 1
        while start < end and body[start].isspace():
            start += 1
        if end <= start:
            return None
        return _Piece(start, end, self._content_tokens(annotate(body, dates, start, end)))

    # -- pieces -> chunks -------------------------------------------------------------------------
    def _pack(
        self,
        body: str,
        dates: tuple[ResolvedDate, ...],
        title: str,
        pieces: list[_Piece],
        budget: int,
    ) -> list[tuple[int, int]]:
        """Greedy packing by summed piece tokens, confirmed by an exact count of the joined text."""
        spans: list[tuple[int, int]] = []
        first = 0
        while first < len(pieces):
            last, total = first, pieces[first].tokens
            while last + 1 < len(pieces) and total + pieces[last + 1].tokens <= budget:
                last += 1
                total += pieces[last].tokens
            # Joining can tokenize differently than the parts; shrink until the exact count fits.
            while last > first and not self._fits(body, dates, title, pieces[first].start, pieces[last].end):
                last -= 1
            spans.append((first, last))
            if last + 1 >= len(pieces):
                break
            nxt = max(first + 1, last + 1 - self._overlap)
            # Carry overlap only when the next chunk still has room for something new.
            if nxt <= last and sum(p.tokens for p in pieces[nxt : last + 2]) > budget:
                nxt = last + 1
            first = nxt
        return spans

    def _make_chunk(
        self, article: Article, dates: tuple[ResolvedDate, ...], index: int, start: int, end: int
    ) -> Chunk:
        inside = tuple(d for d in dates if d.start >= start and d.end <= end)
        annotated = annotate(article.body, inside, start, end)
        digest = hashlib.sha256(annotated.encode("utf-8")).hexdigest()[:12]
        return Chunk(
            id=f"{article.id}#{index}-{digest}",
            article_id=article.id,
            index=index,
            text=article.body[start:end],
            start=start,
            end=end,
            annotated_text=annotated,
            dates=inside,
        )


__all__ = ["CHUNKER_VERSION", "Chunker", "annotate", "dates_from_json", "dates_json", "embedding_text"]
