"""What the person typed or picked, checked and turned into the assistant's arguments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from rag.models import Filters

NOTICE = "⚠️ "  # prefixes app messages in the chat; they are not answers and never go back as history


class UserFacingError(Exception):
    """A problem the person can act on; shown as a plain message, never as a traceback."""


def _parse_day(value: Any, label: str) -> date | None:
    """A date from the date pickers or the API: "2016-01-01", "2016-01-01 00:00:00", a date or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value).date()
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise UserFacingError(f"'{label}' must be a date like 2016-01-01, not {text[:40]!r}.") from None


def _names(values: Sequence[str] | str | None) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    return tuple(sorted({v.strip() for v in values or () if isinstance(v, str) and v.strip()}))


def to_filters(
    sources: Sequence[str] | str | None = None,
    languages: Sequence[str] | str | None = None,
    since: Any = None,
    until: Any = None,
) -> Filters:
    """The filter widgets' values as `rag.models.Filters`; a clear error for bad dates."""
    since_day = _parse_day(since, "Published since")
    until_day = _parse_day(until, "Published until")
    if since_day and until_day and since_day > until_day:
        raise UserFacingError(
            f"The date range is empty: 'since' ({since_day}) is after 'until' ({until_day})."
        )
    return Filters(sources=_names(sources), languages=_names(languages), since=since_day, until=until_day)


def to_as_of(value: Any) -> date | None:
    """The "As of" box: the day the question is asked ("last week" is resolved against it); None = today."""
    return _parse_day(value, "As of")


def check_question(message: Any, max_chars: int) -> str:
    """The question text, stripped; a clear error when empty or over the length cap."""
    if isinstance(message, dict):  # a multimodal textbox sends {"text": ..., "files": [...]}
        message = message.get("text", "")
    question = (message or "").strip()
    if not question:
        raise UserFacingError("Please type a question.")
    if len(question) > max_chars:
        raise UserFacingError(
            f"Your question is {len(question):,} characters long; the limit is {max_chars:,}. "
            "Please shorten it."
        )
    return question


def _content_text(content: Any) -> str:
    """Text of a chat message's content, in any of the shapes Gradio hands back."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text", "") if content.get("type", "text") == "text" else ""
    if isinstance(content, list | tuple):
        return "\n".join(t for t in (_content_text(c) for c in content) if t)
    return ""


def history_to_messages(history: Iterable[Any] | None) -> list[dict[str, str]]:
    """The chat so far as `{"role", "content"}` messages for the assistant, minus app notices."""
    messages: list[dict[str, str]] = []
    for item in history or ():
        role = item.get("role") if isinstance(item, dict) else getattr(item, "role", None)
        content = item.get("content") if isinstance(item, dict) else getattr(item, "content", None)
        text = _content_text(content).strip()
        if role not in ("user", "assistant") or not text:
            continue
        if role == "assistant" and text.startswith(NOTICE):
            if messages and messages[-1]["role"] == "user":
                messages.pop()  # the question that got a notice instead of an answer
            continue
        messages.append({"role": role, "content": text})
    return messages
