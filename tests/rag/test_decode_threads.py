"""Replies decoded on every core, dropping to fewer threads when tokens slow (rag/decode_threads.py),
against a stand-in llama that counts its tokens and records its thread settings."""

from __future__ import annotations

import pytest

from rag.decode_threads import WINDOW, DecodePace


class _Context:
    def __init__(self) -> None:
        self.settings: list[tuple[int, int]] = []

    def set_n_threads(self, threads: int, batch: int) -> None:
        self.settings.append((threads, batch))


class _Llama:
    def __init__(self) -> None:
        self._ctx = _Context()
        self.n_tokens = 100  # the prompt


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _decode(llama: _Llama, clock: _Clock, pace: DecodePace, seconds: list[float], tokens: int = 1) -> None:
    """Yield pieces that took `seconds` each, `tokens` tokens apiece."""
    for s in seconds:
        clock.now += s
        llama.n_tokens += tokens
        pace.tick()


def test_a_reply_on_idle_cores_is_decoded_on_every_core_and_joins_the_history() -> None:
    llama, clock, history = _Llama(), _Clock(), [0.1] * 5
    pace = DecodePace(llama, fast=2, safe=1, batch=2, history=history, clock=clock)
    pace.tick()  # the prompt read and the first token: not timed
    _decode(llama, clock, pace, [0.09, 0.10, 0.15, 0.09, 0.12])
    assert llama._ctx.settings == [(2, 2)] and not pace.slowed
    pace.close()
    assert llama._ctx.settings[-1] == (1, 2)  # the model's other calls run on the safe count
    assert history == pytest.approx([0.1] * 5 + [0.09, 0.10, 0.15, 0.09, 0.12])


def test_slow_tokens_drop_the_rest_of_the_reply_to_the_safe_count() -> None:
    llama, clock, history = _Llama(), _Clock(), []
    pace = DecodePace(llama, fast=2, safe=1, batch=2, history=history, clock=clock)
    clock.now = 5.0  # reading the prompt took long: not a slow token
    pace.tick()
    _decode(llama, clock, pace, [0.1] * 6)
    assert not pace.slowed
    _decode(llama, clock, pace, [0.25] * WINDOW)  # 2.5x the usual: half the cores would do better
    assert pace.slowed and llama._ctx.settings == [(2, 2), (1, 2)]
    _decode(llama, clock, pace, [0.1, 0.1, 0.1])  # no going back within the reply
    pace.close()
    assert llama._ctx.settings == [(2, 2), (1, 2)]
    assert history == []  # a slowed reply's times do not become the usual pace


def test_one_slow_token_among_usual_ones_is_jitter() -> None:
    llama, clock = _Llama(), _Clock()
    pace = DecodePace(llama, fast=2, safe=1, batch=2, history=[0.1] * 10, clock=clock)
    pace.tick()
    _decode(llama, clock, pace, [0.1, 0.1, 0.35, 0.12, 0.1, 0.11])
    assert not pace.slowed


def test_an_unusually_fast_token_does_not_make_the_usual_ones_look_slow() -> None:
    llama, clock = _Llama(), _Clock()
    pace = DecodePace(llama, fast=2, safe=1, batch=2, history=[0.1] * 10 + [0.03], clock=clock)
    pace.tick()
    _decode(llama, clock, pace, [0.14] * 6)  # 1.4x the usual, 4.7x the fastest ever seen
    assert not pace.slowed


def test_time_is_counted_per_token_when_a_piece_holds_several() -> None:
    llama, clock = _Llama(), _Clock()
    pace = DecodePace(llama, fast=2, safe=1, batch=2, history=[0.1] * 10, clock=clock)
    pace.tick()
    _decode(llama, clock, pace, [0.1, 0.1])
    _decode(llama, clock, pace, [0.36], tokens=3)  # a CJK character split over three tokens
    assert not pace.slowed
    clock.now += 0.1  # a piece of held-back bytes: its time counts towards the next token
    pace.tick()
    _decode(llama, clock, pace, [0.02, 0.1, 0.1])
    assert not pace.slowed


def test_a_reply_slow_from_its_first_token_is_caught_by_the_models_earlier_pace() -> None:
    llama, clock = _Llama(), _Clock()
    pace = DecodePace(llama, fast=2, safe=1, batch=2, history=[0.09] * 10, clock=clock)
    pace.tick()
    _decode(llama, clock, pace, [0.2] * WINDOW)
    assert pace.slowed
    fresh = DecodePace(_Llama(), fast=2, safe=1, batch=2, clock=clock)  # no history: 0.2 is its usual
    fresh.tick()
    _decode(fresh._llama, clock, fresh, [0.2] * WINDOW)
    assert not fresh.slowed


@pytest.mark.slow
def test_a_reply_decoded_on_every_core_is_the_reply_decoded_on_one() -> None:
    """The real packaged 0.5B: the thread count does not change the reply, and the model is left on
    its safe thread count for the calls that follow."""
    pytest.importorskip("llama_cpp")
    import llama_cpp

    from rag.llm import available_cores, build_llm, default_threads, stream_text
    from rag.settings import RagSettings

    if available_cores() < 2:
        pytest.skip("one core: nothing to compare")
    settings = RagSettings(packaged_model="qwen2.5-coder-0.5b", llm_max_new_tokens=24)
    fixed = build_llm(settings.model_copy(update={"llm_threads": 1}))
    paced = build_llm(settings)
    assert fixed._pace is None and paced._pace == (available_cores(), default_threads(), available_cores())
    prompt = "Translate into Simplified Chinese:\nWhen did Aliyun open its first data center in the US?"
    assert "".join(stream_text(paced, prompt)) == "".join(stream_text(fixed, prompt))
    assert llama_cpp.llama_n_threads(paced._model._ctx.ctx) == default_threads()
    # the reply's token times join the history, unless a busy machine slowed it (then none may: the
    # unit tests above pin both cases with a stand-in clock)
    assert all(t > 0 for t in paced._pace_history)
