"""Rules on an answer's text (`rag.answer_rules`): each refuses an answer that does not give what was asked."""

from __future__ import annotations

from rag.answer_rules import (
    ages_the_possessor,
    answers_a_claim_with_a_value,
    answers_another_kind,
    asked_days,
    composes_a_name,
    counts_a_part,
    dates_another_day,
    dates_outside_the_asked_year,
    gives_a_count_for_a_share,
    gives_a_length_for_a_time,
    gives_a_share_for_a_count,
    gives_another_persons_age,
    gives_no_amount,
    gives_no_reason,
    lacks_the_asked_time,
    names_another_kind_of_place,
    names_no_one,
    names_only_the_question,
    names_only_the_speaker,
    picks_from_a_list,
    places_the_unnamed,
    restates_question,
    states_another_month,
    states_another_part_of_the_month,
    states_another_year,
)

MUKHERJEE = [
    "Former President of India Pranab Mukherjee dies aged 84. On Monday, Pranab Mukherjee died. "
    "His death was announced by his son Abhijit Mukherjee via Twitter."
]
SAID = "Civil Aviation Minister Hardeep Singh Puri said 18 people died."


def test_picking_one_of_the_questions_options_or_answering_yes_is_not_a_restatement() -> None:
    assert not restates_question("Who left first: Bill de Blasio or Beto O'Rourke?", "Bill de Blasio [1]")
    assert not restates_question("Did the roof of Notre-Dame catch fire?", "Yes, the roof caught fire [1]")
    assert restates_question("苏莱曼尼葬礼上的踩踏事件发生在哪座城市？", "踩踏事件发生在苏莱曼尼葬礼上 [1]")


def test_an_answer_naming_only_what_the_question_named_is_a_restatement_unless_it_picks_an_option() -> None:
    assert restates_question("What was the name of the American who died in Wuhan?", "American [1]")
    assert restates_question("What pen name did Thomas Pauken II write under?", "Thomas Pauken II [1]")
    assert not restates_question("Which came first, the Apple report or the Google one?", "Google [1]")
    assert not restates_question("What was the name of the American who died in Wuhan?", "Jane Doe [1]")
    # a possessor the question names, written in full, names nothing new; another person does
    assert restates_question("who is trump's doctor", "Donald Trump's doctors [1][2]")
    assert not restates_question("who is trump's wife", "Melania Trump [1]")


def test_a_number_the_question_gives_in_words_is_no_answer_to_it() -> None:
    # "七项" is the seven counts he faces, not the years he may get
    assert restates_question("zhukovskyy七项过失杀人罪最高可能判几年", "7 [1]")
    assert not restates_question("zhukovskyy被控几项过失杀人罪", "7 [1]")


def test_an_answer_naming_only_the_questions_own_subject_is_refused() -> None:
    question = "Who announced Mukherjee's death?"
    # the question's subject, as the article first names him, is not who announced his death
    assert names_only_the_question(question, "Pranab Mukherjee died. [1]", MUKHERJEE)
    assert names_only_the_question(question, "Mukherjee [1]")
    assert names_only_the_question("飓风多里安在巴哈马的什么地方登陆？", "巴哈马 [1]")
    # someone else of the same name, a new name, a number, a chosen option or an asked-for name answers
    assert not names_only_the_question(question, "Abhijit Mukherjee, his son [1]", MUKHERJEE)
    assert not names_only_the_question(question, "Pranab Mukherjee [1]")  # no text says who he is
    assert not names_only_the_question("How long was Jimmy Lai sentenced to?", "Jimmy Lai, 20 years [1]")
    # the kind asked for is no name the question gives, capitalised or not
    park = [
        "Baby finds drugs. A mother called police after her daughter found a bag at the McDonald Park playground."
    ]
    assert not names_only_the_question(
        "that Kamloops fentanyl story - which Park was it", "McDonald Park [1]", park
    )
    assert names_only_the_question("Which park is near Kamloops Park?", "Kamloops Park [1]", park)
    assert not names_only_the_question("Who won, Biden or Sanders?", "Biden [1]")
    assert not names_only_the_question("Between the Vikings and the Bears, who won?", "Vikings [1]")
    assert not names_only_the_question("What is Mukherjee's full name?", "Pranab Mukherjee [1]", MUKHERJEE)
    # a place qualified by one the question names is still a new place
    assert not names_only_the_question("Which town in Louisiana were they from?", "Marksville, Louisiana [1]")
    assert not names_only_the_question(question, "Yes [1]")
    # a description answers a question that asks for none of a who, a which or a where
    assert not names_only_the_question("What was Mukherjee doing in Delhi?", "Mukherjee was resting [1]")


