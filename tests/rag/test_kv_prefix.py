"""KV snapshots of prompt openings (rag/kv_prefix.py), against a stand-in for llama.cpp's context
that keeps one token per KV cell and counts what it evaluates."""

from __future__ import annotations

import ctypes
import types

import numpy as np
import pytest

from rag.kv_prefix import MIN_PREFIX_TOKENS, PrefixSnapshots, fixed_opening
from rag.prompts import chatml_turn

SYSTEM = chatml_turn("system", "You answer questions about news using only the passages. " * 2)
TRANSLATOR = chatml_turn("system", "You translate news questions. Reply with the translation only. " * 2)


def _prompt(system: str, question: str) -> str:
    return f"{system}{chatml_turn('user', question)}<|im_start|>assistant\n"


class _Context:
    """One KV sequence: the tokens whose cells exist."""

    def __init__(self) -> None:
        self.cells: list[int] = []
        self.ctx = self

    def kv_cache_seq_rm(self, seq: int, p0: int, p1: int) -> None:
        assert (seq, p1) == (-1, -1)
        del self.cells[p0:]


class _Llama:
    """Tokens are bytes; `eval` appends cells after `n_tokens`, as llama.cpp does."""

    def __init__(self) -> None:
        self._ctx = _Context()
        self.input_ids = np.zeros(4096, dtype=np.intc)
        self.n_tokens = 0
        self.evaluated = 0

    def tokenize(self, text: bytes, add_bos: bool = False, special: bool = True) -> list[int]:
        return list(text)

    def eval(self, tokens: list[int]) -> None:
        del self._ctx.cells[self.n_tokens :]
        self._ctx.cells.extend(tokens)
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self.evaluated += len(tokens)

    def run(self, snapshots: PrefixSnapshots, prompt: str) -> int:
        """What the answering flow does: restore the opening, then evaluate the rest."""
        tokens = self.tokenize(prompt.encode())
        held = snapshots.run(self, prompt, tokens)
        assert list(self.input_ids[:held]) == tokens[:held] == self._ctx.cells[:held]
        self.n_tokens = held
        self.eval(tokens[held:])
        return held


def _bindings(refuse: bool = False) -> types.SimpleNamespace:
    """llama_state_seq_* over `_Context.cells` (one byte per cell)."""

    def get_data(ctx: _Context, buffer: ctypes.Array, size: int, seq: int) -> int:
        for i, token in enumerate(ctx.cells):
            buffer[i] = token
        return len(ctx.cells)

    def set_data(ctx: _Context, buffer: ctypes.Array, size: int, seq: int) -> int:
        if refuse:
            return 0
        ctx.cells = list(bytes(buffer))
        return size

    return types.SimpleNamespace(
        llama_state_seq_get_size=lambda ctx, seq: len(ctx.cells),
        llama_state_seq_get_data=get_data,
        llama_state_seq_set_data=set_data,
    )


def test_the_opening_is_everything_before_the_last_user_turn() -> None:
    prompt = _prompt(SYSTEM, "When did Aliyun open?")
    assert fixed_opening(prompt) == SYSTEM
    assert fixed_opening("no chat turns at all") == ""


def test_the_opening_takes_in_the_instruction_lines_a_worked_example_repeats() -> None:
    example = TRANSLATOR + chatml_turn("user", "Translate into English:\n中国的首都在哪里？")
    example += chatml_turn("assistant", "Where is the capital of China?")
    prompt = _prompt(example, "Translate into English:\n阿里云是什么时候开的？")
    assert fixed_opening(prompt) == example + "<|im_start|>user\nTranslate into English:\n"
    # a request that words its instruction otherwise keeps only the turns before it
    other = _prompt(example, "Translate into Chinese:\nWhen did Aliyun open?")
    assert fixed_opening(other) == example + "<|im_start|>user\n"


def test_an_opening_displaced_by_another_prompt_is_restored_not_evaluated_again() -> None:
    llama, snapshots = _Llama(), PrefixSnapshots(bindings=_bindings())
    assert llama.run(snapshots, _prompt(SYSTEM, "When did Aliyun open?")) == len(SYSTEM)
    assert llama.evaluated == len(_prompt(SYSTEM, "When did Aliyun open?"))  # first sight: all of it
    llama.run(snapshots, _prompt(TRANSLATOR, "阿里云何时开业？"))  # displaces the answer's system turn
    before = llama.evaluated
    second = _prompt(SYSTEM, "Who won?")
    assert llama.run(snapshots, second) == len(SYSTEM)
    assert llama.evaluated - before == len(second) - len(SYSTEM)  # only the question's turn
    assert llama._ctx.cells == list(second.encode())  # the KV cache holds exactly the new prompt


def test_only_the_opening_is_reused_so_the_rest_is_evaluated_the_same_way_every_time() -> None:
    llama, snapshots = _Llama(), PrefixSnapshots(bindings=_bindings())
    llama.run(snapshots, _prompt(SYSTEM, "When did Aliyun open?"))
    before = llama.evaluated
    again = _prompt(SYSTEM, "When did Aliyun open? Again")  # shares more than the opening
    assert llama.run(snapshots, again) == len(SYSTEM)
    assert llama.evaluated - before == len(again) - len(SYSTEM)


