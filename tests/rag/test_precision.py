"""The answer gets the precision of its supporting sentence: dates, qualifiers, units."""

from __future__ import annotations

import pytest

from index.models import ResolvedDate
from rag.precision import AnswerPrecision, full_name, name_for, numbers_agree, written_for
from rag.quantities import quantities

P = AnswerPrecision()
FIRE = "The roof of Notre Dame cathedral caught fire yesterday."
YESTERDAY = ResolvedDate(FIRE.index("yesterday"), FIRE.index("yesterday") + 9, "yesterday", "2019-04-15")


@pytest.mark.parametrize(
    ("question", "claim", "sentence", "expected"),
    [
        (
            "How many firefighters fought the fire?",
            "400",
            "Reportedly over 400 firefighters fought it.",
            "over 400",
        ),
        (
            "How many firefighters fought the fire?",
            "400 firefighters",
            "Over 400 firefighters fought it.",
            "over 400 firefighters",
        ),
        ("平丘克去过多少个国家？", "60个国家", "他曾前往非洲和大洋洲的60多个国家。", "60多个国家"),
        ("平丘克去过多少个国家？", "60", "他曾前往非洲和大洋洲的60多个国家。", "60多个"),
        ("UFC为这场赛事花了多少钱？", "6000万美元", "他们为这场赛事花费了6000多万美元。", "6000多万美元"),
        ("余震发生了多少次？", "500次", "这是发生的500多次余震中的最新一次。", "500多次"),
        ("他是几月访问北京的？", "4", "他在4月访问了北京。", "4月"),
        # across languages the qualifier is translated
        (
            "阿里云现在服务多少客户？",
            "140万",
            "Aliyun said it now serves more than 1.4 million customers.",
            "超过140万",
        ),
        ("How many journalists is China holding?", "51", "目前至少有51名记者在押。", "at least 51"),
        (
            "How much is CEPI giving Moderna?",
            "$50 million",
            "将向莫德纳公司拨款最多可达5000万美元。",
            "up to $50 million",
        ),
        # a negated bound is the opposite bound: "must not exceed" is at most
        (
            "中国每人每年能换多少外汇？",
            "5万美元",
            "中国的金融监管机构限制个人每年外汇结汇不得超过5万美元。",
            "不得超过5万美元",
        ),
        (
            "whats china's yearly per-person cap on converting foreign currency",
            "$50,000",
            "中国的金融监管机构限制个人每年外汇结汇不得超过5万美元。",
            "up to $50,000",
        ),
        ("How many guests may attend?", "400", "No more than 400 guests may attend.", "no more than 400"),
        # number words count by value
        (
            "How many lions do the lodges keep?",
            "6,000",
            "They house more than six thousand lions.",
            "more than 6,000",
        ),
        (
            "How much had China invested?",
            "$9 billion",
            "China has invested about nine billion US dollars.",
            "about $9 billion",
        ),
        # a sum keeps the currency its sentence writes it in
        ("what is anthropic valued at", "965 billion", "Anthropic最近估值为9650亿美元。", "$965 billion"),
        ("How much did the deal cost?", "2.1 billion", "The deal cost €2.1 billion.", "€2.1 billion"),
        # and the currency written after it in English, given to a Chinese reader as Chinese writes it
        ("悬赏多少钱？", "1,000,000", "They offered a one million US dollar reward.", "100万美元"),
        ("How big was the loan?", "38.8 million", "It covers HDT's 38.8 million euro loan.", "€38.8 million"),
        (
            "How much is CEPI giving Moderna?",
            "50 million",
            "CEPI gives up to US$50 million.",
            "up to US$50 million",
        ),
        # an article after a qualifier of several words ("up to a"), not after "about" or "over"
        (
            "how big is the bonus bet",
            "$1,000",
            "New sign-ups are eligible to receive up to a $1,000 Bonus Bet if their first bet loses.",
            "up to $1,000",
        ),
        ("How much was the fee?", "$5", "Riders complained about a $5 fee.", "$5"),
        # a number the sentence writes in Chinese numerals keeps its qualifier too
        ("全世界会有多少人看？", "10亿", "“全世界将有超过十亿人观看。", "超过10亿"),
        ("How many people will watch?", "1 billion", "“全世界将有超过十亿人观看。", "more than 1 billion"),
    ],
)
def test_a_number_keeps_the_qualifier_and_unit_of_its_sentence(question, claim, sentence, expected):
    assert P.run(question, claim, sentence) == expected


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        ("400", "400 firefighters fought it."),  # nothing to restore
        ("over 400", "Over 400 firefighters fought it."),  # already qualified
        ("300", "Over 400 firefighters fought it."),  # another number: not this step's business
        ("40", "About 40 came on Monday and over 40 on Tuesday."),  # the sentence is ambiguous
        ("2015年3月", "It opened in about 3 months, in March 2015."),  # numbers inside dates are dates
        ("50 million", "50 million people live there."),  # no currency: none added
        ("50 million", "It raised $50 million from 50 million users."),  # the value written twice
    ],
)
def test_nothing_is_added_that_the_sentence_does_not_state(claim, sentence):
    assert P.run("How many?", claim, sentence) == claim


