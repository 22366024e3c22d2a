"""Written numbers as digits, the one reading shared by the eval and the citation check."""

from __future__ import annotations

import pytest

from index.numbers import numbers_as_digits


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("all aged fifteen", "15"),
        ("twenty-one people", "21"),
        ("2.5 million customers", "2500000"),
        ("35,000 structures", "35000"),
        ("被判处十年监禁", "10"),
        ("三十二人", "32"),
        ("1.4万", "14000"),
    ],
)
def test_number_words_become_digits(text: str, digits: str) -> None:
    assert digits in numbers_as_digits(text).split() or digits in numbers_as_digits(text)


def test_other_text_is_unchanged() -> None:
    assert numbers_as_digits("Aliyun opened in March") == "Aliyun opened in March"