def test_a_question_typed_in_lower_case_names_what_it_writes() -> None:
    # no capitals to find "rubio" and "washington" by: the answer still names only what was typed
    typed = "who did rubio meet in washington friday re the Iran deal"
    assert names_only_the_question(typed, "Rubio met in Washington on Friday . [1]")
    assert names_only_the_question("who replaced smith as ceo", "Smith [1]")
    # a name of which the question writes only a part, or a new name, answers
    assert not names_only_the_question("where was the trump rally", "Trump Tower [1]")
    assert not names_only_the_question(typed, "Ishaq Dar [1]")


def test_a_why_question_answered_with_a_sentence_stating_no_reason_is_refused() -> None:
    restated = "Matty Roberts initially posted an event invitation on Facebook. [1]"
    assert gives_no_reason("why did roberts post the area 51 event on facebook", restated)
    assert gives_no_reason("罗伯茨当初为啥在脸书上发冲击51区的活动", restated)  # in either language
    dated = "Trump opened the door to re-implementing sanctions after the nuclear deal was signed. [1]"
    assert gives_no_reason("why did the us loosen sanctions on russian oil", dated)  # "after" only dates it
    # a cause or a purpose, in either language, or a short reply naming the cause alone
    assert not gives_no_reason("why did iran ban him", "He was banned for playing against an Israeli. [1]")
    assert not gives_no_reason(
        "why did they run an all-women crew", "They ran it to promote gender equality. [1]"
    )
    assert not gives_no_reason("萨拉米为啥被美国制裁", "萨拉米被美国制裁是因为他是石油总部的财务主管。[1]")
    assert not gives_no_reason("why did they run an all-women crew", "International Women's Day [1]")
    assert not gives_no_reason("why did the minister die", "The minister died of COVID-19 in Tehran. [1]")
    assert not gives_no_reason("why did she resign", "She resigned amid corruption allegations. [1]")
    # "恢复为什么" asks what it was renamed to, not why
    assert not gives_no_reason(
        "司令部的名称恢复为什么？", "美国太平洋司令部的名称恢复为之前的美国太平洋司令部[1]。"
    )


def test_a_question_for_an_amount_answered_with_no_number_is_refused() -> None:
    assert gives_no_amount("特郎普想阻止交出几年的报税表", "Trump refused to release his tax returns. [1]")
    assert gives_no_amount("how much did the prize pay", "Argentina [1]")
    # numbers in words, in either language, and counts with no digits
    assert not gives_no_amount("特朗普想阻止交出几年的报税表", "八年 [1]")
    assert not gives_no_amount("how many tax returns", "eight years of tax returns [1]")
    assert not gives_no_amount("how many people came", "a few dozen, far fewer than expected [1]")
    assert not gives_no_amount("how many were hurt", "no one [1]")
    assert not gives_no_amount("几乎所有人都去了吗", "Yes [1]")  # 几乎 is "almost"
    # "哪几项" asks which ones, named (round twenty's s53-40)
    assert not gives_no_amount("政府要完善哪几项关键资源的供应", "土地、人才、水、电 [1]")
    # a share in words, a degree or a time is no count to give
    assert not gives_no_amount("how much of the city was flooded", "most of the city [1]")
    assert not gives_no_amount("how much did the storm affect the harvest", "it ruined the crop [1]")
    assert not gives_no_amount("这次制裁对伊朗有多大影响", "伊朗石油出口受到严重打击[1]")