def test_a_when_question_gets_the_day_the_sentence_resolved():
    q = "What day did the roof of Notre Dame catch fire?"
    assert P.run(q, "April 2019", FIRE, [YESTERDAY]) == "15 April 2019"
    assert P.run(q, "yesterday", FIRE, [YESTERDAY]) == "15 April 2019"
    assert P.run("巴黎圣母院是哪天着火的？", "2019年4月", FIRE, [YESTERDAY]) == "2019年4月15日"
    assert (
        P.run("When did he walk in space?", "1965", "On March 18, 1965, he walked in space.")
        == "18 March 1965"
    )


def test_a_typed_question_for_the_date_gets_the_day_and_one_for_a_count_to_date_nothing():
    """Round twenty's s53-13, typed "exact date ..." with no "when": the article's "yesterday" gives the day."""
    assert P.run("exact date notre dame caught fire", "April 2019", FIRE, [YESTERDAY]) == "15 April 2019"
    assert P.run("fires in paris to date?", "April 2019", FIRE, [YESTERDAY]) == "April 2019"


def test_a_question_about_the_year_or_month_keeps_it():
    assert P.run("In what year did the roof burn?", "2019", FIRE, [YESTERDAY]) == "2019"
    assert P.run("阿里云是哪一年成立的？", "2009年", "Established in 2009, Aliyun grew.") == "2009年"
    assert P.run("Which month did it burn?", "April 2019", FIRE, [YESTERDAY]) == "April 2019"


def test_a_date_is_not_sharpened_when_the_sentence_gives_two_finer_ones():
    s = "It was tested on March 3, 2015 and opened on March 20, 2015."
    assert P.run("When did it open?", "March 2015", s) == "March 2015"


def test_quantities_read_digits_scales_and_words():
    values = [
        (q.value, q.kind)
        for q in quantities("over 1.4 million, 140万以上, 60多个, some 2,000 and six thousand")
    ]
    assert [(float(v), k) for v, k in values] == [
        (1.4e6, "more"), (1.4e6, "more"), (60, "more"), (2000, "about"), (6000, None)
    ]  # fmt: skip


TOWNS = "The governor said the towns damaged were primarily Carrascal, Cantilan, Madrid, Carmen, Lanuza, and Cortes."
TRADE = "此外，印度近期已与阿曼、新西兰、英国和欧盟完成贸易协议。"


