from llama_index.core.base.llms.types import ChatMessage, ChatResponse
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata

from rag.rewrite import QuestionRewriter, needs_rewrite


class ScriptedLLM(CustomLLM):
    """Answers every chat with a fixed reply and records what it was asked."""

    reply: str = ""
    asked: list = Field(default_factory=list)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata()

    def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
        self.asked.append(prompt)
        return CompletionResponse(text=self.reply)

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
        yield self.complete(prompt)

    def chat(self, messages: list[ChatMessage], **kwargs) -> ChatResponse:
        self.asked.append(messages)
        return ChatResponse(message=ChatMessage(role="assistant", content=self.reply))


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
