from collections.abc import Sequence

from index.models import Article
from rag.models import Passage
from rag.subject import (
    SubjectFilter,
    cites_subject,
    names_subject,
    subject_names,
    typed_name_stated,
    typed_names,
    uncovered_names,
)

ALIBABA = Article(
    id="alibaba",
    title="Alibaba plans to set up more data centers in overseas",
    body=(
        "Aliyun, Alibaba's cloud-computing arm, is optimistic. In May, the company entered the Middle "
        "East market. That followed the opening in March of its first overseas data center in Silicon Valley."
    ),
)
ALLNET = Article(
    id="allnet",
    title="ALLNET TO CONSOLIDATE DATA CENTERS",
    body="ALC Communication Services said its Allnet unit will consolidate its two data centers, which serve us.",
)
HURDLES_ZH = Article(
    id="zh", title="田径世锦赛", body="挪威选手沃霍尔姆在多哈赢得400米栏金牌。", language="zh"
)
OTHER_ZH = Article(id="zh2", title="美国经济", body="美国联邦储备委员会宣布维持利率不变。", language="zh")
HURDLES_EN = Article(id="en", title="Warholm wins gold", body="Warholm won with a time of 47.42 seconds.")


def _p(article: Article, score: float = 1.0) -> Passage:
    """A passage holding only the article's last sentence: the name may be stated elsewhere."""
    text = article.body.rsplit(". ", 1)[-1]
    return Passage(
        chunk_id=f"{article.id}#0",
        article_id=article.id,
        text=text,
        start=0,
        end=len(text),
        score=score,
        title=article.title,
        language=article.language,
    )


def _filter(*articles: Article) -> SubjectFilter:
    by_id = {a.id: a for a in articles}

    def get_articles(ids: Sequence[str]) -> dict[str, Article]:
        return {i: by_id[i] for i in ids if i in by_id}

    return SubjectFilter(get_articles, known_sources=["TechCrunch", "The Verge"])


def test_a_filler_that_names_none_of_the_question_names_is_left_out():
    passages = [_p(ALIBABA, 0.55), _p(ALLNET, 0.36)]
    kept = _filter(ALIBABA, ALLNET).run("When did Aliyun open its first US data center?", passages)
    # "Aliyun" is stated in another paragraph of the kept article, not in its passage
    assert [p.article_id for p in kept] == ["alibaba"]


def test_nothing_is_left_out_when_no_article_names_the_subject():
    passages = [_p(ALIBABA), _p(ALLNET)]
    kept = _filter(ALIBABA, ALLNET).run("When did Tencent open its first data center?", passages)
    assert kept == passages


def test_long_questions_and_questions_naming_sources_are_left_alone():
    passages = [_p(ALIBABA), _p(ALLNET)]
    named_source = "According to TechCrunch, when did Aliyun open its first US data center?"
    assert _filter(ALIBABA, ALLNET).run(named_source, passages) == passages
    long = "When did Aliyun, " + "which many people in many places have talked about " * 3 + "open it?"
    assert _filter(ALIBABA, ALLNET).run(long, passages) == passages


def test_short_ambiguous_names_do_not_decide():
    # "us" is a pronoun once case is folded: "US" alone would keep every article saying "us"
    assert subject_names("When did the US open a data center?") == []
    assert subject_names("When did Aliyun open its first US data center?") == [("aliyun",)]


def test_names_are_compared_within_one_script_only():
    question = "沃霍尔姆在多哈世锦赛400米栏决赛夺冠的成绩是多少？"
    passages = [_p(OTHER_ZH, 0.6), _p(HURDLES_ZH, 0.5), _p(HURDLES_EN, 0.4)]
    kept = _filter(OTHER_ZH, HURDLES_ZH, HURDLES_EN).run(question, passages)
    # the Chinese article without the name goes; the English one cannot be compared, so it stays
    assert [p.article_id for p in kept] == ["zh", "en"]
    assert names_subject(subject_names(question), HURDLES_EN.body) is None


def test_an_article_missing_from_the_store_is_judged_on_its_passage():
    passages = [_p(ALIBABA), _p(ALLNET)]
    kept = _filter(ALLNET).run("When did Aliyun open its first US data center?", passages)
    assert kept == passages  # the passage alone does not name Aliyun, and no other article does


def test_uncovered_names_are_those_no_article_in_the_questions_language_states():
    by_id = {a.id: a for a in (ALIBABA, ALLNET, HURDLES_ZH)}

    def get_articles(ids: Sequence[str]) -> dict[str, Article]:
        return {i: by_id[i] for i in ids if i in by_id}

    passages = [_p(ALLNET), _p(HURDLES_ZH), _p(ALIBABA)]
    sources = ["TechCrunch"]
    question = "Did TechCrunch say Aliyun hired Warholm?"
    # Aliyun is in an English article; Warholm only in a Chinese one (沃霍尔姆); TechCrunch is a source
    assert uncovered_names(question, passages, get_articles, "en", sources) == [("warholm",)]
    assert uncovered_names("When did Aliyun open it?", passages, get_articles, "en", sources) == []
    # no article in the question's language retrieved: every name is uncovered
    assert uncovered_names("When did Aliyun open it?", passages[1:2], get_articles, "en") == [("aliyun",)]


