"""Chinese, Japanese and Korean characters: the one definition of each range newsrag matches.

The ranges are strings for use inside a regular-expression character class (`rf"[{HAN}]+"`).
`HAN` is what Chinese text is written in: CJK Unified Ideographs, Extension A and the
compatibility ideographs (not the Yijing hexagram symbols between Extension A and the main block).
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KANA = "\u3040-\u30ff"
HANGUL = "\uac00-\ud7af"
# Scripts written without spaces between words, with their punctuation and full-width forms: text
# may be cut between any two of these characters (radicals, CJK symbols, kana, Han, full-width forms).
UNSPACED = "\u2e80-\u2fff\u3000-\u303f" + KANA + HAN + "\uff00-\uffef"

HAN_CHAR = re.compile(f"[{HAN}]")
KANA_CHAR = re.compile(f"[{KANA}]")
HANGUL_CHAR = re.compile(f"[{HANGUL}]")


def has_han(text: str) -> bool:
    """Whether `text` holds any Chinese character."""
    return HAN_CHAR.search(text) is not None


__all__ = ["HAN", "HANGUL", "HANGUL_CHAR", "HAN_CHAR", "KANA", "KANA_CHAR", "UNSPACED", "has_han"]
