"""The one definition of the Chinese/Japanese/Korean character ranges, and what is built on it."""

from __future__ import annotations

import re

import pytest

from index.cjk import HAN, HAN_CHAR, HANGUL_CHAR, KANA_CHAR, UNSPACED, has_han
from index.language import detect_language

EDGES_OF_HAN = ["\u3400", "\u4dbf", "\u4e00", "\u9fff", "\uf900", "\ufaff", "中"]
NOT_HAN = ["\u4dc0", "\u33ff", "\ufb00", "あ", "カ", "한", "a", "1", "，", "。"]


@pytest.mark.parametrize("ch", EDGES_OF_HAN)
def test_han_covers_the_main_block_extension_a_and_compatibility_ideographs(ch: str) -> None:
    assert HAN_CHAR.fullmatch(ch) and re.fullmatch(f"[{HAN}]", ch) and has_han(f"x{ch}y")


@pytest.mark.parametrize("ch", NOT_HAN)
def test_han_excludes_kana_hangul_hexagrams_latin_and_punctuation(ch: str) -> None:
    assert not HAN_CHAR.fullmatch(ch) and not has_han(ch)


def test_kana_hangul_and_unspaced_scripts() -> None:
    assert KANA_CHAR.fullmatch("あ") and KANA_CHAR.fullmatch("カ") and not KANA_CHAR.fullmatch("中")
    assert HANGUL_CHAR.fullmatch("한") and not HANGUL_CHAR.fullmatch("あ")
    unspaced = re.compile(f"[{UNSPACED}]")
    for ch in ["中", "\u3400", "あ", "，", "。", "「", "Ａ", "⺀"]:
        assert unspaced.fullmatch(ch), ch
    for ch in ["a", "1", " ", "한", "é"]:
        assert not unspaced.fullmatch(ch), ch


def test_language_detection_reads_extension_a_and_compatibility_ideographs_as_chinese() -> None:
    assert detect_language("\u3400\u3401\u3402\uf900\uf901 中文") == "zh"
    assert detect_language("ひらがなとカタカナ 日本語") == "ja"
    assert detect_language("한국어 문장입니다") == "ko"
