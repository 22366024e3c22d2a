"""Translate a question into the corpus's other languages, so that keyword search finds articles in them.

The multilingual embedding model matches meaning across languages, but BM25 matches words only
within a script: a Chinese question about an English article gets no keyword evidence for it, while
Chinese articles that merely share its words do, and the English article is drowned. A translation
of the question is searched beside it (`HybridRetriever.search(..., translations=...)`), each
language's chunks scored by the question written in that language.

One short call per target language, cached per question (in memory, and in the prompt cache when
one is configured), bounded: decoding stops at the end of the first line, after twice the question's
(estimated) tokens plus 8, or as soon as the reply loops (a short piece repeated four times, as the
1.5B once wrote "巴哈马城" until its 96-token limit, 25 s). A cut-off, looping or implausible reply is
dropped (the question is then searched as before). `NEWSRAG_TRANSLATOR_MODEL` picks the model: the
answer generator, or a packaged GGUF loaded beside it on the first question that needs a translation.

On by default (`NEWSRAG_TRANSLATE_QUESTIONS`), for the questions `rag.subject.needs_translation`
picks: short ones naming something no retrieved article in their own language states. Measured
translating every question, bounded, on two shared cores, checking half (31 cross-lingual questions; `NEWSRAG_TRANSLATOR_MODEL=... python bench/crosslingual_bench.py
--split check --no-cache`, docs/retrieval.md):
- Qwen2.5-Coder-1.5B (the generator): cross-lingual Hits@4 0.556 -> 0.926, +3.7 s median (p90 5.3 s).
- Qwen2.5-Coder-0.5B (separate, +675 MiB RSS): 0.556 -> 0.778, +1.5 s median (p90 2.3 s); it drops
  more replies (answers instead of translations) and loses two Chinese questions' hits. The cost
  grows with the question: on the long English MultiHop-RAG questions the 0.5B call took 3.5 s median.
Its own short system prompt: with the answer prompt's system turn the small model answered the
question rather than translating it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from index.calendar import MONTHS
from index.cjk import HAN_CHAR, HANGUL, UNSPACED
from index.language import detect_language, normalize_language
from index.numbers import numbers_as_digits
from rag.decompose import asks_what, is_yes_no_question
from rag.models import Filters
from rag.prompt_cache import PromptCache
from rag.prompts import messages_to_chatml
from rag.quantities import chinese_amount, english_amount, quantities, value_text
from rag.settings import TranslationPrompt

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
TOKEN_ALLOWANCE = 8  # tokens a translation may take beyond twice the question's
_TOKEN_PIECES = re.compile(f"[{UNSPACED}{HANGUL}]|\\d|[^\\W\\d_{UNSPACED}{HANGUL}]+|[^\\w\\s]")
_REPEAT = re.compile(r"(.{2,20}?)\1{3,}", re.DOTALL)


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


# One worked example per target language for the "example" prompt: a question in another language and
# its translation, given as an earlier turn of the chat. Generic (not from any gold set): it shows that
# the reply is the question translated, not its answer.
EXAMPLES = {
    "en": ("中国的首都在哪里？", "Where is the capital of China?"),
    "zh": ("Where is the capital of China?", "中国的首都在哪里？"),
}


def translation_prompt(question: str, target: str, style: TranslationPrompt = "plain") -> str:
    """The user turn asking for one translation (names kept as that language's news writes them);
    "example" also says not to answer it."""
    name = LANGUAGE_NAMES[target]
    if style == "plain":
        return f"Translate into {name}, writing names as {name} news reports write them:\n{question}"
    return (
        f"Translate this question into {name}. Do not answer it. "
        f"Write names as {name} news reports write them:\n{question}"
    )


def translation_messages(question: str, target: str, style: TranslationPrompt = "plain") -> list[ChatMessage]:
    """The chat: the system turn, then (style "example", where one is written for `target`) a worked
    example as a user turn and the translator's reply, then the request. With the example the 1.5B
    answers instead of translating far less often (docs/retrieval.md)."""
    messages = [ChatMessage(role=MessageRole.SYSTEM, content=TRANSLATOR_PROMPT)]
    if style == "example" and target in EXAMPLES:
        source, translation = EXAMPLES[target]
        messages += [
            ChatMessage(role=MessageRole.USER, content=translation_prompt(source, target, style)),
            ChatMessage(role=MessageRole.ASSISTANT, content=translation),
        ]
    return [
        *messages,
        ChatMessage(role=MessageRole.USER, content=translation_prompt(question, target, style)),
    ]


class QuestionTranslator:
    """Translates a question into other languages with one short, bounded generator call per language."""

    def __init__(
        self,
        llm: LLM | Callable[[], LLM],
        cache: PromptCache | None = None,
        max_entries: int = 1024,
        style: TranslationPrompt = "plain",
    ) -> None:
        """`llm`: the model, or a function returning it, called on the first translation (a separate
        translator model is then loaded only when a question needs one). `cache`: the prompt cache
        (replies keyed by the exact prompt), if configured; it must belong to that model."""
        self._llm = llm if isinstance(llm, LLM) else None
        self._load = None if isinstance(llm, LLM) else llm
        self._cache = cache
        self._memory: dict[tuple[str, str], str | None] = {}
        self._max_entries = max_entries
        self._style = style

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

    def _model(self) -> LLM:
        if self._llm is None:
            assert self._load is not None
            self._llm = self._load()
        return self._llm

    def _translate(self, question: str, lang: str) -> str | None:
        messages = translation_messages(question, lang, self._style)
        key = messages_to_chatml(messages, None)
        limit = max_translation_tokens(question)
        raw = self._cache.get("translate", key) if self._cache is not None else None
        fresh, cut = raw is None, False
        if raw is None:
            try:
                raw, cut = first_line(self._model(), messages, limit)
            except Exception as exc:  # a failing generator must not stop the question being answered
                log.warning(
                    "could not translate the question into %s (%s); searching it untranslated", lang, exc
                )
                return None
        problem = f"ran past {limit} tokens" if cut else reply_problem(raw, limit)
        if problem is not None:  # also checked on a reply cached before the bound existed
            # Not cached: a cut-off or looping reply is dropped, and the next model may do better.
            log.info("dropped a %s translation of %r that %s: %r", lang, question[:80], problem, _ends(raw))
            return None
        if fresh and self._cache is not None:
            self._cache.put("translate", key, raw)
        text = clean_translation(raw)
        if not plausible_translation(question, text, lang):
            log.info("dropped an implausible %s translation of %r: %r", lang, question[:80], _ends(raw))
            return None
        return numbers_as_asked(text, question)


def first_line(llm: LLM, messages: list[ChatMessage], limit: int) -> tuple[str, bool]:
    """Decode until the reply's first non-empty line is complete (a translation is one line), for at
    most `limit` streamed pieces (one per token from llama.cpp) and no further than a loop. Returns
    the text and whether it was cut at `limit`.

    Bounded here, not by the backend's max-tokens: LlamaCPP ignores per-call arguments, and closing
    the stream stops every backend.
    """
    pieces: list[str] = []
    text = ""
    with contextlib.closing(llm.stream_chat(messages)) as stream:
        for n, chunk in enumerate(stream, start=1):
            pieces.append(chunk.delta or "")
            text = "".join(pieces).lstrip()
            if "\n" in text:
                return text.split("\n", 1)[0], False
            if n >= limit:
                return text, True
            if repeats_itself(text):
                return text, False
    return text.strip(), False


def reply_problem(raw: str, limit: int) -> str | None:
    """Why a reply is not a translation to keep, by its shape: it loops, or is longer than the bound (a
    backend streaming in a few large pieces, a reply cached before the bound)."""
    if estimate_tokens(raw) > limit:
        return f"ran past {limit} tokens"
    if repeats_itself(raw):
        return "repeats itself"
    return None


def max_translation_tokens(question: str) -> int:
    """The most tokens a translation of `question` may take: twice the question's (estimated) tokens
    plus a few for a label or quotes. A translation is about as long as its source (Chinese <-> English
    within ~1.5x in Qwen's tokens); a reply past this is an answer or a loop, not a translation."""
    return 2 * estimate_tokens(question) + TOKEN_ALLOWANCE


def estimate_tokens(text: str) -> int:
    """Tokens of `text` as Qwen-like BPE vocabularies cut it, roughly and without the model's tokenizer
    (which a remote generator does not expose): one per CJK character, digit, punctuation mark or word."""
    return len(_TOKEN_PIECES.findall(text))


def repeats_itself(text: str) -> bool:
    """A run of one short piece (2-20 characters, not only digits or symbols) repeated four or more
    times, as a small model's greedy decoding loops ("巴哈马城巴哈马城巴哈马城巴哈马城…")."""
    return any(any(c.isalpha() for c in m.group(1)) for m in _REPEAT.finditer(text))


def _ends(text: str) -> str:
    """A long reply's beginning and end, for a log line (where a loop shows)."""
    return text if len(text) <= 120 else f"{text[:70]} … {text[-50:]}"


# A number standing alone (not the "19" of "COVID-19" or the "8" of "U8"), with its scale word and,
# in English, the preposition that may introduce it ("in 1970", "35,000", "1.4 million", "5.1万").
_LONE_NUMBER = re.compile(
    r"(?i)(?<![A-Za-z0-9_.,-])((?:in|on|of|at|by|for|since)\s+)?"
    r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(\s+(?:thousand|million|billion|trillion)|万|亿)?"
    r"(?![A-Za-z0-9_-]|[年月日号点时分])"  # "2026年5月29日" is a date, read as such elsewhere
)


def numbers_as_asked(translation: str, question: str) -> str:
    """The translation with its numbers as the question gives them. The 1.5B misreads Chinese scale
    words ("35万", 350,000, became "35,000"; "51,000" became "51") and adds years the question does
    not give ("康耶斯是哪年 ..." became "... in 1970?"); every check that reads the translation would
    then look for them. A number of another value than any the question gives is replaced by one of
    the question's that the translation lacks, written as the translation's language writes numbers;
    else, in a Latin-script translation, dropped with its preposition."""

    if re.search(r"(?<![A-Za-z])\d[\d,.]*[A-Za-z]", question):
        return translation  # "$14bn", "50k": a value this reading does not know

    def months(text: str) -> list[str]:  # "August" is 8月
        return [str(MONTHS[w]) for w in re.findall(r"[a-z]+", text.lower()) if w in MONTHS]

    asked = [value_text(q.value) for q in quantities(numbers_as_digits(question))] + months(question)
    said = {value_text(q.value) for q in quantities(translation)} | set(months(translation))
    unmatched = [v for v in asked if v not in said]
    chinese = bool(HAN_CHAR.search(translation))

    def as_asked(m: re.Match[str]) -> str:
        (number,) = quantities(m.group(2) + (m.group(3) or ""))  # with its scale: "1.4 million", "5.1万"
        if value_text(number.value) in asked:
            return m.group(0)
        if unmatched:
            value = Decimal(unmatched.pop(0))
            return (m.group(1) or "") + (chinese_amount(value) if chinese else english_amount(value))
        return m.group(0) if chinese else ""

    text = _LONE_NUMBER.sub(as_asked, translation)
    return re.sub(r"\s*,?\s+(?=[?？.,!])|,(?=[?？.!])", "", re.sub(r"\s{2,}", " ", text)).strip()


def clean_translation(raw: str) -> str:
    """The reply without a leading label ("Question:") or surrounding quotes."""
    text = _LABEL.sub("", raw.strip().split("\n", 1)[0])
    return text.strip().strip(_QUOTES).strip()


_QUESTION_END = ("?", "？")


def plausible_translation(question: str, text: str, lang: str) -> bool:
    """Non-empty, in the target language, not the question itself and not much longer than it, and a
    question when the source is one: a statement is the small model answering ("The new Sultan is
    King Abdullah II."), and searching it would bring in the names it made up. A question typed without
    its mark asks by its words ("穆加贝是在新加坡哪家医院去世的" became "Mukasa died at the Singapore
    General Hospital.")."""
    if not text or text == question.strip() or len(text) > 3 * len(question) + 60:
        return False
    if _asks(question) and not _asks(text):
        return False
    return detect_language(text) == lang


def _asks(text: str) -> bool:
    """A question by its mark or its words ("哪家医院", "did ...", "吗"), not a claim to confirm."""
    return text.rstrip().endswith(_QUESTION_END) or is_yes_no_question(text) or asks_what(text)