def test_a_relatives_age_answered_with_the_named_persons_is_refused() -> None:
    dorsa = "Dorsa Derakhshani is currently 21 years old and holds the International Master title."
    assert ages_the_possessor("how old is dorsa derakhshani's brother borna", "21 [1]", [dorsa])
    assert not ages_the_possessor("how old is dorsa derakhshani", "21 [1]", [dorsa])
    brother = "Her brother Borna, 19, plays for the English Federation."
    assert not ages_the_possessor("how old is dorsa derakhshani's brother borna", "19 [1]", [brother])
    # a family name alone may be the relative's too: "Melania Trump, 49"
    assert not ages_the_possessor("how old is trump's wife", "49 [1]", ["Melania Trump, 49, said ..."])


def test_the_speaker_of_the_cited_sentence_is_not_what_an_unrelated_question_asks_for() -> None:
    # the sentence says the minister spoke, not that he was the pilot (asked in Chinese or English)
    assert names_only_the_speaker("在卡利卡特空难中遇难的机长叫什么名字？", "Hardeep Singh Puri [1]", [SAID])
    assert names_only_the_speaker(
        "What was the name of the pilot killed in Calicut?", "Hardeep Singh Puri", [SAID]
    )
    appositive = "Hardeep Singh Puri, the civil aviation minister, said 18 people died."
    assert names_only_the_speaker("Who was the pilot killed in Calicut?", "Hardeep Singh Puri", [appositive])
    assert names_only_the_speaker("Who flew the plane?", "Puri", ["According to Puri, 18 people died."])
    assert names_only_the_speaker("谁驾驶了这架飞机？", "马志勇", ["马志勇表示有18人死亡。"])


def test_a_speaker_reporting_what_others_did_is_not_what_the_question_asks_for() -> None:
    # the sentence shares words with the question, but they are in what the expert said
    expert = "Public health expert Wendy Parmet said the American who died in Wuhan was 60."
    assert names_only_the_speaker(
        "What was the name of the American who died in Wuhan?", "Wendy Parmet", [expert]
    )
    # a speaker speaking of themselves can be the answer
    assert not names_only_the_speaker("Who won the race?", "Smith", ["Smith said he won the race easily."])


def test_a_speaker_is_an_answer_when_the_question_asks_who_said_it_or_the_sentence_states_the_relation() -> (
    None
):
    assert not names_only_the_speaker("Who said 18 people died in Calicut?", "Hardeep Singh Puri", [SAID])
    assert not names_only_the_speaker("谁宣布了死亡人数？", "Hardeep Singh Puri", [SAID])
    # briefing is saying (round twenty's s53-37, as translated for the Chinese passage)
    briefed = "李问表示，推演显示海上封锁将冲击台湾的能源供应。"
    assert not names_only_the_speaker("哪位国安会官员介绍了推演结果", "李问 [1]", [briefed])
    assert not names_only_the_speaker(
        "which official briefed reporters on the drill", "Lee [1]", ["Lee said it ran well."]
    )
    # talking is saying: "who talked to npr about ..." asks for a speaker (questions truecased, as asked)
    soufan = (
        "Retired FBI agent and terrorism specialist Ali Soufan told NPR Hamza bin Laden had appeared in "
        "Al-Qaeda videos since he was a young boy."
    )
    assert not names_only_the_speaker(
        "ex FBI guy who talked to npr about Hamza bin Laden", "Ali Soufan", [soufan]
    )
    assert names_only_the_speaker("ex FBI guy who tracked Hamza bin Laden", "Ali Soufan", [soufan])
    # "minister" ties the name to what was asked
    assert not names_only_the_speaker("Who is India's civil aviation minister?", "Hardeep Singh Puri", [SAID])
    # the answer is not the speaker: the sentence states something of it
    assert not names_only_the_speaker("Who died?", "18 people", [SAID])
    assert not names_only_the_speaker("项目叫什么？", "透翅蝶计划", ["该公司将该项目称为透翅蝶计划。"])
    assert not names_only_the_speaker("Who led the team?", "Maria Lopez", ["Maria Lopez led the team."])