@pytest.mark.parametrize(
    ("question", "claim", "sentence", "expected"),
    [
        (
            "Which towns were mainly damaged?",
            "Carrascal and Madrid",
            TOWNS,
            "Carrascal, Cantilan, Madrid, Carmen, Lanuza, and Cortes",
        ),
        (
            "What were the names of the lions?",
            "Rambo",
            "It was home to three lions: Rambo, Katryn and Nakita.",
            "Rambo, Katryn and Nakita",
        ),
        ("印度最近跟哪些国家或组织谈成了贸易协议？", "阿曼和新西兰", TRADE, "阿曼、新西兰、英国和欧盟"),
        (
            "哪些中国企业被列入名单？",
            "比亚迪",
            "美国将包括比亚迪、阿里巴巴以及百度等多家知名中国企业列入名单。",
            "比亚迪、阿里巴巴以及百度",
        ),
    ],
)
def test_a_question_asking_for_several_gets_every_listed_item(question, claim, sentence, expected):
    assert P.run(question, claim, sentence) == expected


def test_a_list_is_not_completed_for_one_thing_or_for_items_it_does_not_hold():
    assert P.run("Which town was damaged most?", "Madrid", TOWNS) == "Madrid"
    assert P.run("Which towns were damaged?", "Paris and Madrid", TOWNS) == "Paris and Madrid"
    full = "Carrascal, Cantilan, Madrid, Carmen, Lanuza, and Cortes"
    assert P.run("Which towns were damaged?", full, TOWNS) == full


def test_the_qualifier_is_written_in_the_readers_language_with_its_amount():
    # a Chinese question answered with the English article's words gets the whole amount in Chinese
    assert P.run(
        "阿里云现在服务多少客户？", "1.4 million", "It now serves more than 1.4 million customers."
    ) == ("超过140万")


@pytest.mark.parametrize(
    ("question", "claim", "sentence", "expected"),
    [
        (
            "Where did Doris Day die?",
            "California",
            "Doris Day died on Monday at her home in Carmel Valley, California.",
            "Carmel Valley, California",
        ),
        (
            "In which town did it crash?",
            "California",
            "It crashed near Fairfield, California.",
            "Fairfield, California",
        ),
        # a list's last item, a list without "and", or a question not about a place: left as it is
        ("Where were the games held?", "Brisbane", "Games in Sydney, Melbourne and Brisbane.", "Brisbane"),
        ("Where did he live?", "California", "He lived in Sydney, Melbourne, California.", "California"),
        ("Who won?", "California", "The winner was Carmel Valley, California.", "California"),
    ],
)
def test_a_place_gets_the_part_the_sentence_names_before_it(question, claim, sentence, expected):
    assert AnswerPrecision().run(question, claim, sentence) == expected


def test_a_chinese_question_answered_in_english_gets_the_sentences_own_number_and_measure_word():
    sentence = "2026年台北国际电脑展这个星期二起一连举行4天。"
    assert AnswerPrecision().run("2026年台北国际电脑展持续几天？", "4 days", sentence) == "4天"
    # an English question keeps its English answer; two "4"s leave it as it is
    assert AnswerPrecision().run("How many days did Computex last?", "4 days", sentence) == "4 days"
    # two "4"s: the sentence's words cannot be told apart, so the amount is written for the reader
    assert AnswerPrecision().run("持续几天？", "4 days", "举行4天，之后又举行4天。") == "4天"


def test_a_short_name_is_given_as_its_article_writes_it_in_full() -> None:
    article = "The Minnesota Vikings beat the Bears. OpenAI CEO Sam Altman watched. The Vikings are 5-4."
    assert full_name("Vikings", article) == "Minnesota Vikings"
    assert full_name("Altman", article) == "Sam Altman"  # the title and the company are not his name
    # two people of that name, or none longer: left alone
    trumps = "President Donald Trump and First Lady Melania Trump arrived. Trump spoke."
    assert full_name("Trump", trumps) == "Trump"
    assert full_name("Bears", article) == "Bears"
    # only a whole answer that is a short name
    assert full_name("the Vikings won 24-10", article) == "the Vikings won 24-10"
    # a sentence's end or a possessor before the name is not part of it; an initial is
    assert full_name("SARS-CoV-2", "It reached Canada. SARS-CoV-2 spread.") == "SARS-CoV-2"
    assert full_name("Cipriani Dolci", "New York City's Cipriani Dolci closed.") == "Cipriani Dolci"
    assert full_name("Guy", "Mathematician Richard K. Guy died.") == "Richard K. Guy"
    # a word that opens a sentence is capitalised anyway, unless the article writes it as a name elsewhere
    using = "The trial began.\n\nUsing Caroline Ellison, his girlfriend, as a front. Ellison testified."
    assert full_name("Caroline Ellison", using) == "Caroline Ellison"
    assert full_name("Altman", "Sam Altman was fired. Later, CEO Sam Altman spoke.") == "Sam Altman"


