from eval.cli import asked_in_lower_case
from eval.gold import GoldQuestion


def test_lower_case_keeps_only_questions_that_change_and_tags_them() -> None:
    questions = [
        GoldQuestion("a", "When did Aliyun open its first US data center?", "March 2015", "temporal_query"),
        GoldQuestion("b", "what did hosni mubarak die of", "Insufficient information.", "null_query"),
        GoldQuestion("c", "阿里云何时成立？", "2009年", "inference_query", language="zh"),
    ]
    asked = asked_in_lower_case(questions)
    assert [q.id for q in asked] == ["a"]
    assert asked[0].query == "when did aliyun open its first us data center?"
    assert "lower-case" in asked[0].tags and asked[0].answer == "March 2015"
