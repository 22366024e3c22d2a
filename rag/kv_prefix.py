"""Keep the fixed opening of each kind of prompt in llama.cpp's KV cache, across other prompts.

llama.cpp holds one token sequence in its KV cache, and `Llama.generate` reuses only the longest
prefix a new prompt shares with the previous one. The answer prompt and the checks share the answer
prompt's system turn, so that turn is evaluated once; but a question that is translated first
(`rag.translate`, another system turn and a worked example) displaces it, and then both the
translation's fixed opening and the answer's system turn were evaluated again for every such question.

Before each call, `PrefixSnapshots.run` puts the prompt's fixed opening (everything before its last
user turn, and the instruction lines that turn repeats from a worked example) back from a snapshot
of that sequence's KV cells when another prompt displaced it; the snapshot is taken the first time
an opening is seen, evaluated alone from an empty cache. Nothing after the opening is reused: the rest of the prompt is evaluated afresh. So a prompt is always
evaluated the same way, whatever was asked before it. That matters because llama.cpp's arithmetic
depends slightly on how a prompt is split into batches, and the answer judge's 0.94 threshold sits
where many answers score: reusing whatever prefix the previous prompt happened to share, as
`Llama.generate` does, moved wn-026's P(Yes) from 0.942 to 0.937, and its answer with it
(docs/scale.md, "Prompt openings kept").

Only the KV cells of sequence 0 are copied (`llama_state_seq_get_data`), about 29 KB a token for the
1.5B, so 6.5 MB for the answer's 226-token system turn. Why not llama-cpp-python's `LlamaRAMCache`:
it also copies the n_batch x vocabulary score matrix (512 x 151,936 floats, 311 MB) at every call,
and it reuses the longest shared prefix.
"""

from __future__ import annotations

import ctypes
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from rag.prompts import IM_START

log = logging.getLogger(__name__)

USER_TURN = f"{IM_START}user"
MIN_PREFIX_TOKENS = 32  # shorter openings cost less to evaluate than to keep and restore


def fixed_opening(prompt: str) -> str:
    """The part of a ChatML prompt that every prompt of its kind repeats byte for byte: the system turn
    and any earlier turns (a worked example), and the whole lines the last user turn repeats from the
    user turn before it (the instruction a worked example shows, "Translate this question into
    English. ...:", before the question)."""
    at = prompt.rfind(USER_TURN)
    if at <= 0:
        return ""
    before = prompt.rfind(USER_TURN, 0, at)
    if before < 0:
        return prompt[:at]
    earlier, last = prompt[before:at], prompt[at:]
    same = next((i for i, (a, b) in enumerate(zip(earlier, last, strict=False)) if a != b), len(earlier))
    return prompt[: at + last.rfind("\n", 0, same) + 1]


def held_prefix(llama: Any, tokens: Sequence[int]) -> int:
    """How many leading `tokens` the KV cache already holds, leaving at least one to evaluate (as
    `Llama.generate` reuses its cache)."""
    n = 0
    for x, y in zip(llama.input_ids[: llama.n_tokens], tokens[:-1], strict=False):
        if x != y:
            break
        n += 1
    return n


def reusable_prefix(llama: Any, prompt: str, tokens: Sequence[int], snapshots: PrefixSnapshots | None) -> int:
    """How many of `prompt`'s `tokens` the coming evaluation reuses from the KV cache: its opening, put
    back from its snapshot (`PrefixSnapshots.run`), or without snapshots whatever the cache holds."""
    return held_prefix(llama, tokens) if snapshots is None else snapshots.run(llama, prompt, tokens)


class PrefixSnapshots:
    """KV snapshots of prompt openings for one `llama_cpp.Llama`, least recently used dropped first.

    Callers hold the model's call lock around `run` and the evaluation that follows it.
    """

    def __init__(self, max_entries: int = 6, bindings: Any | None = None) -> None:
        """`bindings`: llama.cpp's C API (the `llama_cpp` module, imported on first use; tests pass a
        stand-in)."""
        self._states: OrderedDict[tuple[int, ...], bytes] = OrderedDict()
        self._max_entries = max_entries
        self._bindings = bindings
        self._current: tuple[int, ...] | None = None  # the opening whose snapshot the cache now starts with

    def _api(self) -> Any:
        if self._bindings is None:
            import llama_cpp  # native and slow to import: only once a model is in use

            self._bindings = llama_cpp
        return self._bindings

    def run(self, llama: Any, prompt: str, tokens: Sequence[int]) -> int:
        """Make the KV cache hold `prompt`'s fixed opening, exactly as its snapshot has it, and nothing
        after it; returns how many of `tokens` the caller may reuse (that opening). Prompts without an
        opening of MIN_PREFIX_TOKENS reuse whatever prefix the cache shares with them, as before."""
        opening = fixed_opening(prompt)
        fixed = len(llama.tokenize(opening.encode("utf-8"), add_bos=False, special=True)) if opening else 0
        if fixed < MIN_PREFIX_TOKENS or fixed >= len(tokens):
            self._current = None  # the caller's evaluation may overwrite any opening's cells
            return held_prefix(llama, tokens)
        key = tuple(tokens[:fixed])
        if key not in self._states:  # first sight: the opening alone, from an empty cache
            llama.n_tokens = 0
            llama.eval(list(key))
            self._keep(llama, key)
        elif self._current != key or llama.n_tokens < fixed:
            self._restore(llama, key)
            log.debug("restored a %d-token prompt opening from its KV snapshot", fixed)
        if key in self._states:  # (not when llama.cpp gave no snapshot)
            self._states.move_to_end(key)
        self._current = key
        llama.n_tokens = fixed  # what follows the opening is evaluated afresh, whatever came before
        return fixed

    def _keep(self, llama: Any, key: tuple[int, ...]) -> None:
        """Snapshot sequence 0's KV cells, which hold just the opening."""
        ctx = llama._ctx.ctx
        size = self._api().llama_state_seq_get_size(ctx, 0)
        buffer = (ctypes.c_uint8 * size)()
        written = self._api().llama_state_seq_get_data(ctx, buffer, size, 0)
        if written == 0:
            log.debug("llama.cpp gave no KV snapshot of a %d-token opening; not kept", len(key))
            return
        self._states[key] = ctypes.string_at(buffer, written)
        while len(self._states) > self._max_entries:
            dropped, _ = self._states.popitem(last=False)
            if dropped == self._current:
                self._current = None

    def _restore(self, llama: Any, key: tuple[int, ...]) -> None:
        state = self._states[key]
        llama._ctx.kv_cache_seq_rm(-1, 0, -1)
        buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if self._api().llama_state_seq_set_data(llama._ctx.ctx, buffer, len(state), 0) == 0:
            # llama.cpp refused the snapshot: evaluate the opening instead, as without snapshots
            llama.n_tokens = 0
            llama.eval(list(key))
            return
        llama.input_ids[: len(key)] = key
        llama.n_tokens = len(key)