def test_an_opening_held_after_another_kinds_opening_is_restored_from_its_own_snapshot() -> None:
    """A translator's opening starts with the system turn of another prompt kind; the cells the cache
    holds for it were computed as part of the longer opening, so they are replaced by the snapshot."""
    llama, snapshots = _Llama(), PrefixSnapshots(bindings=_bindings())
    longer = SYSTEM + chatml_turn("user", "example question") + chatml_turn("assistant", "its translation")
    llama.run(snapshots, _prompt(SYSTEM, "a"))
    llama.run(snapshots, _prompt(longer, "b"))
    restored = []
    snapshots._restore = lambda llama, key: restored.append(len(key))  # type: ignore[method-assign]
    llama.run(snapshots, _prompt(SYSTEM, "c"))
    assert restored == [len(SYSTEM)]


def test_short_or_missing_openings_reuse_what_the_cache_shares_as_before() -> None:
    llama, snapshots = _Llama(), PrefixSnapshots(bindings=_bindings())
    llama.run(snapshots, _prompt(SYSTEM, "When did Aliyun open?"))
    short = _prompt(chatml_turn("system", ""), "Who?")
    assert len(fixed_opening(short)) < MIN_PREFIX_TOKENS
    assert llama.run(snapshots, short) == len("<|im_start|>system\n")  # only what llama.cpp shares
    assert llama.run(snapshots, "plain completion text, no turns") == 0


def test_the_least_recently_used_opening_is_dropped_first() -> None:
    llama, snapshots = _Llama(), PrefixSnapshots(max_entries=1, bindings=_bindings())
    llama.run(snapshots, _prompt(SYSTEM, "a"))
    llama.run(snapshots, _prompt(TRANSLATOR, "b"))  # replaces SYSTEM's snapshot
    before = llama.evaluated
    llama.run(snapshots, _prompt(SYSTEM, "c"))
    assert llama.evaluated - before == len(_prompt(SYSTEM, "c"))  # first sight again: all of it


def test_an_opening_llama_cpp_gives_no_snapshot_of_is_evaluated_each_time() -> None:
    bindings = _bindings()
    bindings.llama_state_seq_get_data = lambda ctx, buffer, size, seq: 0
    llama, snapshots = _Llama(), PrefixSnapshots(bindings=bindings)
    llama.run(snapshots, _prompt(SYSTEM, "a"))
    llama.run(snapshots, _prompt(TRANSLATOR, "b"))
    before = llama.evaluated
    assert llama.run(snapshots, _prompt(SYSTEM, "c")) == len(SYSTEM)
    assert llama.evaluated - before == len(_prompt(SYSTEM, "c"))


def test_a_snapshot_llama_cpp_refuses_is_evaluated_instead() -> None:
    llama, snapshots = _Llama(), PrefixSnapshots(bindings=_bindings(refuse=True))
    llama.run(snapshots, _prompt(SYSTEM, "a"))
    llama.run(snapshots, _prompt(TRANSLATOR, "b"))
    prompt = _prompt(SYSTEM, "c")
    assert llama.run(snapshots, prompt) == len(SYSTEM)
    assert llama._ctx.cells == list(prompt.encode())


@pytest.mark.slow
def test_a_restored_opening_gives_the_reply_and_judgement_it_gave_when_first_evaluated() -> None:
    """The real packaged 0.5B: a translation, and a judge's Yes/No probabilities, computed again after
    another prompt displaced their opening come out exactly as the first time (the snapshot is that
    opening's own KV), and the opening is not evaluated again."""
    pytest.importorskip("llama_cpp")
    from llama_index.core.llms import ChatMessage, MessageRole

    from rag.judge import LabelScorer
    from rag.llm import build_llm
    from rag.settings import RagSettings
    from rag.translate import translation_messages

    llm = build_llm(RagSettings(packaged_model="qwen2.5-coder-0.5b", llm_max_new_tokens=24))
    assert llm._prefixes is not None  # on by default
    other = [ChatMessage(role=MessageRole.USER, content="Say hello.")]
    chat = translation_messages("阿里云在美国的第一个数据中心是什么时候开的？", "en", "example")
    opening = llm._model.tokenize(
        fixed_opening(llm.messages_to_prompt(chat)).encode(), add_bos=False, special=True
    )
    first = llm.chat(chat).message.content
    llm.chat(other)  # displaces the translator's opening
    again = llm.chat(chat).message.content
    assert again == first and first.strip()
    assert llm.last_prompt_use().reused >= len(opening)

    scorer = LabelScorer(llm)
    judged = [
        ChatMessage(role=MessageRole.SYSTEM, content="You check answers against news passages. " * 4),
        ChatMessage(
            role=MessageRole.USER, content="Passage: Aliyun opened in March.\nIs March right? Yes or No."
        ),
    ]
    p_first = scorer.distribution(judged, ("Yes", "No"))
    llm.chat(other)
    assert scorer.distribution(judged, ("Yes", "No")) == p_first
    # after a prompt sharing more than the opening, only the opening is reused: the same figures again
    longer = [judged[0], ChatMessage(role=MessageRole.USER, content=judged[1].content + " Think.")]
    scorer.distribution(longer, ("Yes", "No"))
    assert scorer.distribution(judged, ("Yes", "No")) == p_first
