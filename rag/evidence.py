"""Which sentences of an article may be quoted as evidence for an answer.

A citation tells the reader "the article says this". A question the article asks ("Which country has
won the most ...?"), a byline ("... contributed to this story"), a photo caption ("Fans queue
outside. Image: Jane Doe.") or a list of headlines states nothing about the news, yet each can
contain the very words of an answer. They are never evidence: the citation check skips them.
Rules only: they read the sentence itself, so they are instant and predictable.
"""

from __future__ import annotations

import re

from index.cjk import HAN

# A question: the sentence ends with a question mark (before closing quotes or brackets).
_QUESTION = re.compile(r"[?？][\"'”’」』）)\]]*\s*$")
# Interview transcripts open a question with the interviewer's tag: "((WN)) How did ...".
_INTERVIEWER = re.compile(r"^\s*\(\((?:WN|Wikinews)\)\)")
_BYLINE = re.compile(
    r"contributed (?:to )?(?:this|the) (?:story|report|article)|"
    r"\b(?:additional )?(?:reporting|writing|editing) by\b|"
    r"^\s*By\s+[A-Z][\w.'-]+(?:\s+(?:and\s+)?[A-Z][\w.'-]+){0,4}\s*$|"
    rf"^[(（]?\s*(?:美国之音|VOA)?\s*(?:特约)?记者[{HAN}·]{{2,8}}(?:\s*[{HAN}]{{0,6}})?报道\s*[)）]?\s*$"
)
_CAPTION = re.compile(
    r"\b(?:image|photo|photograph|picture|credit|file photo)\s*:\s*\S|"
    r"\((?:photos?|montage|file photo)\)|"
    r"\b(?:AP|AFP|Reuters|Getty Images|EPA)\s+(?:photo|images?)\b|"
    # "照片：美联社", "图片（路透社）"; not "展示了……的照片（巴布亚新几内亚，玻利维亚……）", a list in prose
    r"(?:图片|照片|摄影|图源|资料照片?)\s*(?:[:：]|[(（][^()（），,、]{1,12}[)）])",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?。！？；;:：\"'”’」』）)\]]\s*$")


def not_evidence(sentence: str) -> str | None:
    """Why `sentence` can never support an answer ("question", "byline", "caption", "headline
    list"), or None when it is an ordinary statement that may."""
    text = sentence.strip()
    if not text:
        return "empty"
    if _QUESTION.search(text) or _INTERVIEWER.match(text):
        return "question"
    if _BYLINE.search(text):
        return "byline"
    if _CAPTION.search(text):
        return "caption"
    if _is_headline_list(text):
        return "headline list"
    return None


def _is_headline_list(text: str) -> bool:
    """Three or more lines, most of them without closing punctuation: a list of headlines or links,
    not prose (sentence splitting keeps unpunctuated lines together)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        return False
    bare = sum(1 for line in lines if not _TERMINAL.search(line))
    return bare >= 0.6 * len(lines)
