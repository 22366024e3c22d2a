from dataclasses import replace

import numpy as np
import pytest

from index.models import Article, ResolvedDate
from rag.citations import CitationChecker, bare_yes_no, normalise_markers
from rag.models import ABSTAIN_TEXT, Passage

BODY = (
    "Alibaba's cloud unit said on Wednesday it will open a second data center in the United States. "
    "In May, the company entered the Middle East market by setting up a joint venture with Meraas Holding LLC. "
    "That followed the opening in March of its first overseas data center in Silicon Valley in the US. "
    "Aliyun said it now serves more than 1.4 million customers."
)
MARCH = BODY.index("March")
ARTICLE = Article(
    id="cd-1",
    title="Alibaba plans to set up more data centers in overseas",
    body=BODY,
    source="China Daily",
    published_at="2015-07-23T08:26:00+08:00",
    dates=(ResolvedDate(MARCH, MARCH + 5, "March", "2015-03"),),
)
OTHER = Article(
    id="x-1", title="Weather", body="It rained in Paris on Monday. The Seine rose.", source="Wire"
)


def _passage(article: Article, start: int = 0, end: int | None = None) -> Passage:
    end = len(article.body) if end is None else end
    return Passage(
        chunk_id=f"{article.id}#0",
        article_id=article.id,
        text=article.body[start:end],
        start=start,
        end=end,
        score=1.0,
        title=article.title,
        source=article.source,
        published_at=article.published_at,
        dates=article.dates,
    )


def _checker(precise: bool = False) -> CitationChecker:
    articles = {a.id: a for a in (ARTICLE, OTHER)}
    return CitationChecker(get_article=articles.get, precise=precise)


QUESTION = "When did Aliyun open its first US data center?"


def test_supported_citation_quotes_the_exact_sentence_with_offsets():
    checked = _checker().run(QUESTION, "March 2015 [1]", [_passage(ARTICLE, 20)])
    assert not checked.abstained
    assert checked.text == "March 2015 [1]"
    (c,) = checked.citations
    assert "in March of its first overseas data center in Silicon Valley" in c.quote
    assert BODY[c.start : c.end] == c.quote
    assert c.source == "China Daily"


def test_a_percentage_is_not_supported_by_the_same_number_counting_something_else():
    body = "Biden secured 39 of South Carolina's 54 delegates with about 48% of the vote."
    article = Article(id="sc-1", title="Biden wins South Carolina", body=body, source="Wikinews")
    checker = CitationChecker(get_article={"sc-1": article}.get)
    question = "what percent of the vote did biden get in south carolina"
    assert checker.run(question, "54% [1]", [_passage(article)]).abstained
    assert not checker.run(question, "48% [1]", [_passage(article)]).abstained


def test_wrong_citation_is_repaired_to_the_supporting_passage():
    passages = [_passage(OTHER), _passage(ARTICLE)]
    checked = _checker().run(QUESTION, "March 2015 [1]", passages)
    assert not checked.abstained
    assert checked.citations[0].article_id == "cd-1"
    assert any("re-attached" in n for n in checked.notes)


def test_unsupported_answer_becomes_an_abstention():
    checked = _checker().run(QUESTION, "June 2016 [1]", [_passage(ARTICLE)])
    assert checked.abstained
    assert checked.text == ABSTAIN_TEXT
    assert checked.citations == []


def test_generator_abstention_is_kept_without_citations():
    checked = _checker().run("Who won?", "Insufficient information.", [_passage(ARTICLE)])
    assert checked.abstained and checked.citations == []


def test_quote_not_in_the_stored_article_is_dropped():
    tampered = _passage(ARTICLE)
    tampered = Passage(**{**tampered.__dict__, "text": tampered.text.replace("Meraas", "Emaar")})
    checked = CitationChecker(get_article={ARTICLE.id: ARTICLE}.get).run(
        "Who did the company set up a joint venture with?", "Emaar Holding LLC [1]", [tampered]
    )
    assert checked.abstained
    assert any("not found verbatim" in n for n in checked.notes)


def test_marker_styles_are_normalised():
    assert normalise_markers("Paris (Source 2)") == "Paris [2]"
    assert normalise_markers("Paris [Source 1]") == "Paris [1]"
    assert normalise_markers("According to Passage 3, Paris") == "[3] Paris"