def test_a_day_of_a_range_becomes_the_range_the_sentence_states() -> None:
    sentence = "UH dispatched the research ship from July 13 to 17 of last year, when Kilauea erupted."
    start = sentence.index("July 13")
    dates = [ResolvedDate(start, start + len("July 13 to 17"), "July 13 to 17", "2018-07-13/2018-07-17")]
    question = "when was the uh research ship out at the kilauea lava flow"
    assert AnswerPrecision().run(question, "July 13", sentence, dates) == "13 to 17 July 2018"
    assert AnswerPrecision().run(question, "July 2018", sentence, dates) == "13 to 17 July 2018"
    assert (
        AnswerPrecision().run("研究船是什么时候出海的", "July 13", sentence, dates) == "2018年7月13日至17日"
    )


def test_a_decade_and_a_day_keep_what_they_are() -> None:
    precision = AnswerPrecision()
    # "2000年代" is the 2000s, not the year 2000
    sentence = "在2000年代，时任总统乔治·W·布什(George W. Bush)每年都会邀请孩子们到草坪上的临时棒球场玩耍。"
    assert precision.run("布什是哪一年开始请孩子们来玩的", "2000", sentence) == "2000年代"
    # the "3" of "5月3日" is a day: a count taken from it gets no measure word
    sentence = "特朗普5月3日下令启动“自由项目”(Project Freedom)，这是美国军方主导的一项人道主义行动。"
    assert precision.run("美军出动了几艘军舰", "3", sentence) == "3"


def test_the_day_of_a_date_states_no_count() -> None:
    assert not numbers_agree("3", "特朗普5月3日下令启动“自由项目”")
    assert numbers_agree("5月3日", "特朗普5月3日下令启动“自由项目”")
    assert numbers_agree("3 ships", "3 ships left on May 3")


@pytest.mark.parametrize(
    ("claim", "reader", "expected"),
    [
        ("不得超过5万美元", "en", "up to $50,000"),
        ("10亿美元", "en", "$1 billion"),
        ("约14", "en", "about 14"),
        ("60多个", "en", "more than 60"),
        ("some 60 thousand", "zh", "约6万"),
        ("185 thousand", "zh", "18.5万"),
        ("14 hours", "zh", "14小时"),
        ("$1 billion", "zh", "10亿美元"),
        # a unit of two readings, a name, a time, two amounts: left as written
        ("7,800亿元", "en", "7,800亿元"),
        ("120 mph", "zh", "120 mph"),
        ("紫罗兰", "en", "紫罗兰"),
        ("5:00 p.m. (2100 UTC)", "zh", "5:00 p.m. (2100 UTC)"),
        ("415 thousand priests and 660 thousand nuns", "zh", "415 thousand priests and 660 thousand nuns"),
        # already in the reader's language
        ("5万美元", "zh", "5万美元"),
        ("$50,000", "en", "$50,000"),
    ],
)
def test_an_amount_in_the_other_language_is_written_for_the_reader(claim, reader, expected):
    assert written_for(claim, reader) == expected