def test_a_question_asking_for_a_year_a_day_or_a_time_needs_an_answer_that_states_one() -> None:
    assert lacks_the_asked_time("伊莱贾·卡明斯是哪年出生的？", "19 [1]") == "a year"
    assert lacks_the_asked_time("伊莱贾·卡明斯是哪年出生的？", "1951年 [1]") is None
    assert lacks_the_asked_time("In what year did he die?", "2019") is None
    assert lacks_the_asked_time("敏辛是哪天被拘留的？", "敏辛在前往昆明参加研讨会时被拘留。 [1]") == "a day"
    assert lacks_the_asked_time("敏辛是哪天被拘留的？", "6月12日 [1]") is None
    assert lacks_the_asked_time("On what date was it held?", "Jan 10, 2019") is None
    assert lacks_the_asked_time("What day did it open?", "Christmas Day") is None
    assert (
        lacks_the_asked_time("what time did the bus crash happen", "10 January 2019 [1]") == "a time of day"
    )
    assert lacks_the_asked_time("what time did the bus crash happen", "around 15:00 [1]") is None
    assert lacks_the_asked_time("What time period does it cover?", "2019 to 2020") is None
    # a bare "when" may be answered by an event, and a yes or no by itself
    assert lacks_the_asked_time("When was he detained?", "after the conference [1]") is None
    assert lacks_the_asked_time("Did it open on what day it planned?", "Yes [1]") is None


def test_a_count_of_part_of_a_group_does_not_answer_how_many_in_all() -> None:
    deceased = ["Four of the deceased were from overseas; they were two Argentinians and one from France."]
    assert counts_a_part("How many people died in the bus crash?", "4 [1]", deceased)
    assert counts_a_part("车祸死了几个人？", "4", ["其中4人是外国人。"])
    # the question asks about a part itself, or the sentence also states the number for the whole
    assert not counts_a_part("How many of the dead were from overseas?", "4", deceased)
    assert not counts_a_part("How many people died?", "4", ["Four died; four of them were children."])
    assert not counts_a_part("How many people died?", "7", ["The crash killed seven."])
    assert not counts_a_part("Who died in the crash?", "Four of the deceased", deceased)
    # "there were N of them" counts the whole group
    assert not counts_a_part("一共有几名工作人员？", "15 [1]", ["There were fifteen of them."])


def test_a_place_where_an_unnamed_one_of_the_asked_kind_is_does_not_say_which() -> None:
    quote = "Al Jazeera reported that Wiranto was flown to a hospital in Jakarta, and that his condition was stable."
    question = "Which hospital was Wiranto taken to after the stabbing?"
    assert places_the_unnamed(question, "Jakarta [1]", [quote])
    # the city is what a "which city" question asks
    assert not places_the_unnamed("Which city was Wiranto flown to?", "Jakarta [1]", [quote])
    named = "He was taken to Gatot Soebroto Army Hospital in Jakarta."
    assert not places_the_unnamed(question, "Gatot Soebroto Army Hospital [1]", [named])


def test_one_item_of_a_list_is_not_the_one_asked() -> None:
    lions = "Mahala View Lion Lodge formerly billed itself as home to three lions: Rambo, Katryn and Nakita."
    assert picks_from_a_list("which of his lions killed Leon van Biljon", "Rambo [1]", [lions])
    raped = "In between, she testified, she was gang raped by Quirin, Redouane, and an unidentified third officer."
    assert picks_from_a_list("what was the name of the third officer", "Quirin [1]", [raped])
    # commas alone set off appositions, not lists
    ship = "Their ship, MV Alan Kurdi, was previously MV Professor Albrecht Penck."
    assert not picks_from_a_list(
        "What was the ship's previous name?", "MV Professor Albrecht Penck [1]", [ship]
    )
    # picking one of the question's own options answers it
    assert not picks_from_a_list("Was it Rambo or Katryn?", "Rambo [1]", [lions])
    assert not picks_from_a_list("Who won?", "Kosgei [1]", ["Kosgei won the race, and Yeshaneh came second."])