def test_uncited_answer_gets_a_citation_when_supported():
    checked = _checker().run(
        "How many customers does Aliyun serve?", "More than 1.4 million.", [_passage(ARTICLE)]
    )
    assert not checked.abstained
    assert "1.4 million customers" in checked.citations[0].quote


def test_a_day_the_article_never_gave_is_cut_back_to_the_month():
    checked = _checker().run(QUESTION, "2015-03-20 [1]", [_passage(ARTICLE)])
    assert checked.text == "March 2015 [1]"
    assert any("cut the answer's date" in n for n in checked.notes)


def test_a_day_stated_only_by_its_year_is_not_supported_unless_the_year_is_asked():
    """ "今年" (this year) resolves to 2015 and states the year alone: a day in 2015 is not stated by
    it, and the 1.5B's day is often the publication day. Asked for the year, the year answers."""
    body = "今年是阿里云成立六周年。展览在北京举行。"
    at = body.index("今年")
    this_year = (ResolvedDate(at, at + 2, "今年", "2015"),)
    article = replace(ARTICLE, id="zh-1", title="阿里云六周年", body=body, dates=this_year)
    checker = CitationChecker(get_article={"zh-1": article}.get)
    assert checker.run("展览展到什么时候？", "展览展到2015年7月23日 [1]", [_passage(article)]).abstained
    checked = checker.run("阿里云是哪一年庆祝六周年的？", "2015年7月23日 [1]", [_passage(article)])
    assert not checked.abstained and "2015" in checked.text


def test_iso_month_is_written_for_readers():
    assert _checker().run(QUESTION, "2015-03 [1]", [_passage(ARTICLE)]).text == "March 2015 [1]"


def test_a_wrong_year_is_not_supported():
    assert _checker().run(QUESTION, "March 2016 [1]", [_passage(ARTICLE)]).abstained


def test_semantic_fallback_never_rescues_a_same_language_claim():

    always_similar = lambda texts: np.ones((len(texts), 4), dtype=np.float32) / 2.0  # noqa: E731
    checker = CitationChecker(get_article={ARTICLE.id: ARTICLE}.get, embed=always_similar)
    assert checker.run(QUESTION, "In June 2016 [1]", [_passage(ARTICLE)]).abstained


def test_yes_no_answer_cites_a_passage_about_the_question():
    q = "Did the company set up a joint venture with Meraas Holding to enter the Middle East market?"
    checked = _checker().run(q, "Yes [1]", [_passage(ARTICLE)])
    assert not checked.abstained and checked.text.startswith("Yes")
    assert "Meraas" in checked.citations[0].quote


def test_yes_no_answer_citing_an_unrelated_passage_abstains():
    q = "Did the company set up a joint venture with Meraas Holding to enter the Middle East market?"
    assert _checker().run(q, "Yes [1]", [_passage(OTHER)]).abstained


def test_a_yes_no_quotes_the_passage_of_the_cited_article_that_states_the_question():
    """The generator cites the right report but a passage of it that does not state what was asked;
    the passage of the same article that does is quoted. Another article's passage never is."""
    cut = BODY.index("In May")
    first = replace(_passage(ARTICLE, 0, cut), chunk_id="cd-1#0")
    second = replace(_passage(ARTICLE, cut), chunk_id="cd-1#1")
    q = "Did Alibaba's cloud unit set up a joint venture in the Middle East?"
    checked = _checker().run(q, "Yes [1]", [first, second])
    assert checked.text == "Yes [1]" and "Meraas" in checked.citations[0].quote
    elsewhere = replace(second, chunk_id="cd-2#0", article_id="cd-2")
    checked = _checker().run(q, "Yes [1]", [first, elsewhere])
    assert checked.citations[0].article_id == "cd-1" and "Meraas" not in checked.citations[0].quote


def test_a_before_or_after_verdict_is_checked_like_yes_no():
    q = "Was the Meraas joint venture reported by China Daily before or after the Paris rain was reported?"
    checked = _checker().run(q, "Before [1][2]", [_passage(ARTICLE), _passage(OTHER)])
    assert not checked.abstained and checked.text.startswith("Before")
    assert {c.article_id for c in checked.citations} == {"cd-1", "x-1"}
    # a sentence that merely starts with "Before" is still a claim to verify word by word
    assert _checker().run(q, "Before the rain, Meraas bought Paris [1]", [_passage(OTHER)]).abstained


