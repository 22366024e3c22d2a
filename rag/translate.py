"""Translate a question into the corpus's other languages, so that keyword search finds articles in them.

The multilingual embedding model matches meaning across languages, but BM25 matches words only
within a script: a Chinese question about an English article gets no keyword evidence for it, while
Chinese articles that merely share its words do, and the English article is drowned. A translation
of the question is searched beside it (`HybridRetriever.search(..., translations=...)`), each
language's chunks scored by the question written in that language.

One short generator call per target language, cached per question (in memory, and in the prompt
cache when one is configured); decoding stops at the end of the first line. A reply that is not a
plausible translation is dropped (the question is then searched as before).

Off by default (`NEWSRAG_TRANSLATE_QUESTIONS`): measured with the packaged Qwen2.5-Coder-1.5B on two
cores it took 4 s a question (median) and, asked for English, often answered the Chinese question
instead of translating it, with invented names ("Nairobi" for Vienna) that mislead keyword search;
the language-aware fusion in `rag.retrieval` does better without it (docs/retrieval.md). It is
for a stronger generator (Ollama, an OpenAI-compatible server). Its own short system prompt: with the
answer prompt's system turn the small model answered the question rather than translating it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Sequence

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from index.language import detect_language, normalize_language
from rag.models import Filters
from rag.prompt_cache import PromptCache
from rag.prompts import messages_to_chatml

log = logging.getLogger(__name__)

# Languages a question can be translated into, as the prompt names them.
LANGUAGE_NAMES = {
    "en": "English",
    "zh": "Simplified Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "ru": "Russian",
}
TRANSLATOR_PROMPT = "You translate news questions. Reply with the translation only, on one line."
_LABEL = re.compile(r"^\s*(?:question|translation|译文|翻译|问题)\s*[:：]\s*", re.IGNORECASE)
_QUOTES = "\"'“”‘’「」『』"


def target_languages(
    question: str, corpus_languages: Sequence[str], filters: Filters | None = None
) -> list[str]:
    """The corpus's languages other than the question's (only those the filters allow), in corpus order."""
    own = detect_language(question)
    allowed = (
        {normalize_language(lang) for lang in filters.languages} if filters and filters.languages else None
    )
    out: list[str] = []
    for lang in corpus_languages:
        code = normalize_language(lang)
        if code and code != own and code in LANGUAGE_NAMES and (allowed is None or code in allowed):
            out.append(code)
    return list(dict.fromkeys(out))


def translation_prompt(question: str, target: str) -> str:
    """The user turn asking for one translation (names kept as that language's news writes them)."""
    name = LANGUAGE_NAMES[target]
    return f"Translate into {name}, writing names as {name} news reports write them:\n{question}"


class QuestionTranslator:
    """Translates a question into other languages with one short generator call per language."""

    def __init__(self, llm: LLM, cache: PromptCache | None = None, max_entries: int = 1024) -> None:
        """`cache`: the prompt cache (replies keyed by the exact prompt), if configured."""
        self._llm = llm
        self._cache = cache
        self._memory: dict[tuple[str, str], str | None] = {}
        self._max_entries = max_entries

    def run(self, question: str, languages: Sequence[str]) -> dict[str, str]:
        """{language: translation} for each of `languages`; a failed or implausible one is left out."""
        out: dict[str, str] = {}
        for lang in languages:
            key = (question, lang)
            if key not in self._memory:
                if len(self._memory) >= self._max_entries:
                    self._memory.clear()
                self._memory[key] = self._translate(question, lang)
            if (text := self._memory[key]) is not None:
                out[lang] = text
        return out

    def _translate(self, question: str, lang: str) -> str | None:
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=TRANSLATOR_PROMPT),
            ChatMessage(role=MessageRole.USER, content=translation_prompt(question, lang)),
        ]
        key = messages_to_chatml(messages, None)
        raw = self._cache.get("translate", key) if self._cache is not None else None
        if raw is None:
            try:
                raw = self._first_line(messages)
            except Exception as exc:  # a failing generator must not stop the question being answered
                log.warning(
                    "could not translate the question into %s (%s); searching it untranslated", lang, exc
                )
                return None
            if self._cache is not None:
                self._cache.put("translate", key, raw)
        text = clean_translation(raw)
        if not plausible_translation(question, text, lang):
            log.info("dropped an implausible %s translation of %r: %r", lang, question[:80], raw[:80])
            return None
        return text

    def _first_line(self, messages: list[ChatMessage]) -> str:
        """Decode until the reply's first non-empty line is complete (a translation is one line)."""
        pieces: list[str] = []
        with contextlib.closing(self._llm.stream_chat(messages)) as stream:
            for chunk in stream:
                pieces.append(chunk.delta or "")
                text = "".join(pieces).lstrip()
                if "\n" in text:
                    return text.split("\n", 1)[0]
        return "".join(pieces).strip()


def clean_translation(raw: str) -> str:
    """The reply without a leading label ("Question:") or surrounding quotes."""
    text = _LABEL.sub("", raw.strip().split("\n", 1)[0])
    return text.strip().strip(_QUOTES).strip()


def plausible_translation(question: str, text: str, lang: str) -> bool:
    """Non-empty, in the target language, not the question itself and not much longer than it."""
    if not text or text == question.strip() or len(text) > 3 * len(question) + 60:
        return False
    return detect_language(text) == lang
