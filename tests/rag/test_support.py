from rag.support import (
    date_forms,
    humanize_iso_dates,
    iso_dates,
    lexical_support,
    localize_dates,
    spoken_date,
    tokens,
)


def test_iso_dates_gives_each_written_date_also_at_month_precision():
    # the forms themselves are index.date_text's (tests/index/test_date_text.py)
    assert iso_dates("January 10, 2019 and 2025年11月26日") == {
        "2019-01-10",
        "2019-01",
        "2025-11-26",
        "2025-11",
    }
    assert iso_dates("no dates here, only 42 cats") == set()


def test_resolved_dates_support_a_month_year_answer():
    sentence = (
        "That followed the opening in March of its first overseas data center in Silicon Valley in the US."
    )
    assert lexical_support("March 2015", sentence, ["2015-03"]) == 1.0
    # without the resolution the year is missing
    assert lexical_support("March 2015", sentence) < 0.5


def test_wrong_month_is_not_supported():
    assert lexical_support("May 2015", "It opened in March.", ["2015-03"]) < 1.0


def test_chinese_is_compared_by_character():
    assert lexical_support("32个", "香港政府表示，32个国家与中国于5月30日签署了一项公约") == 1.0
    assert "香" in tokens("香港")


def test_numbers_in_words_support_digits() -> None:
    from rag.support import lexical_support

    assert lexical_support("15", "five girls, all aged fifteen, died") == 1.0
    assert lexical_support("10", "他被判处十年监禁") == 1.0
    assert lexical_support("16", "five girls, all aged fifteen, died") == 0.0


def test_numbers_count_by_value_in_any_form():
    assert lexical_support("6,000", "They breed more than six thousand lions") == 1.0
    assert lexical_support("140万", "Aliyun serves more than 1.4 million customers") == 1.0
    assert lexical_support("2015年3月", "It opened in March", ["2015-03"]) == 1.0
    assert lexical_support("7,000", "They breed more than six thousand lions") == 0.0


def test_a_percentage_is_stated_only_as_a_percentage() -> None:
    sentence = "Biden secured 39 of South Carolina's 54 delegates with about 48% of the vote."
    assert lexical_support("48%", sentence) == 1.0
    assert lexical_support("48 percent", sentence) == 1.0
    assert lexical_support("48", sentence) == 1.0  # a bare number is still the sentence's 48%
    assert "54%" not in tokens(sentence)  # "54%" is not stated by "54 delegates"
    assert lexical_support("54%", sentence) == 0.5  # its bare 54 is; the citation check asks for both
    assert tokens("百分之四十八的选民") >= {"48", "48%"}
    assert "5%" not in tokens("up 5 percentage points")


def test_a_fraction_is_one_token_however_it_is_written() -> None:
    assert tokens("2/3") == tokens("two thirds") == tokens("三分之二") == {"2/3"}
    assert lexical_support("2/3", "he received two-thirds of the votes") == 1.0
    assert lexical_support("1/3", "a third of voters stayed home") == 1.0
    assert lexical_support("2/3", "2 of the 3 seats") == 0.0  # not its pieces
    assert tokens("24/7") == {"24", "7"}  # no fraction: the numerator is not the smaller


def test_a_time_of_day_is_one_token_in_24_hour_form() -> None:
    assert tokens("4:17 p.m.") == {"16:17"}
    assert tokens("17:17") == tokens("5:17 pm") == {"17:17"}
    assert tokens("at 5 p.m. local time") >= {"17:00"}
    assert "17" not in tokens("5:17 p.m.")  # not its pieces


def test_an_english_weekday_before_a_date_is_written_for_a_chinese_reader_too() -> None:
    """ "Tuesday, 2026年6月23日" mixed two languages in one answer."""
    assert localize_dates("Tuesday, 23 June 2026", "zh") == "2026年6月23日（星期二）"
    assert localize_dates("Tuesday, 23 June 2026", "en") == "Tuesday, 23 June 2026"
    assert localize_dates("23 June 2026", "zh") == "2026年6月23日"


