"""Prompt text and the ChatML formatting the packaged Qwen2.5 generators were trained on.

The system prompt always comes first and is rendered byte-identically for every call, so llama.cpp
can reuse the KV cache of that shared prefix from one question to the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from llama_index.core.llms import ChatMessage, MessageRole

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
# Where generation must stop: the end of the assistant turn (and the base model's end of text).
CHATML_STOP = (IM_END, "<|endoftext|>")

DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant."

_SYSTEM_ROLES = (MessageRole.SYSTEM, MessageRole.DEVELOPER)
_ROLE_NAMES = {
    MessageRole.SYSTEM: "system",
    MessageRole.DEVELOPER: "system",
    MessageRole.USER: "user",
    MessageRole.ASSISTANT: "assistant",
    MessageRole.TOOL: "tool",
    MessageRole.FUNCTION: "tool",
    MessageRole.CHATBOT: "assistant",
    MessageRole.MODEL: "assistant",
}


def chatml_turn(role: str, content: str) -> str:
    """One ChatML turn, closed, with the newline Qwen's chat template puts after it."""
    return f"{IM_START}{role}\n{content}{IM_END}\n"


def messages_to_chatml(
    messages: Sequence[ChatMessage], system_prompt: str | None = DEFAULT_SYSTEM_PROMPT
) -> str:
    """Render a chat as ChatML ending with an open assistant turn.

    System messages in `messages` are merged (in order) into the one leading system turn; when there
    are none, `system_prompt` is used, so every prompt starts with a system turn like Qwen's template.
    """
    system_parts = [m.content or "" for m in messages if m.role in _SYSTEM_ROLES]
    system = "\n\n".join(system_parts) if system_parts else system_prompt
    out = [chatml_turn("system", system)] if system else []
    for message in messages:
        if message.role in _SYSTEM_ROLES:
            continue
        out.append(chatml_turn(_ROLE_NAMES.get(message.role, "user"), message.content or ""))
    out.append(f"{IM_START}assistant\n")
    return "".join(out)


def completion_to_chatml(completion: str, system_prompt: str | None = DEFAULT_SYSTEM_PROMPT) -> str:
    """Wrap a bare completion prompt as a one-turn ChatML chat (system turn first)."""
    return messages_to_chatml([ChatMessage(role=MessageRole.USER, content=completion)], system_prompt)
