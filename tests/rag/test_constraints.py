"""What a question pins down, and whether the evidence states it (rag/constraints.py)."""

from __future__ import annotations

from toy_embedding import embed_with_synonyms

from rag.constraints import (
    Scope,
    background_words,
    check_relation,
    entities_stated_in,
    initials,
    missing,
    names_a_sibling,
    names_another_places,
    names_someone_else,
    question_constraints,
    relation_coverage,
    relation_words,
    value_kind_words,
)


def test_relation_words_are_a_short_questions_lowercase_content_words_less_the_answers() -> None:
    assert relation_words("What was the cause of Nickey Iyambo's death?") == {"caus", "death"}
    assert relation_words("what did hosni mubarak die of") == {"hosni", "mubarak", "die"}
    assert relation_words("Who is Princess Ubolratana's husband?", "her husband") == set()
    assert relation_words("马云的丈夫是谁？") == set()  # words are compared within Latin script only
    assert relation_words("Who else was Time considering besides Greta Thunberg?") == set()  # function words
    assert relation_words("What year did Red Hat take over CentOS?") == {
        "year"
    }  # a light verb states nothing
    long = "Which company, reported by one outlet for its pricing and by another for its lawsuits over search deals?"
    assert relation_words(long) == set()  # long multi-report questions spread their words over articles


def test_letters_glued_to_digits_are_no_relation_words() -> None:
    # "8pm" is a time the evidence writes "8:00 p.m.": its "pm" must not be looked for as a word
    question = "how far from bermuda was hurricane humberto at 8pm wednesday"
    assert relation_words(question, "75 miles") == {"far", "hurrican", "humberto", "bermuda"}
    assert relation_words("What did the vandals spray-paint on the June 4th Museum's walls?") == {
        "vandal",
        "spray",
        "paint",
        "wall",
    }
    assert relation_words("who won the 5km race") == {"race"}  # "won" is a light word, "km" no word


def test_modal_and_reporting_verbs_are_no_relation_words() -> None:
    # the evidence reports what was said ("intended to isolate for ten days"), not "say" or "would"
    question = "how long did the slovak pm say he would isolate for"
    assert relation_words(question, "ten days") == {"slovak", "pm", "isol", "long"}


def test_talking_and_the_guy_asked_for_are_no_relation_words() -> None:
    # the evidence reports it as "told NPR"; "guy" is the person asked for
    assert relation_words("ex FBI guy who talked to npr about Hamza bin Laden") == {"ex", "npr", "bin"}


def test_a_relation_word_is_stated_by_another_form_of_it() -> None:
    evidence = ["His term was to end in August, in favor of his elected successor, Evariste Ndayishimiye."]
    found = check_relation(
        "who succeeds Nkurunziza as President of Burundi", "Evariste Ndayishimiye", evidence
    )
    assert found is not None and found.unstated == frozenset()
    found = check_relation(
        "who succeeds Nkurunziza as President of Burundi", "Denise", ["His widow, Denise."]
    )
    assert found is not None and found.unstated == {"succeed"}


def test_relation_coverage_is_the_share_stated_in_the_evidence() -> None:
    question = "Who is Princess Ubolratana's husband?"
    assert relation_coverage(question, "King Vajiralongkorn", ["Princess Ubolratana was nominated."]) == 0.0
    assert (
        relation_coverage(question, "Peter Jensen", ["Ubolratana married her husband Peter Jensen."]) == 1.0
    )
    assert relation_coverage(question, "彼得", ["乌汶叻公主的丈夫是彼得。"]) is None  # another script


def test_the_wh_phrase_names_the_kind_of_value_asked() -> None:
    assert value_kind_words("How many people died when the building collapsed?") == {"peopl"}
    assert value_kind_words("In what month and year did the plane crash?") == {"month", "year"}
    assert value_kind_words("Under what ring name did Jon Huber perform?") == {"ring", "name"}
    assert value_kind_words("What was the name of the company?") == {"name"}
    assert value_kind_words("How old was Mubarak when he died?") == {"old"}
    assert value_kind_words("What caused the fire?") == set()  # a verb, not a kind of value
    assert value_kind_words("Which hospital was Wiranto taken to?") == {"hospit"}
    # a relative "which" after the question's own wh-word names nothing asked
    assert value_kind_words("How old is the man which won the cup?") == {"old"}
    assert value_kind_words("Who led the team which won the cup?") == set()
    assert "mani" not in relation_words("how many people died when the building collapsed")