def test_a_range_of_days_is_spoken_once_for_what_its_days_share() -> None:
    assert spoken_date("2018-07-13/2018-07-17") == "13 to 17 July 2018"
    assert spoken_date("2019-06-30/2019-07-02") == "30 June to 2 July 2019"
    assert spoken_date("2018-07-13/2018-07-17", "zh") == "2018年7月13日至17日"
    assert spoken_date("2018-12-24/2018-12-30") == "2018-12-24/2018-12-30"  # a week is no range of days


def test_a_range_of_days_stands_for_its_first_and_last_day() -> None:
    assert date_forms("2018-07-13/2018-07-17") == {"2018-07-13", "2018-07-17", "2018-07"}
    assert date_forms("2018-12-24/2018-12-30") == {"2018-12-24/2018-12-30"}
    assert (
        lexical_support("17 July 2018", "The ship sailed from July 13 to 17.", ["2018-07-13/2018-07-17"])
        == 1.0
    )


def test_a_reply_writing_a_range_from_an_iso_day_is_written_as_one_range() -> None:
    """ "2019-03-15 to 17" is 15 to 17 March, not "15 March 2019 to 17"."""
    assert humanize_iso_dates("2019-03-15 to 17 [1]") == "15 to 17 March 2019 [1]"
    assert humanize_iso_dates("2019-03-30 to 2019-04-02") == "30 March to 2 April 2019"
    # a time or a number that cannot end the range stays as written
    assert humanize_iso_dates("2019-03-15 to 17:00") == "15 March 2019 to 17:00"
    assert humanize_iso_dates("2019-03-15 to 12") == "15 March 2019 to 12"
    assert localize_dates("2019-03-15 to 17", "en") == "15 to 17 March 2019"
    assert localize_dates("2019-03-15 to 17", "zh") == "2019年3月15日至17日"


def test_a_day_written_without_its_year_is_stated_only_by_that_day() -> None:
    """ "9月28日" is not stated by "Yesterday [28 August] ... for parts of September": a month and a day
    number of two other dates do not make that day."""
    sentence = "Yesterday, the Queen agreed to suspend Parliament for parts of September and October."
    assert lexical_support("September 28", sentence, ["2019-08-28"]) == 0.0
    assert lexical_support("9月28日", sentence, ["2019-08-28"]) == 0.0
    assert lexical_support("August 28", sentence, ["2019-08-28"]) == 1.0
    assert lexical_support("8月28号", sentence, ["2019-08-28"]) == 1.0
    assert lexical_support("28th of Aug.", "The shop opened on August 28.") == 1.0
    assert tokens("on March 15 at 5:30") == {"--03-15", "05:30"}


def test_the_day_of_a_resolved_date_is_no_count() -> None:
    sentence = "特朗普5月3日下令启动“自由项目”(Project Freedom)，这是美国军方主导的一项人道主义行动。"
    assert lexical_support("3", sentence, ["2026-05-03"]) == 0
    assert lexical_support("5月3日", sentence, ["2026-05-03"]) == 1
    assert lexical_support("May 3, 2026", sentence, ["2026-05-03"]) == 1


def test_a_chinese_weekday_is_a_day_not_a_number() -> None:
    sentence = "世卫组织星期四召开会议，讨论埃博拉病毒株的治疗方法。"
    assert lexical_support("4天", sentence) == 0
    assert lexical_support("Thursday", sentence) == 1
    assert "1" in tokens("每周一次")  # once a week: a count


def test_an_ordinal_is_one_token_however_it_is_written() -> None:
    assert tokens("2nd place") == tokens("finished in second place") - {"finished"}
    assert "2th" not in tokens("3rd place")
    # a fraction is not an ordinal
    assert tokens("a third of voters") == {"1/3", "voters"}


def test_a_bare_day_number_is_the_one_date_of_the_evidence_with_that_day() -> None:
    from rag.support import day_number_as_date

    assert day_number_as_date("2", {"2026-06-02", "2026-06", "2026"}) == "2 June 2026"
    assert day_number_as_date("2号", {"2026-06-02"}) == "2 June 2026"
    assert day_number_as_date("7", {"2026-07-07", "2026-06-07"}) == "7"  # two such days: left as it is
    assert day_number_as_date("12 people", {"2026-07-12"}) == "12 people"
