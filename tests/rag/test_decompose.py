import pytest

from rag.decompose import (
    _source_names,
    asks_what,
    days_in,
    decompose,
    decompose_detailed,
    is_yes_no_question,
    mentioned_sources,
    strip_sources,
    without_tag,
)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Did Engadget report the price cut on the headphones before The Verge reported the new firmware?",
            ["Did Engadget report the price cut on the headphones", "The Verge reported the new firmware"],
        ),
        (
            "Which happened first: the bridge closure in Lisbon or the metro strike in Porto?",
            ["the bridge closure in Lisbon happened", "the metro strike in Porto happened"],
        ),
        (
            "Who resigned earlier: the finance minister Ana Costa or the central bank governor Rui Melo?",
            ["the finance minister Ana Costa resigned", "the central bank governor Rui Melo resigned"],
        ),
        (
            "Does the Reuters article say the harvest failed, while the BBC article suggests prices fell sharply?",
            [
                "Does the Reuters article say the harvest failed",
                "the BBC article suggests prices fell sharply",
            ],
        ),
        (
            "How many days after the dam burst did the government declare an emergency?",
            ["the dam burst", "the government declare an emergency"],
        ),
    ],
)
def test_two_sided_questions_split(question, parts):
    assert decompose(question) == parts


def test_between_question_carries_topic_and_dates_to_each_side():
    q = (
        "Between the report from 'Daily Planet' on 2021-03-04 and the report from 'Gotham Post' on "
        "March 6, 2021, is there consistency in the account of the harbour fire?"
    )
    a, b = decompose_detailed(q)
    assert a.text.startswith("the report from 'Daily Planet'") and a.text.endswith(
        "the account of the harbour fire"
    )
    assert b.text.startswith("the report from 'Gotham Post'") and b.text.endswith(
        "the account of the harbour fire"
    )
    assert a.days == (20210304,) and b.days == (20210306,)


def test_do_both_question_splits_per_report():
    q = "Do both the report from the Herald and the report from the Courier say that the mayor resigned?"
    assert decompose(q) == [
        "the report from the Herald say that the mayor resigned",
        "the report from the Courier say that the mayor resigned",
    ]


@pytest.mark.parametrize(
    "question",
    [
        "When did Aliyun open its first US data center?",
        "What did the company announce after the merger?",  # not a yes/no question: "after" stays
        "Has the price of wheat, as reported by the Herald after 2023-10-04, remained stable?",  # a window
        "Which team won the final while playing without its captain?",
        "香港大埔宏福苑严重火灾发生在哪一天？",
    ],
)
def test_single_questions_stay_whole(question):
    assert decompose(question) == [question]


def test_named_sources_are_found_by_short_name_and_stripped():
    known = ["The Independent - Life and Style", "TechCrunch", "The Verge", "Wired"]
    q = "Did TechCrunch and the Independent both cover it, according to 'The Verge'?"
    found = mentioned_sources(q, known)
    assert set(found) == {"The Independent - Life and Style", "TechCrunch", "The Verge"}
    assert "Verge" not in strip_sources(q, found) and "TechCrunch" not in strip_sources(q, found)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a short name that is an ordinary word names the source only when written as a name
        ("how old was greta thunberg's age when she began", []),
        ("Who is under 30 and the richest in that age group, as TechCrunch reported?", ["TechCrunch"]),
        ("Was there an independent inquiry into the fire?", []),
        ("Is the bank on the verge of collapse?", []),
        ("a wired connection", []),
        ("Age of the oldest man alive?", []),  # a capital that opens the sentence says nothing
        ("According to The Age, who won the Melbourne Cup?", ["The Age"]),
        ("Did the Verge report it?", ["The Verge"]),
        ("the report from 'Wired' on 2023-11-25", ["Wired"]),
        # a coined name, or a longer one, is a source however it is typed
        ("what did techcrunch say about openai", ["TechCrunch"]),
        ("what does the sydney morning herald say about rates", ["The Sydney Morning Herald"]),
        # in lower case, an ordinary word names the source where only an outlet fits
        ("who won the cup, according to the age?", ["The Age"]),
        ("what does the age say about the cup", ["The Age"]),
        ("per the verge, when does it ship", ["The Verge"]),
        ("in the verge's ftx code review piece, how far negative was alameda", ["The Verge"]),
        ("wired reported a breach at which company?", ["Wired"]),
        ("what did it cost (wired)", ["Wired"]),
        ("the independent says the match ended 2-1", ["The Independent - Sports"]),
        ("what was the age listed at the age of 22", []),  # neither is said by an outlet
        ("the independent candidate said what", []),
        ("her guardian said she was 14", []),  # The Guardian's name has its "the"
        ("wired's connection speed", []),  # a possessive names an outlet only before its piece
        ("according to the age of the victim", []),
        # initials, and a name joined to its domain
        ("how much tax did he pay according to the nyt", ["The New York Times"]),
        ("smh says rates rise", ["The Sydney Morning Herald"]),
        ("per cbs sports, who is injured", ["CBSSports.com"]),
    ],
)
def test_a_source_named_by_an_ordinary_word_needs_a_capital_or_an_outlets_place(text, named):
    known = [
        "The Age",
        "The Verge",
        "Wired",
        "The Independent - Sports",
        "TechCrunch",
        "The Sydney Morning Herald",
        "The Guardian",
        "The New York Times",
        "CBSSports.com",
    ]
    assert mentioned_sources(text, known) == named


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("The New York Times", {"the new york times", "new york times", "nyt"}),
        ("CBSSports.com", {"cbssports.com", "cbssports", "cbs sports"}),
        (
            "Live Science: The Most Interesting Articles",
            {"live science: the most interesting articles", "live science"},
        ),
        (
            "The Roar | Sports Writers Blog",
            {"the roar | sports writers blog", "roar | sports writers blog", "the roar", "roar"},
        ),
        ("Los Angeles Times", {"los angeles times"}),  # its initials spell a word: no "lat"
    ],
)
def test_source_names_include_short_names_initials_and_domain_parts(source, names):
    assert _source_names(source) == names


