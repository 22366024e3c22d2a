"""Rewrite a follow-up question into a standalone one before retrieval.

"When did it open?" after a question about Aliyun retrieves nothing useful on its own. Only
questions that lean on the conversation (pronouns, very short) are sent to the model; the rewrite is
checked and the original question kept when the model's output looks wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

_ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there|then|the same|"
    r"the company|the article|the report)\b|它|他们|她们|他|她|这个|那个|该|此",
    re.IGNORECASE,
)
_PROMPT = (
    "Rewrite the last user question so that it can be understood without the conversation. "
    "Replace pronouns with the names they refer to. Reply with the rewritten question only."
)


def needs_rewrite(question: str, history: Sequence[dict[str, str]]) -> bool:
    """True when the question depends on earlier turns."""
    if not any(m.get("role") == "user" for m in history):
        return False
    return bool(_ANAPHORA.search(question)) or len(question.split()) <= 4


class QuestionRewriter:
    """Turns (history, follow-up) into a standalone question with one short model call."""

    def __init__(self, llm: LLM, max_turns: int = 4) -> None:
        self._llm = llm
        self._max_turns = max_turns

    def run(self, question: str, history: Sequence[dict[str, str]] | None) -> str:
        history = list(history or [])
        if not needs_rewrite(question, history):
            return question
        turns = history[-2 * self._max_turns :]
        convo = "\n".join(f"{m['role']}: {_plain(m.get('content', ''))}" for m in turns)
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=_PROMPT),
            ChatMessage(
                role=MessageRole.USER, content=f"Conversation:\n{convo}\n\nLast user question: {question}"
            ),
        ]
        rewritten = str(self._llm.chat(messages).message.content or "").strip().strip('"').splitlines()
        candidate = rewritten[0].strip() if rewritten else ""
        if not candidate or len(candidate) > 3 * len(question) + 120:
            last_user = next((m["content"] for m in reversed(history) if m.get("role") == "user"), "")
            return f"{_plain(last_user)} {question}".strip()
        return candidate


def _plain(content: object) -> str:
    """Chat contents may be rich (lists, dicts in Gradio); keep the text, drop citation markers."""
    text = content if isinstance(content, str) else str(content)
    return re.sub(r"\[\d+\]", "", text).strip()[:500]