def test_an_unstated_kind_of_value_is_excused_but_a_stated_one_counts() -> None:
    question = "How many people died when the building collapsed?"
    evidence = ["The building collapsed, killing eleven."]
    found = check_relation(question, "11", evidence)
    assert found is not None and found.excused == {"peopl"} and found.unstated == {"peopl", "die"}
    assert round(found.coverage, 3) == 0.667  # "building" and "collapsed" of "building", "collapsed", "died"
    award = "What award did she receive in 2014?"
    assert relation_coverage(award, "Order of the Sun", ["She was given the award."]) == 0.5
    assert relation_coverage(award, "Order of the Sun", ["She was given it."]) == 0.0


def test_a_trailing_comma_clause_only_describes_and_is_excused_when_unstated() -> None:
    crash = "In what month did Lion Air Flight 610 crash into the Java Sea, killing all 189 people on board?"
    assert background_words(crash) == {"kill", "peopl", "board"}
    assert background_words("Which company, founded in 1998, makes the phone?") == set()  # not at the end
    assert background_words("Who is the chief executive of Acme, which makes rockets?") == {"make", "rocket"}
    evidence = ["Lion Air jet crashed into the Java Sea. All 189 on the aircraft died last October."]
    found = check_relation(crash, "October 2018", evidence)
    assert found is not None and found.excused == {"kill", "peopl", "board", "month"}
    assert found.coverage == 1.0  # "crash", the relation asked, is stated
    # the main clause's words still count: a passage on another event does not state "crash"
    assert relation_coverage(crash, "October 2018", ["Lion Air bought jets in October 2018."]) == 0.0


def test_a_questions_capitalised_first_word_is_not_a_name() -> None:
    assert question_constraints("Roughly how many people took part in the protests?").entities == ()
    assert question_constraints("When did Aliyun open its first data center?").entities == (("aliyun",),)
    assert question_constraints("NASA launched what?").entities == (("nasa",),)  # an acronym stays a name


def test_a_latin_name_ends_where_chinese_text_begins() -> None:
    """Chinese is written without spaces, so a Latin name runs straight into it; the name is the
    Latin part, found in a Chinese article that writes it the same way."""
    question = question_constraints("SpaceX在创纪录的首次公开募股中将股票发行价定为每股多少美元？")
    assert question.entities == (("spacex",),)
    assert question_constraints("OpenAI首次公开募股(IPO)的发行价是多少？").entities[0] == ("openai",)
    assert question_constraints("When did Zürich ban cars?").entities == (("zurich",),)  # one word, folded
    assert entities_stated_in([("spacex",)], "SpaceX星期四将其股票发行价定为每股135美元。") == [True]
    # a lone letter glued to Chinese abbreviates a word (C罗 is Cristiano Ronaldo): no name to look for
    assert question_constraints("C罗拿过世界杯冠军没有").entities == (("世界杯",),)


def test_an_apostrophe_is_not_a_quotation_mark() -> None:
    """Two possessives used to read as a quotation ("'s Polish stores ... Denmark'"), a name no article states."""
    question = question_constraints(
        "How many of Tesco's Polish stores were covered by the sale to Denmark's Salling Group?"
    )
    assert question.entities == (("tesco", "polish"), ("denmark", "salling", "group"))
    assert question_constraints("When did Francis D'Souza die?").entities == (("francis", "d'souza"),)
    quoted = question_constraints("Which agencies issued the 'Safeguarding Our Secrets' advisory?")
    assert ("safeguarding", "our", "secrets") in quoted.entities