def test_days_in_reads_written_and_iso_dates():
    assert days_in("on November 6, 2023 and 2023-12-15 and 6 June 2024 and 2026年3月3日") == [
        20231106,
        20231215,
        20240606,
        20260303,
    ]
    # inside Chinese text too (no word boundary around the date), and never a day the month lacks
    assert days_in("根据香港政府2026年3月23日修订的细则") == [20260323]
    assert days_in("on February 30, 2023") == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Did Engadget report a discount before The Verge did?", True),
        ("Between the report of Oct 7 and that of Oct 12, was there a change in focus?", True),
        ("Was X reported before or after Y?", False),  # asks which, not whether
        ("When did Aliyun open its first US data center?", False),
        ("他们会来吗？", True),
        ("这是不是真的？", True),
        ("卢比奥愿不愿意用解除制裁换伊朗重开霍尔木兹海峡", True),  # any verb, 不, the verb again
        ("是否会延期？", True),
        ("美国太平洋司令部是什么？", False),  # 什么 ends in 么 but asks "what"
        ("王丹怎么说？", False),
        ("那个奥地利女政客告facebook诽谤赢了没", True),  # A-not-A ending in 没
        ("C罗拿过世界杯冠军没有", True),
        ("他为什么没有来", False),  # a question word asks something else
    ],
)
def test_yes_no_questions_are_told_from_the_rest(question: str, expected: bool) -> None:
    assert is_yes_no_question(question) is expected


def test_between_two_parties_to_one_claim_is_one_question() -> None:
    """ "between A and B" splits a question in two only when A and B are reports or times."""
    assert decompose_detailed("did russia broker the deal between the sdf and damascus") == []
    parts = decompose_detailed(
        "Was there a change in tone between the TechCrunch report on October 2 and the Verge article on October 5?"
    )
    assert len(parts) == 2


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What was the job of the lone survivor of the crash?", True),
        ("Who else was Time considering for Person of the Year?", True),
        ("美国5月份食品价格涨了多少？", True),
        ("did boris win the tory leadership race", False),  # a yes/no form
        ("boris got more than 100k votes in the tory leadership race?", False),  # a claim, no form
        ("中国国防部长今年去香格里拉对话会了吗", False),
        ("C罗拿过世界杯冠军没有", False),
        ("美国植物园这次开的两株尸花有多高", True),
        ("里克·斯科特要取消OPT的那个法案叫啥", True),
        ("whats the new exhibit at the dar museum in dc called", True),
        ("in which city did trump meet xi", True),
        ("After the fire, who rebuilt the spire?", True),
        ("mir-mohammadi was 71 when he died", False),  # "when" opens a clause of the claim
        ("so the riaa is the one who sent github the dmca notice?", False),
        ("他几乎赢了", False),  # 几乎 "almost" asks nothing
        ("Considering the Verge and CNET reports, which feature, new this year, is shared?", True),
        ("the children killed on the church bus were all from which town?", True),
        ("the riaa is the one who sent github the notice?", False),  # "who sent": the claim's clause
        ("卢比奥愿不愿意用解除制裁换伊朗重开霍尔木兹海峡", False),  # A-not-A: whether
        ("the 2 democrats who voted no on both trump impeachment articles?", True),  # a group's members
        ("the two senators who sponsored it are republicans", False),  # a copula: a claim
    ],
)
def test_asks_what_tells_questions_that_ask_for_something_else(question: str, asks: bool) -> None:
    assert asks_what(question) is asks


@pytest.mark.parametrize(
    ("question", "claim"),
    [
        ("kokesh ran as a libertarian in 2010, yeah?", "kokesh ran as a libertarian in 2010"),
        ("the fine is $500, right?", "the fine is $500"),
        ("他是共和党人，对吧？", "他是共和党人"),
        ("trump spoke in person, didn't he?", "trump spoke in person"),
        ("was the vote binding?", "was the vote binding"),  # no tag
    ],
)
def test_without_tag_leaves_the_claim_a_confirming_tag_asks_about(question: str, claim: str) -> None:
    assert without_tag(question) == claim