def test_a_percentage_does_not_answer_how_many() -> None:
    assert gives_a_share_for_a_count("how many monarch butterflies were counted in mexico", "144% [1]")
    assert not gives_a_share_for_a_count("how much did the butterfly population grow", "144% [1]")
    assert not gives_a_share_for_a_count("how many percent of voters turned out", "64% [1]")
    assert not gives_a_share_for_a_count("how many butterflies were counted", "about 6 million [1]")
    # a comparison is answered by how much more: "85% more"
    assert not gives_a_share_for_a_count(
        "How many more fires did Brazil have in 2019 compared to 2018?", "85% [1]"
    )
    assert not gives_a_share_for_a_count("how many fewer people voted than in 2016", "12% [1]")
    assert gives_a_share_for_a_count("how many more people are expected to die", "12% [1]")


def test_a_length_of_time_does_not_say_when() -> None:
    question = "until when is parliament suspended under johnson's prorogation"
    assert gives_a_length_for_a_time(question, "5 weeks [1]")
    assert gives_a_length_for_a_time("when will the law take effect", "about two years [1]")
    assert gives_a_length_for_a_time("英国议会什么时候复会", "5周 [1]")
    assert gives_a_length_for_a_time("它什么时候开始", "三个月 [1]")
    # a point in time answers it, however it is written; "how long" asks for the length
    for answer in ["October 14 [1]", "in 5 weeks [1]", "5 weeks ago [1]", "2019 [1]"]:
        assert not gives_a_length_for_a_time(question, answer), answer
    assert not gives_a_length_for_a_time("它什么时候开始", "3月 [1]")  # March
    assert not gives_a_length_for_a_time("它什么时候开始", "2019年 [1]")
    assert not gives_a_length_for_a_time("how long is parliament suspended", "5 weeks [1]")


def test_the_source_of_a_report_is_not_who_did_what_it_reports() -> None:
    quote = (
        "According to Connecticut Senator Richard Blumenthal, the involved airplane is one of eighteen"
        " B-17s still in the United States."
    )
    assert names_only_the_speaker("who was flying the b-17 that crashed", "Richard Blumenthal [1]", [quote])
    assert not names_only_the_speaker(
        "which senator reported the plane's history", "Richard Blumenthal [1]", [quote]
    )


def test_an_answer_of_another_kind_than_asked_is_refused() -> None:
    assert answers_another_kind("美联储前主席艾伦·格林斯潘的死因是什么？", "死因: 100岁 [1]")
    assert answers_another_kind("Where was Penpa Tsering sworn in?", "2021 [1]")
    # an English "who" is answered by a name
    assert answers_another_kind("Who scored the last try?", "18 year old half back [1]")
    assert not answers_another_kind("Who scored the last try?", "Jack Smith [1]")
    # a question asking for a number or a time as well is answered by one
    assert not answers_another_kind("How old was the man who died of the virus?", "60 [1]")
    assert not answers_another_kind("伊莱贾·卡明斯是在哪一天去世的？", "2019年10月17日 [1]")
    assert not answers_another_kind("How old is the motorcyclist who was killed by the car?", "19 [1]")


def test_a_who_answered_with_a_word_the_evidence_writes_in_lower_case_names_no_one() -> None:
    question = "Who shot the four teenagers at the Clairton graduation party?"
    quote = (
        "Early Saturday morning, police in Clairton, Pennsylvania, responded to multiple reports of a "
        "shooting at a graduation party."
    )
    assert names_no_one(question, "Police [1]", [quote])
    assert names_no_one(question, "The police [1]", [quote])
    # a word the sentence writes with its capital inside it is a name, and so is one it does not write
    assert not names_no_one(question, "Police Chief Jones [1]", [quote])
    assert not names_no_one("Who won the vote?", "Democrats [1]", ["On Tuesday the Democrats won."])
    assert not names_no_one(question, "Clairton police [1]", [quote])
    # the capital opening the cited sentence says nothing either way
    assert names_no_one("Who responded?", "Police [1]", ["Police responded after the police were called."])
    assert not names_no_one("Who responded?", "Police [1]", ["Police responded to the call."])
    # only English "who" questions
    assert not names_no_one("What responded to the shooting?", "Police [1]", [quote])
    assert not names_no_one("谁开的枪？", "Police [1]", [quote])