def test_yes_no_relevance_counts_the_articles_source_and_title():
    # MultiHop-RAG style: the stored body is one fact that never names the topic the question uses
    fact = Article(id="tc-1", title="Flipboard becomes a federated app with support for ActivityPub",
                   body="What we are announcing on Monday is our roadmap for rolling out the protocol.",
                   source="TechCrunch", published_at="2023-12-18T16:00:49+00:00")  # fmt: skip
    checker = CitationChecker(get_article={fact.id: fact}.get)
    q = "Did TechCrunch report on Flipboard's integration of the ActivityPub protocol?"
    checked = checker.run(q, "Yes [1]", [_passage(fact)])
    assert not checked.abstained and checked.citations[0].quote == fact.body
    unrelated = Article(id="w-1", title="Weather", body=fact.body, source="Wire")
    assert (
        CitationChecker(get_article={unrelated.id: unrelated}.get)
        .run(q, "Yes [1]", [_passage(unrelated)])
        .abstained
    )


def test_a_yes_no_answer_across_scripts_cites_the_sentence_nearest_in_meaning():
    """A Chinese question shares no words with an English passage: the passage is about it when one
    sentence is near it in meaning, and that sentence is quoted; an unrelated one is still refused."""
    meaning = {"Meraas": [1.0, 0.0], "合资": [1.0, 0.0]}

    def embed(texts):  # a joint-venture "meaning" axis; anything else points elsewhere
        rows = [next((v for k, v in meaning.items() if k in t), [0.0, 1.0]) for t in texts]
        return np.array(rows, dtype=np.float32)

    checker = CitationChecker(get_article={a.id: a for a in (ARTICLE, OTHER)}.get, embed=embed)
    q = "阿里云和Meraas成立合资公司了吗"
    checked = checker.run(q, "是 [1]", [_passage(ARTICLE)])
    assert not checked.abstained and "Meraas" in checked.citations[0].quote
    assert checker.run(q, "是 [1]", [_passage(OTHER)]).abstained
    # without an embedding model nothing bridges the scripts
    assert _checker().run(q, "是 [1]", [_passage(ARTICLE)]).abstained


ZH_QUESTION = "阿里云在美国的第一个数据中心是什么时候开的？"


def test_dates_are_written_for_a_chinese_reader_of_an_english_article():
    checked = _checker(precise=True).run(ZH_QUESTION, "March 2015 [1]", [_passage(ARTICLE, 20)])
    assert checked.text == "2015年3月 [1]" and "in March of its first overseas" in checked.citations[0].quote
    plain = _checker().run(ZH_QUESTION, "March 2015 [1]", [_passage(ARTICLE, 20)])
    assert plain.text == "March 2015 [1]"  # precise answers off: written as the evidence writes it
    same = _checker(precise=True).run(ZH_QUESTION, "2015年3月 [1]", [_passage(ARTICLE, 20)])
    assert same.text == "2015年3月 [1]" and same.citations


def test_a_bare_day_number_answering_which_day_is_the_date_the_sentence_writes():
    body = "李宁官网6月2日宣布与库里签约。库里此前与安德玛合作了13年。"
    at = body.index("6月2日")
    deal = Article(
        id="zh-2", title="库里签约李宁", body=body, source="VOA", language="zh",
        dates=(ResolvedDate(at, at + 4, "6月2日", "2026-06-02"),),
    )  # fmt: skip
    checker = CitationChecker(get_article={"zh-2": deal}.get, precise=True)
    checked = checker.run("VOA报道李宁官网几号官宣签库里的", "2 [1]", [_passage(deal)])
    assert checked.text == "2026年6月2日 [1]" and "6月2日宣布" in checked.citations[0].quote
    assert any("read the day's number as the date" in n for n in checked.notes)
    # a number answering another question is no day: "13" years is not read as a date
    assert checker.run("库里和安德玛合作了几年", "13 [1]", [_passage(deal)]).text == "13年 [1]"


