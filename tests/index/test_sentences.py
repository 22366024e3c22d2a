"""Sentence spans: where a citation quote may start and end."""

from __future__ import annotations

from index.sentences import sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_a_dotted_abbreviation_the_sentence_goes_on_after_in_lower_case_ends_nothing() -> None:
    assert _sentences("It was common from about 664 b.c.e. to 250 c.e., from the dynasty on. It ended.") == [
        "It was common from about 664 b.c.e. to 250 c.e., from the dynasty on.",
        "It ended.",
    ]
    assert _sentences("A couple made a 14-hour drive to D.C. for the rally. They left.") == [
        "A couple made a 14-hour drive to D.C. for the rally.",
        "They left.",
    ]
    assert _sentences('He said, "we lost so many [...] games in a row." Then he left.') == [
        'He said, "we lost so many [...] games in a row."',
        "Then he left.",
    ]


def test_a_sentence_may_start_in_lower_case_after_a_plain_word() -> None:
    assert _sentences("He spoke with Wikinews.  youtube-dl comes with a tool.") == [
        "He spoke with Wikinews.",
        "youtube-dl comes with a tool.",
    ]


def test_chinese_and_plain_english_sentences_end_where_they_did() -> None:
    assert _sentences("他来了。她走了！") == ["他来了。", "她走了！"]
    assert _sentences("Mr. Smith arrived in the U.S. on Monday. He stayed.") == [
        "Mr. Smith arrived in the U.S. on Monday.",
        "He stayed.",
    ]