def test_a_value_the_sentence_gives_for_another_year_does_not_answer_for_the_asked_one() -> None:
    question = "what share of gdp did hungary spend on defence in 2019"
    nato = (
        "According to a March 14, 2019 NATO press release, Hungary spent an estimated 1.15% of its GDP "
        "on military expenditures in 2018; NATO guidelines call for 2%."
    )
    assert states_another_year(question, "an estimated 1.15% [1]", [nato])
    assert not states_another_year(
        question, "1.2% [1]", ["Hungary spent 1.2% in 2019, up from 1.15% in 2018."]
    )
    assert not states_another_year(question, "1.2% [1]", ["Hungary spent 1.2% of its GDP on defence."])
    # an answer that states a year is left to the date checks; a question naming no year, to the judge
    assert not states_another_year(question, "2018 [1]", [nato])
    assert not states_another_year("what share of gdp did hungary spend on defence", "1.15% [1]", [nato])
    # a bare "No" to a claim about one year rests on the other year its sentence states (round
    # thirty-one's s64-14); a bare "Yes" does not
    elected = "Cummings was first elected to the House of Representatives in 1996."
    assert not states_another_year(
        "elijah cummings was first elected to congress in 1998 right?", "No [1]", [elected]
    )
    assert states_another_year(
        "elijah cummings was first elected to congress in 1998 right?", "Yes [1]", [elected]
    )


def test_a_count_including_part_of_a_group_does_not_count_the_group() -> None:
    quote = "Nine people died, including four children."
    assert counts_a_part("how many people died", "4 [1]", [quote])
    assert not counts_a_part("how many children died", "4 [1]", [quote])
    assert not counts_a_part("how many people died", "9 [1]", [quote])
    # Chinese numerals are read as numbers
    kharkiv = "俄罗斯的一次空袭致使九人需要医疗救助，包括四名儿童。"
    assert counts_a_part("6月19号俄军空袭哈尔科夫死了多少人", "4 [1]", [kharkiv])
    assert not counts_a_part("空袭中有多少儿童受伤", "4 [1]", [kharkiv])


def test_the_day_rule_reads_short_questions_pinning_an_event_and_answers_without_a_date() -> None:
    assert asked_days("what magnitude was the jan 7 quake in puerto rico") == {(1, 7)}
    assert asked_days("6月19日美国队对澳大利亚谁进的球") == {(6, 19)}
    # a question naming a report pins its publication, not the event
    assert asked_days("What did TechCrunch report on October 31 about Google?") == set()
    assert dates_another_day("what magnitude was the jan 7 quake", "5.2 [1]", [["2020-01-15"]])
    assert not dates_another_day(
        "what magnitude was the jan 7 quake", "6.4 [1]", [["2020-01-07", "2020-01-15"]]
    )
    # a bare "No" may rest on the other day: "was the primary moved to june 2" denied by "moved to April 28"
    assert not dates_another_day("was the ohio primary moved to june 2", "No [1]", [["2020-04-28"]])
    # a sentence that dates nothing, or an answer that is itself a date, is left to the other checks
    assert not dates_another_day("what magnitude was the jan 7 quake", "5.2 [1]", [[]])
    assert not dates_another_day("when was the quake after the jan 7 one", "January 15 [1]", [["2020-01-15"]])


def test_a_decade_is_not_the_year_asked() -> None:
    assert lacks_the_asked_time("奥巴马是哪一年把白宫网球场改成篮球场的", "2000年代 [1]") == "a year"
    assert lacks_the_asked_time("which year did it open", "the 1990s [1]") == "a year"
    assert lacks_the_asked_time("which year did it open", "1990 [1]") is None


def test_a_fiscal_year_is_a_year_and_a_qualified_number_a_count() -> None:
    sentence = "在2025财年，有大约1900人次的中国公民对国家实验室进行了短期访问"
    question = "how many short visits did chinese nationals make to doe national labs in fy2024"
    assert states_another_year(question, "about 1900 [1]", [sentence])
    assert not states_another_year(question.replace("fy2024", "fiscal 2025"), "about 1900 [1]", [sentence])


