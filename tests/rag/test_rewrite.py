from fake_llm import ScriptedLLM

from rag.rewrite import QuestionRewriter, needs_rewrite

HISTORY = [
    {"role": "user", "content": "When did Aliyun open its first US data center?"},
    {"role": "assistant", "content": "March 2015 [1]"},
]


def test_standalone_questions_are_not_sent_to_the_model():
    llm = ScriptedLLM(reply="should not be used", asked=[])
    q = "How many customers does Aliyun serve today?"
    assert QuestionRewriter(llm).run(q, HISTORY) == q
    assert llm.asked == []


def test_follow_up_is_rewritten_with_the_conversation():
    llm = ScriptedLLM(reply="Where is Aliyun's first US data center?", asked=[])
    assert QuestionRewriter(llm).run("Where is it?", HISTORY) == "Where is Aliyun's first US data center?"
    assert "When did Aliyun open" in llm.asked[0][1].content


def test_runaway_rewrite_falls_back_to_joining_the_questions():
    llm = ScriptedLLM(reply="x" * 1000, asked=[])
    out = QuestionRewriter(llm).run("Where is it?", HISTORY)
    assert out.startswith("When did Aliyun open") and out.endswith("Where is it?")


def test_needs_rewrite_only_with_history():
    assert not needs_rewrite("Where is it?", [])
    assert needs_rewrite("它在哪里？", HISTORY)
