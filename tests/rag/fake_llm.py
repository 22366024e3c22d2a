"""A scripted generator for tests: a fixed reply, the prompts it was given recorded."""

from __future__ import annotations

from llama_index.core.base.llms.types import ChatMessage, ChatResponse
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata


class ScriptedLLM(CustomLLM):
    """Answers every chat with a fixed reply (streamed as one delta) and records what it was asked;
    `replies`, when given, are streamed first, one per chat, in order."""

    reply: str = ""
    replies: list = Field(default_factory=list)
    asked: list = Field(default_factory=list)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata()

    def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
        self.asked.append(prompt)
        return CompletionResponse(text=self.reply, delta=self.reply)

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
        yield self.complete(prompt)

    def stream_chat(self, messages: list[ChatMessage], **kwargs):
        self.asked.append("\n".join(m.content or "" for m in messages))
        reply = self.replies.pop(0) if self.replies else self.reply
        yield ChatResponse(message=ChatMessage(role="assistant", content=reply), delta=reply)

    def chat(self, messages: list[ChatMessage], **kwargs) -> ChatResponse:
        self.asked.append(messages)
        return ChatResponse(message=ChatMessage(role="assistant", content=self.reply))