def test_cites_subject_compares_a_chinese_questions_latin_names_with_chinese_reports():
    spacex = "SpaceX股票上市首日飙升\nSpaceX星期四将其股票发行价定为每股135美元。"
    assert cites_subject("OpenAI首次公开募股的发行价定为每股多少美元？", [spacex]) is False
    assert cites_subject("SpaceX首次公开募股的发行价定为每股多少美元？", [spacex]) is True
    # an English question's names are not looked for in a Chinese report (黎智英 for "Jimmy Lai")
    assert (
        cites_subject("How long a sentence did Jimmy Lai get?", ["黎智英案宣判\n黎智英被判处20年监禁。"])
        is None
    )
    english = f"{ALLNET.title}\n{ALLNET.body}"
    assert cites_subject("When did Aliyun open its first US data center?", [english]) is False
    assert cites_subject("When did Allnet consolidate its data centers?", [english]) is True


def test_cites_subject_reads_an_article_in_another_script_through_the_questions_translation():
    van_halen = (
        "Guitarist Eddie Van Halen dies, aged 65\nThe guitarist formed Van Halen with his brother in 1972."
    )
    kimura = "Wrestler Hana Kimura dies aged 22\nKimura made her professional wrestling debut in 2016."
    question = "木村花哪年出道的？"
    # no translation: a Chinese question's names cannot be compared with an English article
    assert cites_subject(question, [van_halen]) is None
    assert cites_subject(question, [van_halen], translations={"en": "When did Hana Kimura debut?"}) is False
    assert cites_subject(question, [kimura], translations={"en": "When did Hana Kimura debut?"}) is True
    # a translation into another script than the article's tells nothing about it
    assert cites_subject(question, [van_halen], translations={"ja": "木村花はいつデビューしましたか"}) is None


def test_cites_subject_counts_a_latin_name_a_chinese_article_writes_as_is():
    report = "Anthropic推出Mythos模型\nAnthropic公司把围绕Mythos模型建立的计划称为Glasswing。"
    mangled = {"zh": "阿诺特称其神话模型构建的程序是什么？"}
    assert (
        cites_subject("What does Anthropic call the Mythos program?", [report], translations=mangled) is True
    )
    assert (
        cites_subject(
            "What does OpenAI call its Codex program?",
            [report],
            translations={"zh": "OpenAI把Codex计划叫什么？"},
        )
        is False
    )


def test_typed_names_are_the_lower_case_words_no_english_word_list_holds():
    assert typed_names("what date was bill pulte made acting dni") == [("pulte",)]
    assert typed_names("so matovic's test came back positive?") == [("matovic",)]
    # inflections, contractions, compounds, typos of long words and chat words are not names
    for question in (
        "which bikers got banned and why",
        "hasnt the ceasefire held",
        "which jornal published the study",
        "when did the govt shutdown start",
        "didn't they say so",
    ):
        assert typed_names(question) == [], question
    assert typed_names("普尔特哪天上任") == []  # Chinese questions have no capitals to miss


def test_a_typed_name_is_stated_however_the_user_spelt_it():
    assert typed_name_stated(("matovic",), "Prime Minister Igor Matovič tested positive.")
    assert typed_name_stated(("rosselo",), "Governor Ricardo Rosselló announced his resignation.")
    health = "the University of Washington's Institute for Health Metrics and Evaluation said"
    assert typed_name_stated(("ihme",), health)
    assert not typed_name_stated(("pulte",), "This bill passed the Senate of the state on Tuesday.")


def test_cites_subject_refuses_an_article_that_never_writes_a_typed_name():
    alabama = (
        "Governor of US state of Alabama signs anti-abortion measure\nThis bill passed the Senate on Tuesday."
    )
    pulte = "Trump names Bill Pulte acting DNI\nBill Pulte was named acting director on June 2."
    question = "what date was bill pulte made acting dni"
    assert cites_subject(question, [alabama]) is False
    assert cites_subject(question, [alabama, pulte]) is True
    # a Chinese report that glosses the name in Latin letters states it; one that does not is read
    # through the question's translation
    assert (
        cites_subject(question, ["特朗普任命代理国家情报总监\n比尔·普尔特(Bill Pulte)6月2日上任。"]) is True
    )
    translated = {"zh": "普尔特哪天被任命为代理国家情报总监？"}
    assert (
        cites_subject(
            question, ["阿拉巴马州签署法案\n州参议院星期二通过了这项法案。"], translations=translated
        )
        is False
    )