def test_a_name_meeting_only_its_first_word_at_the_start_of_another_names_someone_else() -> None:
    trial = "The trial for Sam Bankman-Fried, former CEO of FTX, started Tuesday."
    assert names_someone_else("Sam Altman", trial)
    assert not names_someone_else("Sam Bankman-Fried", trial)
    assert not names_someone_else("Sam Altman", "At the conference, Altman was the main speaker.")
    assert not names_someone_else("Sam Altman", "Sam is one of the most generous people I know.")
    # a spelling variant of the rest of the name is the same person
    assert not names_someone_else("Ali Alghasimehr", "The prosecutor, Ali Alghasi Mehr, said so.")
    assert not names_someone_else("Caesars Sportsbook", "We expect Caesars to offer the same bonus.")


def test_a_relation_word_typed_the_everyday_way_is_looked_for_as_news_writes_it() -> None:
    question = "who is Hana Kimura's mom"
    assert relation_words(question) == relation_words("who is Hana Kimura's mother")
    assert relation_coverage(question, "Kyoko Kimura", ["Her mother, Kyoko Kimura, was a wrestler."]) == 1.0
    assert relation_coverage(question, "Kyoko Kimura", ["Her coach, Kyoko Kimura, was a wrestler."]) == 0.0


def test_chat_spellings_of_function_words_ask_no_relation() -> None:
    """ "r" for "are", "u" for "you", "right now" for "now": no relation the evidence must state."""
    assert relation_words("how many syrian refugees r in turkey right now") == {"syrian", "refuge", "turkey"}
    assert relation_words("where r u based") == relation_words("where are you based")
    # only a word of its own: the "u" of "u.s." and the "r" of "r&b" stay
    assert "u" in relation_words("where are u.s. troops based")
    assert "r" in relation_words("who sang r&b hits")


def test_a_when_or_where_question_asks_no_relation_with_its_verb_of_occurring() -> None:
    comicon = "Toronto Comicon 2019 returned to its titular city from March 15 to 17."
    assert relation_coverage("When was Toronto Comicon 2019 held?", "March 15 to 17, 2019", [comicon]) == 1.0
    # the same verb asks a relation in a question that is not about when or where
    assert relation_coverage("who held the record", "Bolt", ["Bolt ran the fastest time."]) == 0.0


def test_a_chinese_a_not_a_form_takes_its_verb_back_from_the_name_before_it() -> None:
    """jieba reads "美国会不会" as 美国会 (the US Congress) + 不会; the A-not-A 会不会 owns the 会, so the
    name looked for is 美国, which an article about what the US will pay states."""
    assert question_constraints("美国会不会出钱帮伊朗重建").entities == (("美国",), ("伊朗",))
    assert question_constraints("美国会是否通过法案").entities == (("美国会",),)  # no A-not-A: Congress


def test_a_confirming_tag_is_no_relation_word() -> None:
    assert relation_words("Mir-Mohammadi died in a hospital in Qom, right?") == {"die", "hospit"}
    assert "right" in relation_words("Did the court uphold the right to protest?")


def test_a_chinese_abbreviation_is_stated_by_the_name_it_shortens() -> None:
    """Chinese shortens a name by keeping some of its characters in order: 美财部 is 美国财政部."""
    assert entities_stated_in([("美财部",)], "美国财政部宣布制裁。") == [True]
    assert entities_stated_in([("美财部",)], "美国财长和国防部都表态了。") == [False]  # too far apart
    assert entities_stated_in([("台大",)], "台湾大选在即。") == [False]  # two characters: as written only


def test_a_clipped_word_is_stated_by_the_word_it_clips_when_close_in_meaning() -> None:
    evidence = ["According to the party's website, Jephcott is a veterinarian and farmer."]
    assert check_relation("is Sandra Jephcott a vet", "Yes", evidence).unstated == {"vet"}  # stems alone
    embed = embed_with_synonyms(("vet", "veterinarian"))
    assert check_relation("is Sandra Jephcott a vet", "Yes", evidence, embed).unstated == frozenset()
    # the same first letters, another meaning: "car" is no clip of "career"
    found = check_relation("whose car was it", "Smith's", ["Smith's career began in 1990."], embed)
    assert found is not None and found.unstated == {"car"}


