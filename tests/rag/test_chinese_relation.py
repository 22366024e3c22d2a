"""The relation check for Chinese questions over Chinese passages (rag/chinese_relation.py)."""

from __future__ import annotations

from toy_embedding import embed_with_synonyms

from rag.chinese_relation import asked_event, check_relation, relation_words, unstated_event

CONSULATE = "美国驻香港总领事馆 总领事说：“至少有25万美国人出生于香港，还有更多美国人的根在这里。”"


def test_relation_words_are_the_content_words_less_names_asking_and_reporting_words() -> None:
    words, excusable = relation_words("美国驻港总领事馆说现在住在香港的美国公民有多少人")
    assert {"住", "公民", "总领事馆"} <= words
    assert not words & {"说", "现在", "美国", "香港", "多少", "人"}
    assert not excusable


def test_the_kind_of_value_asked_and_a_when_questions_verb_of_occurring_may_go_unstated() -> None:
    _, excusable = relation_words("海军派了几艘军舰")
    assert "军舰" in excusable
    _, excusable = relation_words("仓库大火是哪天发生的")
    assert "发生" in excusable


def test_a_relation_the_evidence_does_not_state_lowers_the_coverage() -> None:
    found = check_relation("美国驻港总领事馆说现在住在香港的美国公民有多少人", "至少有25万 [1]", [CONSULATE])
    assert found is not None
    assert found.unstated == {"住", "公民"} and found.coverage < 0.5
    stated = "美国驻香港总领事馆 总领事说，住在香港的美国公民约有8万5千人。"
    assert (
        check_relation("美国驻港总领事馆说现在住在香港的美国公民有多少人", "约有8万5千人", [stated]).coverage
        == 1.0
    )


def test_a_word_shortened_by_keeping_its_characters_is_stated_within_one_sentence() -> None:
    evidence = ["世界卫生组织说，星期三的最强地震造成12人死亡。"]
    found = check_relation("世卫说那场强震死了多少人", "12人", evidence)
    assert found is not None and found.unstated == frozenset()
    # the characters of a word spread over two sentences do not state it
    apart = ["卫生部门到场。世界各国关注最强余震。"]
    assert "世卫" in check_relation("世卫说那场强震死了多少人", "12人", apart).unstated


def test_a_word_as_close_in_meaning_as_the_english_check_asks_is_stated() -> None:
    evidence = ["博览会7月5日结束，共有150个展区。"]
    assert check_relation("博览会哪天闭幕", "7月5日", evidence, None).unstated == {"闭幕"}
    embed = embed_with_synonyms(("闭幕", "结束"))
    assert check_relation("博览会哪天闭幕", "7月5日", evidence, embed).unstated == frozenset()


def test_only_a_chinese_question_over_chinese_evidence_is_read() -> None:
    assert check_relation("how many americans live in hong kong", "250,000", [CONSULATE]) is None
    english = "At least 250,000 Americans were born in Hong Kong."
    assert check_relation("住在香港的美国公民有多少人", "25万", [english]) is None


def test_a_when_question_asks_the_time_of_the_event_its_verb_names() -> None:
    assert asked_event("博览会哪天闭幕") == "闭幕"
    assert asked_event("那家店哪年关门的") == "关门"  # jieba tags it a noun; it closes the question
    assert asked_event("协议是从几月几号开始生效的") == "生效"  # past the verb of phase
    # a verb of occurring asks only the time; a subject after the time word is no event
    assert asked_event("仓库大火是哪天发生的") is None
    assert asked_event("什么时候政府宣布封城") is None
    anniversary = ["各地游客来到首都参加博览会，共同庆祝美国将于7月4日迎来建国250周年。"]
    assert unstated_event("博览会哪天闭幕", anniversary) == "闭幕"
    assert unstated_event("博览会哪天闭幕", ["博览会将于7月6日闭幕。"]) is None