def test_dates_are_written_for_an_english_reader_of_a_chinese_article():
    body = "7.5级地震于2026年6月24日发生在委内瑞拉。"
    quake = Article(id="zh-1", title="委内瑞拉地震", body=body, source="VOA", language="zh")
    checker = CitationChecker(get_article={"zh-1": quake}.get, precise=True)
    checked = checker.run(
        "When did the 7.5 earthquake hit Venezuela?", "2026年6月24日 [1]", [_passage(quake)]
    )
    assert checked.text == "24 June 2026 [1]"


def test_the_checked_answer_keeps_the_cited_sentence_s_qualifier():
    question = "How many customers does Aliyun serve?"
    checked = _checker(precise=True).run(question, "1.4 million [1]", [_passage(ARTICLE)])
    assert checked.text == "more than 1.4 million [1]"
    assert any("precision of the cited sentence" in n for n in checked.notes)
    assert _checker().run(question, "1.4 million [1]", [_passage(ARTICLE)]).text == "1.4 million [1]"


def test_a_chinese_number_is_supported_across_languages_by_its_value():
    def same_meaning(texts):
        return np.ones((len(texts), 2)) / np.sqrt(2)  # every text "means" the same: only numbers decide

    checker = CitationChecker(get_article={ARTICLE.id: ARTICLE}.get, embed=same_meaning, precise=True)
    checked = checker.run("阿里云现在服务多少客户？", "140万 [1]", [_passage(ARTICLE)])
    assert checked.text == "超过140万 [1]" and "1.4 million customers" in checked.citations[0].quote
    wrong = checker.run("阿里云现在服务多少客户？", "150万 [1]", [_passage(ARTICLE)])
    assert wrong.abstained


def test_digits_copied_without_their_chinese_scale_word_are_read_with_it() -> None:
    """ "5000" from "最多可达5000万美元" is the 50 million the sentence states, not 5,000."""
    body = "该组织星期一说，将向莫德纳公司拨款最多可达5000万美元，以加速埃博拉疫苗的开发。另有5000人受益。"
    article = Article(
        id="zh-1", title="莫德纳获5千万美元", body=body, source="VOA", published_at="2026-06-02"
    )

    def same_meaning(texts):
        return np.ones((len(texts), 2)) / np.sqrt(2)

    checker = CitationChecker(get_article={"zh-1": article}.get, embed=same_meaning, precise=True)
    question = "How much is CEPI giving Moderna for its Ebola vaccine work?"
    checked = checker.run(question, "5000 [1]", [_passage(article, 0, body.index("另"))])
    assert checked.text == "up to $50 million [1]"  # with the currency the sentence writes
    assert any("scale the article writes" in n for n in checked.notes)
    # a Chinese reader gets the sentence's own words
    assert checker.run("CEPI给莫德纳多少钱？", "5000 [1]", [_passage(article, 0, body.index("另"))]).text == (
        "最多可达5000万美元 [1]"
    )
    # the same within one script: "5.7" from "5.7 million barrels"
    oil = Article(
        id="en-1",
        title="Drones hit Saudi oil",
        body="Output fell by 5.7 million barrels per day.",
        source="W",
    )
    checked = CitationChecker(get_article={"en-1": oil}.get).run(
        "沙特每天有多少产量受影响", "5.7 [1]", [_passage(oil)]
    )
    assert checked.text == "5.7 million [1]"
    # a sentence that states the number itself supports it as written
    assert checker.run(question, "5000 [1]", [_passage(article)]).text == "5000 [1]"


MAY = BODY.index("May")
TWO_MONTHS = replace(ARTICLE, dates=(ResolvedDate(MAY, MAY + 3, "May", "2015-05"), *ARTICLE.dates))


def test_a_cut_date_is_quoted_from_the_sentence_keeping_most_of_it():
    """ "2015-03-22" is stated by no sentence; "in March" keeps its month, "In May" only its year. The
    May sentence, quoted for "2015", made the precise-answer step write "2015年5月"."""
    checked = _checker(precise=True).run(ZH_QUESTION, "2015-03-22 [1]", [_passage(TWO_MONTHS)])
    assert checked.text == "2015年3月 [1]"
    assert "in March of its first overseas" in checked.citations[0].quote


