"""Sentence boundaries as character spans, for English and Chinese news text.

Spans (not strings) so that chunks and citation quotes keep exact offsets into the article body.
A rule-based splitter: fast, dependency-free, and good enough on news prose (abbreviations such as
"Mr." or "U.S." and decimal numbers do not end a sentence).
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft no vs etc inc ltd corp co gov gen col lt sgt rep sen jan feb mar apr "
    "jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m".split()
)
# A sentence that goes on after a period: the next word is in lower case.
_GOES_ON = re.compile(r"\s+[a-z]")
# A candidate end: Western terminal punctuation followed by space, or CJK terminal punctuation,
# either optionally followed by closing quotes/brackets.
_END = re.compile(r"""([.!?]+["'”’)\]]*)(?=\s+)|([。！？；]+[”’」』）)]*)|(\n\s*\n)""")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in `text`, whitespace trimmed, covering all words."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group(1):
            word = re.search(r"([\w.]+)\.+[\"'”’)\]]*$", text[start:end])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            # "U.S. officials" and single initials ("John F. Kennedy") do not end a sentence
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue
            # nor does a dotted abbreviation the sentence goes on after in lower case: "from about
            # 664 b.c.e. to 250 c.e.", "a Ph.D. candidate" ("youtube-dl" may start one after "Wikinews.")
            if word and "." in word.group(1) and _GOES_ON.match(text, end):
                continue
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