def test_a_chinese_sentence_naming_the_asked_office_only_for_another_place_speaks_of_that_one() -> None:
    asked = "中国国防部长今年去香格里拉对话会了吗"
    assert names_another_places(asked, "菲律宾国防部长特奥多罗在香格里拉对话时透露了消息。")
    assert not names_another_places(asked, "菲律宾国防部长说，中国防长没有出席。")  # names the asked place
    assert names_another_places("日本经济去年增长了多少", "美国经济去年增长了2%。")
    # a noun that only modifies the next is not the one asked about: an advocate, not a hostage
    assert not names_another_places("以色列人质是谁帮忙牵的线", "美国人质权益倡导者德维尔牵的线。")


def test_evidence_naming_another_of_the_kind_the_question_names_speaks_of_that_one() -> None:
    """The cost of the EuroAsia Interconnector does not answer what the EuroAfrica one costs."""
    window = (
        "The then-envisioned EuroAsia Interconnector was considered as an alternative route. "
        "The estimated cost is 2.5 billion euros."
    )
    assert names_a_sibling("how much is the EuroAfrica Interconnector gonna cost", window)
    assert not names_a_sibling("how much is the EuroAsia Interconnector gonna cost", window)
    assert names_a_sibling("who won the Karofsky Prize", "Jill Nguyen won the Zuckerman Prize on Sunday.")
    # a surname alone, a title or a sentence's first word before the shared word is no other name
    assert not names_a_sibling("what did Joe Biden say", "Biden said it was fine.")
    assert not names_a_sibling("where is Matt Ratana from", "Sergeant Ratana, from Hawke's Bay, served.")
    assert not names_a_sibling(
        "what did Taylor Swift share", "Now, Swift has shared that she has nothing to hide."
    )
    # a word typed before a name is no name's first word: Saudi Arabia is not another "Saudi Khashoggi"
    trial = "A closed-door trial is underway in Saudi Arabia in which eleven individuals have been charged."
    assert not names_a_sibling("Saudi Khashoggi trial number of people charged", trial)


def test_initials_typed_in_lower_case_are_stated_by_the_name_they_abbreviate() -> None:
    evidence = [
        "The United States likewise had the highest number of confirmed deaths, with the next highest"
        " country, the United Kingdom, reporting 37,542 deaths as of Wednesday."
    ]
    question = "how many covid deaths did the uk have when us deaths passed 100,000"
    found = check_relation(question, "37,542", evidence)
    assert found is not None and not {"uk", "us"} & found.unstated
    assert initials("the European Union and Centers for Disease Control said") == {"eu", "cdc"}
    # a word typed as initials the evidence never writes stays unstated
    assert "nhs" in check_relation("how many nhs staff died", "12", evidence).unstated


def test_a_typed_month_and_back_in_a_year_date_the_question_and_ask_no_relation() -> None:
    """Round twenty-one: "oct" dates the offensive as "october" would; "back in 2001" is a time."""
    assert relation_words("did EU countries back Turkey's oct 2019 offensive into northeast Syria?") == {
        "countri",
        "offens",
        "northeast",
        "back",
    }
    assert relation_words("who bought Bontddu Hall in Wales back in 2001") == {"bought"}
    assert "back" in relation_words("did they back the plan")


def test_a_number_is_stated_by_its_value_in_words_of_scale() -> None:
    asked = question_constraints("Were about 350,000 illegal abortions carried out each year?")
    assert missing(asked, Scope("Estimates state about 350 thousand illegal abortions each year.")) == []
    assert missing(asked, Scope("Estimates state about 35 thousand illegal abortions each year.")) == [
        "350000"
    ]


def test_a_preposition_ends_the_kind_of_value_asked() -> None:
    # "according to organizers" says whose count, not what is counted
    assert value_kind_words("march from victoria park how many people according to organizers") == {"peopl"}
    assert value_kind_words("how many people per day visit the park") == {"peopl"}


def test_a_name_typed_without_its_accents_is_stated_by_the_accented_name() -> None:
    assert entities_stated_in([("kilauea",), ("vucic",)], "Kīlauea erupted; Aleksandar Vučić spoke.") == [
        True,
        True,
    ]
    assert missing(question_constraints("Did Kilauea erupt?"), Scope("Kīlauea was still erupting.")) == []
