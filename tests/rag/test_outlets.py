"""Outlets a question names that the index holds no article from (`rag.outlets`)."""

from __future__ import annotations

import pytest

from rag.outlets import named_in, unknown_outlets

KNOWN = [
    "The Verge", "TechCrunch", "BBC News - Entertainment & Arts", "The New York Times", "Wired", "Fortune",
    "English Wikinews", "VOA Chinese (美国之音中文网)", "Chinese Wikinews (维基新闻)",
]  # fmt: skip


def _names(question: str) -> list[tuple[str, bool]]:
    return [(o.name, o.published) for o in unknown_outlets(question, KNOWN)]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("Considering an article by The Verge and another by CNET on the Watch Series 9, which feature ...?", [("CNET", True)]),
        ("Based on a Bloomberg article and a report by 9to5Mac on Apple, which executive ...?", [("Bloomberg", True)]),
        ("Considering an ESPN article and a BBC Sport article on Ellyse Perry, which jersey number ...?", [("ESPN", True), ("BBC Sport", True)]),
        ("What did the Washington Post's coverage of the strike say about wages?", [("Washington Post", True)]),
        # "report" names an outlet beside another one
        ("Considering a New York Times article and a Wall Street Journal report on Meta, which ...?", [("Wall Street Journal", True)]),
        # named as who said it
        ("According to Reuters, how many Gaza residents were told to move south?", [("Reuters", False)]),
        ("Did CNET's review of the Pixel 8 Pro praise its camera?", [("CNET", False)]),
        ("according to axios, how much did google pay to be the default search engine?", [("axios", False)]),
        ("in usa today's recap of chiefs vs jets, what was the final score?", [("usa today", False)]),
        # in Chinese, as who reported it
        ("据路透社报道，伊朗说了什么", [("路透社", False)]),
        ("新华社的报道里死了几个人", [("新华社", False)]),
        ("《南华早报》称大埔火灾死了多少人", [("南华早报", False)]),
        ("财新报道美国商务部的新规是哪天发布的", [("财新", False)]),
        ("看联合早报说 被中国禁止入境的新西兰议员有几个", [("联合早报", False)]),
    ],
)  # fmt: skip
def test_outlets_named_as_where_or_by_whom_something_was_published(
    question: str, unknown: list[tuple[str, bool]]
) -> None:
    assert _names(question) == unknown


@pytest.mark.parametrize(
    "question",
    [
        "Did the TechCrunch article on Spill's new platform suggest a different approach?",  # stored
        "Based on an article by The Verge and another by Wired, which company ...?",  # stored
        "What did the BBC article say about Taylor Swift?",  # the start of a stored outlet's name
        "according to wikinews, how many people died in the collapse?",  # a word of a stored name
        "fortune's story on the eras tour film: how much did it make?",  # stored, typed in lower case
        "What did the Mueller report conclude?",  # a report that is no outlet's
        "How many cases were counted in a report by the WHO?",
        "What company manipulates search results according to Megan Grey?",  # a person's name
        "according to officials, how many people died?",  # an English word, typed in lower case
        "per the financial times, why was altman fired?",  # English words: not read in lower case
        "was the 2nd article of impeachment against trump obstruction of congress",
        "Between the article published on October 1st and the one on October 5th, ...?",
        "when did aliyun open its first us data center",
        "据美国之音报道，卢比奥说了什么",  # stored, by its Chinese name
        "维基新闻说火灾是哪天",
        "VOA报道卢比奥几号去的",
        "据媒体报道死了几个人",  # no outlet
        "特朗普说关税是多少",
        "中国外交部说了什么",
    ],
)
def test_no_unknown_outlet_where_none_is_named(question: str) -> None:
    assert _names(question) == []


def test_an_outlet_is_named_in_a_text_by_its_capitals_unless_typed_in_lower_case() -> None:
    assert named_in("Variety", "The film debuted at No. 1, Variety reported.")
    assert not named_in("Variety", "The store sells a variety of phones.")
    assert named_in("The Washington Post", "the Washington Post said on Monday")
    assert named_in("axios", "Axios reported that the talks had stalled.")
    assert named_in("路透社", "据路透社报道，谈判已经停滞。")
