"""The corpus's bracketed name glosses: read from Chinese text, looked up from either language's
questions, and kept beside the index for its current content."""

from __future__ import annotations

from pathlib import Path

from fake_news_index import FakeNewsIndex

from rag.glossary import Glossary, glossary_path, load_or_build, with_glossary

TEXTS = [
    "香港苹果日报创办人黎智英(Jimmy Lai)星期一被判刑。",
    "美国战争部长皮特·海格塞斯（Pete Hegseth）说，美国国务卿马尔科·卢比奥(Marco Rubio)也在场。",
    "国战争部长皮特·赫格塞斯(Pete Hegseth)周六发表讲话。",
    "美国国家航空航天局公布了将参与其“阿尔忒弥斯三号”(Artemis III)任务的宇航员名单。",
    "被拘押的美国公民托马斯·威尔·保肯二世(Thomas Weir Pauken II)将被判刑。",
    "中国移动(China Mobile)和博物馆(Museum)。",
    "Jimmy Lai (the publisher) was sentenced on Monday.",  # English text: no gloss read
]


def _glossary() -> Glossary:
    return Glossary.from_texts(TEXTS)


def han_of_hegseth(glossary: Glossary) -> list[str]:
    return glossary.han_of["Pete Hegseth"]  # both spellings: neither ends the other


def test_glosses_are_read_with_the_name_at_the_end_of_the_han_run() -> None:
    han_of = _glossary().han_of
    assert han_of["Jimmy Lai"] == ["日报创办人黎智英"]  # the run's last 8 characters
    assert han_of["Marco Rubio"] == ["美国国务卿马尔科·卢比奥"]  # 8 before the "·", all after it
    assert han_of["Pete Hegseth"] == ["美国战争部长皮特·海格塞斯", "国战争部长皮特·赫格塞斯"]
    assert han_of["Artemis III"] == ["阿尔忒弥斯三号"]  # a closing quote mark between name and bracket
    assert "the publisher" not in han_of


def test_an_english_questions_names_are_looked_up_by_the_whole_name_or_its_last_word() -> None:
    glossary = _glossary()
    assert glossary.in_other_script("How long a prison sentence did Jimmy Lai get?") == ["日报创办人黎智英"]
    assert glossary.in_other_script("When will Thomas Pauken be sentenced?") == [
        "的美国公民托马斯·威尔·保肯二世"
    ]
    assert glossary.in_other_script("What did Hegseth say?") == han_of_hegseth(glossary)
    assert glossary.in_other_script("Who commands NASA's Artemis III?") == ["阿尔忒弥斯三号"]
    # a generic word of a longer name, or a name's first word, is not that name
    assert glossary.in_other_script("Which museum held the June 4th Museum show?") == []
    assert glossary.in_other_script("Did China sell the shares?") == []
    assert glossary.in_other_script("What did Jimmy Carter say?") == []
    assert glossary.in_other_script("Did Pete see the museum?") == []


def test_a_name_glossed_with_and_without_a_title_is_searched_as_the_shorter_writing() -> None:
    glossary = Glossary.from_texts(
        [
            "唐纳德·特朗普(Donald Trump)说。",
            "唐纳德·特朗普(Donald Trump)又说。",
            "美国总统唐纳德·特朗普(Donald Trump)说。",
        ]
    )
    assert glossary.in_other_script("What did Donald Trump say?") == ["唐纳德·特朗普"]


def test_a_chinese_questions_names_are_looked_up_by_how_the_gloss_ends() -> None:
    glossary = _glossary()
    assert glossary.in_other_script("黎智英被判了几年？") == ["Jimmy Lai"]
    assert glossary.in_other_script("卢比奥说了什么？") == ["Marco Rubio"]
    assert glossary.in_other_script("中国移动的股价跌了吗？") == ["China Mobile"]
    # 美国 and 中国 start glosses; a name is read where a gloss writes it: the surname, or the last 3
    assert glossary.in_other_script("美国说了什么？") == []
    assert glossary.in_other_script("中国说了什么？") == []
    two = Glossary.from_texts(["参议员帕特里夏·拉克(Patricia Rucker)说。"])
    assert two.in_other_script("希拉克担任巴黎市长是从哪年到哪年？") == []  # 拉克 inside 希拉克 (Chirac)


def test_names_are_added_to_the_search_in_their_own_script() -> None:
    translations = {"zh": "李建良被判了多少年？"}
    assert with_glossary(translations, ["创办人黎智英"], ["zh"]) == {
        "zh": "李建良被判了多少年？ 创办人黎智英"
    }
    assert (
        with_glossary({}, ["创办人黎智英"], ["zh"]) == {}
    )  # a dropped translation: names alone are not searched
    assert with_glossary({"en": "Was he sentenced?"}, ["Jimmy Lai"], ["en"]) == {
        "en": "Was he sentenced? Jimmy Lai"
    }
    assert with_glossary(translations, ["Jimmy Lai"], ["zh"]) == translations  # no Han writing to add
    assert with_glossary(translations, [], ["zh"]) == translations


def test_the_glossary_is_kept_per_index_content(tmp_path: Path) -> None:
    index = FakeNewsIndex(tmp_path / "index", [("z1", "黎智英案", "VOA", "2025-12-15", "zh", TEXTS[0])])
    first = load_or_build(index, tmp_path / "state")
    path = glossary_path(tmp_path / "state", index.fingerprint())
    assert path.is_file() and first.han_of == {"Jimmy Lai": ["日报创办人黎智英"]}
    path.write_text('{"Jimmy Lai": ["黎智英"]}', encoding="utf-8")
    assert load_or_build(index, tmp_path / "state").han_of == {"Jimmy Lai": ["黎智英"]}  # read, not rebuilt
    path.write_text("not json", encoding="utf-8")
    assert load_or_build(index, tmp_path / "state").han_of == first.han_of  # unreadable: rebuilt
    index.add(
        "z2", "卢比奥", "VOA", "2025-12-16", "zh", TEXTS[1]
    )  # new content: read again, the old file gone
    grown = load_or_build(index, tmp_path / "state")
    assert "Marco Rubio" in grown.han_of and not path.exists()
