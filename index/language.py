"""Language codes for articles: normalise declared codes and detect undeclared ones.

Codes are bare ISO 639-1 primary subtags ("en", "zh", "de"): the script/region variants a feed
declares ("zh-Hans", "zh-CN", "en_US") all collapse to one code so that metadata filters match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.cjk import HAN_CHAR, HANGUL_CHAR, KANA_CHAR

# Codes that are not a plain primary subtag but mean one of ours.
_ALIASES = {
    "cmn": "zh",
    "yue": "zh",
    "chi": "zh",
    "zho": "zh",
    "eng": "en",
    "chinese": "zh",
    "english": "en",
    "jpn": "ja",
    "kor": "ko",
}

_LATIN_WORD = re.compile(r"[A-Za-z]+")
# The most frequent English function words; a text made of them is English without asking a model.
_EN_STOPWORDS = frozenset(
    "the a an and or of to in on at for with by from into about after before up out over is are was were "
    "be been being has have had do does did it its that this these those as but not no if than so can could "
    "i my me he him his she her they them their we our you your who which what when where how all more "
    "said says will would also new".split()
)
_SAMPLE_CHARS = 3000


def normalize_language(code: str | None) -> str:
    """ "zh-Hans" -> "zh", "en_US" -> "en", "ZH" -> "zh"; "" when nothing usable was given."""
    if not code:
        return ""
    primary = re.split(r"[-_\s]", code.strip().lower(), maxsplit=1)[0]
    primary = _ALIASES.get(primary, primary)
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


def detect_language(text: str) -> str:
    """Best guess at the language of `text` as a normalised code; "en" when there is too little to tell.

    Scripts decide Chinese/Japanese/Korean outright and common English function words decide English;
    only other Latin-script text pays for langdetect (seeded, so the answer is stable across runs).
    """
    sample = text[:_SAMPLE_CHARS]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters == 0:
        return "en"
    han = len(HAN_CHAR.findall(sample))
    kana = len(KANA_CHAR.findall(sample))
    hangul = len(HANGUL_CHAR.findall(sample))
    if kana and (kana + han) / letters > 0.2:
        return "ja"
    if hangul / letters > 0.2:
        return "ko"
    if han / letters > 0.2:
        return "zh"
    words = [w.lower() for w in _LATIN_WORD.findall(sample)]
    if words and sum(w in _EN_STOPWORDS for w in words) / len(words) >= 0.15:
        return "en"
    return _langdetect(sample) or "en"


def _langdetect(sample: str) -> str:
    detector = _detector_factory()
    if detector is None:
        return ""
    try:
        from langdetect import detect  # lazy: loads ~50 profiles; only for non-English Latin text

        return normalize_language(detect(sample))
    except Exception:  # langdetect raises LangDetectException on feature-less text
        return ""


@lru_cache(maxsize=1)
def _detector_factory() -> object | None:
    try:
        from langdetect import DetectorFactory

        DetectorFactory.seed = 0
        return DetectorFactory
    except ImportError:
        return None