def test_the_speaker_named_after_a_quotation_is_not_what_was_asked() -> None:
    quote = (
        '"On behalf of the Court and retired Justices," wrote Chief Justice John G. Roberts, "I am saddened'
        " to report that our colleague Justice John Paul Stevens has passed away."
    )
    question = "who took John Paul Stevens' Supreme Court seat when he retired in 2010"
    assert names_only_the_speaker(question, "John G. Roberts [1]", [quote])
    # the title said of the speaker answers a question about it
    assert not names_only_the_speaker("who is the chief justice", "John G. Roberts [1]", [quote])
    # "said it now has ..." is what was said, not who said it
    said = "Aliyun said it now has more than 1.4 million customers."
    assert not names_only_the_speaker(
        "how many customers does aliyun have", "more than 1.4 million [1]", [said]
    )


def test_a_time_in_another_year_does_not_answer_when_within_the_asked_one() -> None:
    question = "when did sanders finally endorse hillary in 2016"
    assert dates_outside_the_asked_year(question, "July 2019 [1]")
    assert not dates_outside_the_asked_year(question, "July 2016 [1]")
    assert not dates_outside_the_asked_year(question, "July [1]")
    assert not dates_outside_the_asked_year("when did the 2016 law take effect", "January 2017 [1]")
    assert dates_outside_the_asked_year("2019年几月开的", "2018年3月 [1]")


def test_a_count_does_not_answer_a_share_however_the_share_is_asked() -> None:
    assert gives_a_count_for_a_share("what percentage of the vote did the conservatives get", "92,153 [1]")
    # the share named by its noun, in English or Chinese
    assert gives_a_count_for_a_share("what is the conservatives' national vote share in 2019", "92,153 [1]")
    assert gives_a_count_for_a_share("2019年英国大选保守党全国得票率是多少啊", "92,153 [1]")
    # a share, or a small number that may be one, is left alone; so is a question asking a count
    assert not gives_a_count_for_a_share("2019年英国大选保守党全国得票率是多少啊", "43.6% [1]")
    assert not gives_a_count_for_a_share("what is the conservatives' vote share", "44 [1]")
    assert not gives_a_count_for_a_share("how many votes did the conservatives get", "92,153 [1]")


def test_a_value_for_another_part_of_the_asked_month_is_refused() -> None:
    """Round twenty's s53-16: the end of May asked, the polls of the beginning of May cited."""
    polls = "At the beginning of May, Biden led Trump in the RealClearPolitics average, 47.4% to 42.1%."
    asked = "2020年5月底realclearpolitics平均民调里拜登对特朗普是多少比多少"
    assert states_another_part_of_the_month(asked, "47.4% to 42.1% [1]", [polls])
    assert states_another_part_of_the_month("late may polls biden vs trump?", "47.4% to 42.1%", [polls])
    # the asked part stated, no part asked, or a date answered: nothing to refuse
    assert not states_another_part_of_the_month("early may polls biden vs trump?", "47.4% to 42.1%", [polls])
    assert not states_another_part_of_the_month("may polls biden vs trump?", "47.4% to 42.1%", [polls])
    assert not states_another_part_of_the_month(asked, "5月1日 [1]", [polls])
    # "5月中国" is May, then China: no part of the month
    assert not states_another_part_of_the_month(
        "5月中国的出口是多少", "3% [1]", ["In early May, exports fell 3%."]
    )


