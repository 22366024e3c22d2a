from rag.truecase import truecase, typed_in_lower_case

PASSAGES = [
    "The cloud unit of Alibaba, Aliyun, said on Wednesday it will open a second data center in the US. "
    "The new center follows the one Aliyun opened in Silicon Valley.",
    "Former Egyptian President Hosni Mubarak died on Tuesday, aged 91, state television said. "
    "A statement from the family of Hosni Mubarak said he died in hospital in Cairo.",
    "Police in New York said the new rules start in May. New data will follow, officials said.",
]


def test_names_get_the_capitals_the_passages_give_them() -> None:
    assert (
        truecase("when did aliyun open its first us data center", PASSAGES)
        == "when did Aliyun open its first US data center"
    )
    assert truecase("what did hosni mubarak die of", PASSAGES) == "what did Hosni Mubarak die of"


def test_a_word_seen_only_inside_a_longer_name_or_in_lower_case_stays_as_typed() -> None:
    # "New" opens "New York" and a sentence; "new" is lower case elsewhere; "data", "center" too
    assert truecase("what new rules did police announce", PASSAGES) == "what new rules did police announce"
    # "Police" only opens a sentence: its capital says nothing
    assert "police" in truecase("what did police in new york say", PASSAGES)


def test_a_surname_written_only_after_a_given_name_gets_its_capital() -> None:
    passages = ["She headed the campaign of Viktar Babaryka, who was arrested.", *PASSAGES]
    assert truecase("when was babaryka arrested", passages) == "when was Babaryka arrested"
    assert truecase("when did mubarak die", PASSAGES) == "when did Mubarak die"
    # an ordinary word that ends a name stays as typed: "York", "House"
    assert truecase("what happened in york", PASSAGES) == "what happened in york"
    assert (
        truecase("did the house vote", ["The White House said the vote was close."]) == "did the house vote"
    )


def test_a_question_typed_with_capitals_is_left_alone() -> None:
    question = "When did Aliyun open its first data center in silicon valley?"  # a name capitalised
    assert not typed_in_lower_case(question)
    assert truecase(question, PASSAGES) == question
    assert typed_in_lower_case("When did aliyun open?") and not typed_in_lower_case("这是什么")
    assert not typed_in_lower_case("RIAA还起诉了youtube-dl的开发者？")  # a Chinese question's Latin words


def test_acronyms_typed_in_capitals_leave_the_other_words_to_case() -> None:
    """Round twenty's "was k2-18b first discovered by nasa's TESS telescope?": only the acronym was
    typed in capitals, so the question's other names are still read as the articles write them."""
    question = "When did aliyun open its first US data center?"
    assert typed_in_lower_case(question)
    assert truecase(question, PASSAGES) == "When did Aliyun open its first US data center?"


def test_possessives_keep_their_ending() -> None:
    assert truecase("what is aliyun's share of alibaba's business", PASSAGES) == (
        "what is Aliyun's share of Alibaba's business"
    )


def test_months_and_weekdays_get_their_capitals_but_not_question_words() -> None:
    passages = ['The attack on London Bridge in November 2019 ended on Friday. "What next?" he asked.']
    assert truecase("what happened on london bridge in november", passages) == (
        "what happened on London Bridge in November"
    )


def test_a_question_word_where_none_can_stand_is_the_acronym_the_passages_write() -> None:
    passages = ["The WHO declared a pandemic. Doctors who treated patients said the WHO acted late."]
    assert truecase("did who declare a pandemic", passages) == "did WHO declare a pandemic"
    assert truecase("does the who say masks work", passages) == "does the WHO say masks work"
    # where a question word can stand, it is one; without the acronym in the passages, it stays
    assert truecase("who declared a pandemic", passages) == "who declared a pandemic"
    assert (
        truecase("did who declare a pandemic", ["Doctors who treated patients."])
        == "did who declare a pandemic"
    )