def test_an_english_question_answered_from_a_chinese_sentence_gets_an_english_amount():
    sentence = "中国的金融监管机构限制个人每年外汇结汇不得超过5万美元。"
    assert (
        P.run("whats china's yearly cap on converting foreign currency", "5万美元", sentence)
        == "up to $50,000"
    )


MINISTER = "摩洛哥能源转型部长莱拉·贝纳利(Leila Benali)表示，两国将扩大合作。"


@pytest.mark.parametrize(
    ("claim", "reader", "expected"),
    [
        ("莱拉·贝纳利", "en", "Leila Benali (莱拉·贝纳利)"),
        ("贝纳利。", "en", "Leila Benali (贝纳利)"),
        # a Chinese reader, a phrase, a name the sentence does not gloss: left as written
        ("莱拉·贝纳利", "zh", "莱拉·贝纳利"),
        ("能源转型部长莱拉·贝纳利和大使", "en", "能源转型部长莱拉·贝纳利和大使"),
        ("布坎", "en", "布坎"),
    ],
)
def test_a_chinese_name_answered_to_an_english_question_is_given_as_its_sentence_glosses_it(
    claim, reader, expected
):
    assert name_for(claim, MINISTER, reader) == expected


def test_an_english_question_answered_with_a_chinese_name_gets_its_gloss_through_the_precision_step():
    assert (
        P.run("whos moroccos energy transition minister", "莱拉·贝纳利", MINISTER)
        == "Leila Benali (莱拉·贝纳利)"
    )


ARMY = "After Mugabe fired his vice president, the army moved on November 15, 2017, having first placed him under house arrest."


@pytest.mark.parametrize(
    ("question", "claim", "expected"),
    [
        ("what date did the zimbabwe army move on mugabe", "November 15", "15 November 2017"),
        ("津巴布韦军队哪天对穆加贝采取行动", "11月15日", "2017年11月15日"),
        # another day than the sentence's, or more than a day: left as written
        ("what date did the zimbabwe army move on mugabe", "November 16", "November 16"),
        ("what date did the zimbabwe army move on mugabe", "November 15 and 16", "November 15 and 16"),
    ],
)
def test_a_day_answered_without_its_year_gets_the_year_its_sentence_writes(question, claim, expected):
    assert P.run(question, claim, ARMY) == expected


def test_a_name_with_latin_initials_is_glossed_by_its_chinese_part() -> None:
    article = "美国副总统JD·万斯(JD Vance)在X上说。届时美国副总统JD·万斯将代表美国出席。"
    assert name_for("JD·万斯", article, "en") == "JD Vance (JD·万斯)"
    assert name_for("JD·万斯", article, "zh") == "JD·万斯"


@pytest.mark.parametrize(
    ("question", "claim", "sentence", "expected"),
    [
        # the part of the month its sentence gives, as written there or in the claim's language
        (
            "when did the song top spotify",
            "October 2023",
            "It rose to the top in late October.",
            "late October 2023",
        ),
        ("这首歌什么时候登顶", "2023年10月", "It rose to the top in late October.", "2023年10月下旬"),
        # an English claim to a Chinese question is written for its reader first
        ("这首歌什么时候登顶", "October 2023", "It rose to the top in late October.", "2023年10月下旬"),
        ("这首歌什么时候登顶", "2023年10月", "这首歌于10月底登顶。", "2023年10月底"),
        ("when did it open", "June 2019", "It opened at the end of June.", "end of June 2019"),
        ("when did it open", "June 2019", "该馆于6月中旬开放。", "mid-June 2019"),
        # a day is finer than a part; two parts of the month do not say which; nor does another month
        ("when did it open", "5 June 2019", "It opened in early June.", "5 June 2019"),
        ("when did it open", "June 2019", "It closed in early June and opened in late June.", "June 2019"),
        ("when did it open", "July 2019", "It opened in late June.", "July 2019"),
    ],
)
def test_a_month_keeps_the_part_of_it_its_sentence_gives(question, claim, sentence, expected):
    assert P.run(question, claim, sentence) == expected