def test_a_number_the_answer_adds_must_be_in_the_evidence_whatever_else_matches():
    body = 'At about 5:17 p.m. his daughter reported he "left home four–five hours ago".'
    article = Article(
        id="pw-1", title="Mayor found dead", body=body, source="Wire", published_at="2020-07-09"
    )
    checker = CitationChecker(get_article={"pw-1": article}.get)
    question = "What time did the mayor leave home?"
    # "4:17 p.m." shares "4" (four), "17" and "p.m." with the sentence, but not its time
    assert checker.run(question, "4:17 p.m. [1]", [_passage(article)]).abstained
    assert not checker.run("When did his daughter report it?", "5:17 p.m. [1]", [_passage(article)]).abstained


def test_a_name_is_not_supported_by_a_sentence_on_another_with_the_same_first_name():
    body = (
        "The criminal trial for Sam Bankman-Fried, former CEO of FTX, started Tuesday. "
        "Altman was the main speaker at the developer conference."
    )
    article = Article(id="sb-1", title="Trials", body=body, source="Wire", published_at="2023-10-01")
    checker = CitationChecker(get_article={"sb-1": article}.get)
    first = _passage(article, 0, body.index("Altman"))
    # "Sam" is half of "Sam Altman", but the sentence names Sam Bankman-Fried
    assert checker.run("Who went on trial for fraud?", "Sam Altman [1]", [first]).abstained
    # the surname alone states the name
    checked = checker.run("Who spoke at the conference?", "Sam Altman [1]", [_passage(article)])
    assert not checked.abstained
    assert checked.citations[0].quote.startswith("Altman was the main speaker")


def test_a_short_name_is_completed_from_the_cited_article_after_the_checks() -> None:
    body = "The Minnesota Vikings beat the Bears on Sunday. The Vikings scored late."
    article = Article(id="nfl-1", title="Week 10", body=body, source="Wire", published_at="2023-11-13")
    checker = CitationChecker(get_article={"nfl-1": article}.get, precise=True)
    at = body.index("The Vikings scored")
    checked = checker.run("Which team scored late?", "Vikings [1]", [_passage(article, at)])
    assert checked.text == "Vikings [1]"  # the checks compare the name as the sentence writes it
    completed = checker.complete_names(checked)
    assert completed.text == "Minnesota Vikings [1]" and completed.citations == checked.citations
    # not without precise answers, and not for an answer that is more than a name
    assert CitationChecker(get_article={"nfl-1": article}.get).complete_names(checked).text == "Vikings [1]"
    longer = checker.run("Who scored late?", "The Vikings scored late [1]", [_passage(article, at)])
    assert checker.complete_names(longer).text == longer.text


@pytest.mark.parametrize(
    ("reply", "bare"),
    [("Yes [1]", True), ("No.", True), ("不是 [2]", True), ("没有。", True),
     ("No, it opened in March [1]", False), ("有3个 [1]", False), ("Nobel Prize [1]", False)],
)  # fmt: skip
def test_bare_yes_no_is_a_reply_with_no_claim_of_its_own(reply: str, bare: bool) -> None:
    assert bare_yes_no(reply) is bare


def test_a_day_range_written_day_first_is_supported_by_the_range_it_states() -> None:
    """ "15 to 17 March 2019" is how answers write a range (`rag.support.spoken_date`); its "15" is
    the range's first day, which "from March 15 to 17" states, and a first day it does not state is
    not supported."""
    checker = CitationChecker(lambda _: None)
    evidence = "Toronto Comicon 2019 returned to its titular city from March 15 to 17, as one of the largest."
    dates = ["2019-03-15/2019-03-17", "2019"]
    question = "When was Toronto Comicon 2019 held?"
    assert checker._score(question, "15 to 17 March 2019", evidence, dates)[0] > 0
    assert checker._score(question, "15–17 March 2019", evidence, dates)[0] > 0
    assert checker._score(question, "14 to 17 March 2019", evidence, dates)[0] == 0


def _yes_quote(question: str, title: str, body: str) -> str:
    """The sentence a bare "Yes" to `question` quotes from a one-passage article."""
    article = Article(id="yn-1", title=title, body=body, source="Wire")
    checked = CitationChecker(get_article={article.id: article}.get).run(
        question, "Yes [1]", [_passage(article)]
    )
    return checked.citations[0].quote


