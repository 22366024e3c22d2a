from rag.english_words import is_english_word


def test_ordinary_words_are_known_and_coined_names_are_not():
    assert all(is_english_word(w) for w in ("age", "Verge", "wired", "independent", "fortune"))
    assert not any(is_english_word(w) for w in ("techcrunch", "Engadget", "cnbc", "yardbarker"))