def test_a_claim_with_a_confirming_tag_answered_by_a_value_is_refused() -> None:
    """Round twenty-one's s54-02: a claim typed with "的吧？" asks yes or no."""
    claim = "热带低气压三号是空军后备队飞过去侦察、发现没有闭合环流才判定它消散的吧？"
    assert answers_a_claim_with_a_value(claim, "Tropical Depression Three [1]")
    assert answers_a_claim_with_a_value(
        "montana's BIPA fine is $1,000, right?", "the Montana Legislature [1]"
    )
    # a yes or no, with or without its claim, an abstention, a choice, or a question asking what
    assert not answers_a_claim_with_a_value(claim, "Yes [1]")
    assert not answers_a_claim_with_a_value("the fine is $1,000, right?", "No, it is $500 [1]")
    assert not answers_a_claim_with_a_value(claim, "Insufficient information.")
    assert not answers_a_claim_with_a_value("was it miami or nashville, right?", "Miami [1]")
    assert not answers_a_claim_with_a_value("谁是主持人吧？", "Kristen Welker [1]")


def test_an_age_attached_to_another_named_person_is_not_the_asked_persons() -> None:
    crew = "B Shiva Parvathi was running the train as loco pilot, and 22-year-old Rangoli Patil was her co-pilot."
    assert gives_another_persons_age("how old is loco pilot B Shiva Parvathi", "22 [1]", [crew])
    assert not gives_another_persons_age("how old is Rangoli Patil", "22 [1]", [crew])
    # a sentence that does not name the asked person, or ages no one by name, is left to the other checks
    assert not gives_another_persons_age("how old is the co-pilot of the Tippu Express", "22 [1]", [crew])
    dunn = (
        "Harry Dunn, a 19-year-old motorcyclist, was struck by a car driven by Anne Sacoolas, 42, on Tuesday."
    )
    assert not gives_another_persons_age("How old was Harry Dunn?", "19 [1]", [dunn])
    assert gives_another_persons_age("How old was Harry Dunn?", "42 [1]", [dunn])


def test_a_name_of_several_words_is_copied_from_the_sentence_not_composed() -> None:
    prison = ["Sirhan was serving his time at Richard J. Donovan Correctional Facility in San Diego County."]
    assert composes_a_name("which prison", "San Diego County Correctional Facility [1]", prison)
    assert not composes_a_name("which prison", "Richard J. Donovan Correctional Facility [1]", prison)
    assert not composes_a_name("which county", "San Diego County [1]", prison)
    assert not composes_a_name("which prison", "Donovan [1]", prison)  # one word: left to the others
    # adding to a name, spelling out its lower-case words or its abbreviations composes nothing
    assert not composes_a_name("which court", "Scottish Court of Session", ["The Court of Session ruled."])
    club = ["They were members of a motorcycle club, the Marine JarHeads."]
    assert not composes_a_name("which club", "Marine Jarheads Motorcycle Club", club)
    hospital = ["He died at the Gen. Santos Doctors' Hospital."]
    assert not composes_a_name("which hospital", "General Santos Doctors' Hospital", hospital)


def test_a_place_of_another_kind_than_asked_is_no_answer() -> None:
    hospital = "Pranab Mukherjee died at the Army's Research and Referral Hospital, in New Delhi. [1]"
    assert names_another_kind_of_place("慕克吉去世后是在新德里哪个火葬场火化的", hospital)
    assert names_another_kind_of_place("which crematorium was Mukherjee cremated at", hospital)
    assert not names_another_kind_of_place("Which hospital did Mukherjee die in?", hospital)
    # the answer's head names its kind; a place of no known kind is left to the other checks
    assert not names_another_kind_of_place(
        "哪所监狱", "Richard J. Donovan Correctional Facility in San Diego County"
    )
    assert not names_another_kind_of_place("Which hospital was he taken to?", "Jakarta [1]")


def test_a_yes_to_one_month_citing_another_month_is_refused() -> None:
    august = ["Johnson asked Queen Elizabeth II for this prorogation in August."]
    assert states_another_month("约翰逊是9月份才向女王申请议会休会的吗", "Yes [1]", august)
    assert states_another_month("was the prorogation asked for in September", "Yes [1]", august)
    assert not states_another_month("was the prorogation asked for in August", "Yes [1]", august)
    # a bare "No" rests on the other month; a month's day is no month the question frames
    assert not states_another_month("was it asked for in September", "No [1]", august)
    assert not states_another_month("did it happen on September 5", "Yes [1]", ["It happened in August."])