# Of the sentences holding as many of the question's words, a yes/no quotes the one stating its
# numbers (the time, not the train's name), then the one whose window, read as the answer check reads
# it (the sentences before it and the title), names its names (Louisiana's governor and Trump).
@pytest.mark.parametrize(
    ("question", "title", "body", "quoted"),
    [
        (
            "did the all-women Tippu Express leave Mysore Junction at 11:30 am",
            "All-women crew runs Tippu Express",
            "The all-women crew of the Tippu Express drew crowds, and the Tippu Express crew posed for "
            "photos beside the Tippu Express. The train left Mysore Junction at 11:30 am, covering 139km.",
            "11:30 am",
        ),
        (
            "has the Louisiana governor asked Trump for a federal emergency declaration",
            "Storm Barry approaches",
            "The governor of Louisiana declared a state of emergency for the state on Thursday. "
            "He has requested U.S. President Donald Trump declare a state of emergency on the federal level.",
            "Donald Trump",
        ),
    ],
)
def test_a_yes_no_quotes_the_sentence_stating_the_questions_numbers_and_names(
    question: str, title: str, body: str, quoted: str
) -> None:
    assert quoted in _yes_quote(question, title, body)


def test_a_name_does_not_pull_a_yes_no_quote_to_another_sentence_of_as_many_words():
    body = "This was one of the five demands of the protesters. Lam did not accede to other Hong Kong protesters' demands."
    q = "was dropping the extradition bill one of the Hong Kong protesters' five demands"
    assert "five demands" in _yes_quote(q, "Hong Kong leader withdraws extradition bill", body)


def test_a_chinese_name_to_an_english_question_is_glossed_from_the_cited_article() -> None:
    body = "美国副总统JD·万斯(JD Vance)在X上说，协议将优先考虑美国。届时美国副总统JD·万斯将代表美国出席签署。"
    article = Article(id="zh-1", title="协议", body=body, source="VOA", language="zh")
    checker = CitationChecker(get_article={"zh-1": article}.get, precise=True)
    question = "Who will represent the US at the signing?"
    checked = checker.run(question, "JD·万斯 [1]", [_passage(article, body.index("届时"))])
    assert checked.text == "JD·万斯 [1]"  # the cited sentence writes no gloss
    assert checker.complete_names(checked, question).text == "JD Vance (JD·万斯) [1]"
    assert checker.complete_names(checked, "谁将代表美国出席？").text == "JD·万斯 [1]"


def test_an_answer_also_cites_each_named_report_stating_it() -> None:
    age = Article(id="age-1", title="Is Google Search better than ever?", source="The Age",
                  body="Critics say Google tweaks search results to make more money from ads.")  # fmt: skip
    tc = Article(id="tc-1", title="News publisher files class action suit", source="TechCrunch",
                 body="The suit claims Google siphons off publishers' readers and ad revenue.")  # fmt: skip
    other = Article(id="w-2", title="Markets", source="Wire", body="Google shares rose on Monday.")
    checker = CitationChecker(get_article={a.id: a for a in (age, tc, other)}.get)
    passages = [_passage(age), _passage(tc), _passage(other)]
    q = "Which company is accused of tweaking search results by The Age and sued by publishers per TechCrunch?"
    known = ["The Age", "TechCrunch", "Wire"]
    checked = checker.run(q, "Google [1]", passages)
    completed = checker.cite_named_reports(checked, q, passages, known)
    assert completed.text == "Google [1][2]"
    assert [c.source for c in completed.citations] == ["The Age", "TechCrunch"]
    assert completed.citations[1].quote == tc.body and "TechCrunch" in completed.notes[-1]
    # a named report whose passage does not state the answer is not cited; nor is a report not named
    silent = replace(tc, body="Publishers filed a class action over lost ad revenue.")
    checker = CitationChecker(get_article={a.id: a for a in (age, silent, other)}.get)
    passages = [_passage(age), _passage(silent), _passage(other)]
    checked = checker.run(q, "Google [1]", passages)
    assert checker.cite_named_reports(checked, q, passages, known).text == "Google [1]"
    # a verdict is judged side by side instead
    yes = checker.run(q.replace("Which company is", "Is Google"), "Yes [1]", passages)
    assert checker.cite_named_reports(yes, q, passages, known) is yes
