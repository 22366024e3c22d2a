"""Remote generators against a scripted server on loopback: what is sent, and every way it can fail.

The real llama-cpp-python server is exercised in test_remote_generator.py (slow); here a fake one
misbehaves on purpose, fast. There is no real Ollama here: its path runs against the same fake
speaking Ollama's chat protocol, so only our configuration and error handling are tested.
"""

from __future__ import annotations

import time

import pytest
from fake_llm_server import fake_llm_server
from llama_index.core.llms import ChatMessage, MessageRole

from rag.llm import GeneratorTimeoutError, GeneratorUnavailableError, RemoteEndpoint, bounded_call, build_llm
from rag.settings import RagSettings

CHAT = [
    ChatMessage(role=MessageRole.SYSTEM, content="Answer from the passages."),
    ChatMessage(role=MessageRole.USER, content="When?"),
]


def _openai(url: str, timeout: float = 5.0) -> object:
    return build_llm(
        RagSettings(
            generator="openai", openai_model="m", openai_base_url=f"{url}/v1", request_timeout_s=timeout
        )
    )


def _ollama(url: str, timeout: float = 5.0) -> object:
    return build_llm(RagSettings(generator="ollama", ollama_base_url=url, request_timeout_s=timeout))


def test_openai_path_streams_a_greedy_chat_with_our_messages(no_network: list[str]) -> None:
    with fake_llm_server("ok") as server:
        llm = _openai(server.base_url)
        deltas = [r.delta for r in llm.stream_chat(CHAT) if r.delta]
        assert llm.chat(CHAT).message.content == "March 2015 [1]"
    assert deltas == ["March", " 2015", " [1]"]
    body = server.requests[0]
    assert body["stream"] is True and body["model"] == "m"
    assert body["messages"] == [
        {"role": "system", "content": "Answer from the passages."},
        {"role": "user", "content": "When?"},
    ]
    # Greedy like the in-process model: temperature 0 and no repeat penalty (the server's default is 1.1).
    assert body["temperature"] == 0.0 and body["repeat_penalty"] == 1.0 and body["max_tokens"] == 96
    assert no_network == []


def test_finished_calls_keep_their_connection_for_the_next_one() -> None:
    """Only abandoned calls are cut off: answered ones leave a keep-alive connection to reuse.
    (After a stream the OpenAI client itself closes the connection.)"""
    with fake_llm_server("ok") as server:
        llm = _openai(server.base_url)
        llm.chat(CHAT)
        llm.complete("When?")
    assert len(server.clients) == 2 and len(set(server.clients)) == 1


def test_a_stream_cut_short_is_an_error_not_a_short_answer() -> None:
    with fake_llm_server("cut") as server:
        llm = _openai(server.base_url)
        with pytest.raises(GeneratorUnavailableError, match="--interrupt_requests False") as err:
            list(llm.stream_chat(CHAT))
    assert server.base_url in str(err.value)


@pytest.mark.parametrize("make", [_openai, _ollama], ids=["openai", "ollama"])
def test_server_dying_mid_answer_fails_at_once_naming_it(make) -> None:
    with fake_llm_server("drop") as server:
        llm = make(server.base_url, timeout=30.0)
        started = time.monotonic()
        got: list[str] = []
        with pytest.raises(GeneratorUnavailableError, match="Lost the generator server") as err:
            for r in llm.stream_chat(CHAT):
                got.append(r.delta)
    assert time.monotonic() - started < 5  # not the 30 s timeout
    assert server.base_url in str(err.value)
    assert "March" in "".join(got)  # what came before the break was delivered
    assert len(server.requests) == 1  # no retry


@pytest.mark.parametrize(("make", "mode"), [(_openai, "pings"), (_openai, "trickle"), (_ollama, "trickle")])
def test_a_slow_server_hits_the_request_timeout_whatever_keeps_the_connection_busy(make, mode) -> None:
    """Keep-alive pings (llama-cpp-python's server while a request waits its turn) and tokens trickling
    in both reset httpx's read timeout; the whole call must still end at request_timeout_s, and the
    server must see the client leave (so it can drop the request)."""
    with fake_llm_server(mode) as server:
        llm = make(server.base_url, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(
            GeneratorTimeoutError, match=r"did not finish within 1 s \(NEWSRAG_REQUEST_TIMEOUT_S"
        ):
            list(llm.stream_chat(CHAT))
        elapsed = time.monotonic() - started
        assert server.client_left.wait(2)
    assert 0.9 < elapsed < 2.5
    assert len(server.requests) == 1


def test_a_silent_server_times_out_once_without_retries() -> None:
    with fake_llm_server("silent") as server:
        llm = _openai(server.base_url, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(GeneratorTimeoutError, match=server.base_url):
            llm.chat(CHAT)
        assert time.monotonic() - started < 2.5
        time.sleep(0.3)
        assert len(server.requests) == 1


def test_an_http_error_says_the_server_refused_with_its_status() -> None:
    with fake_llm_server("http500") as server:
        with pytest.raises(GeneratorUnavailableError, match=r"refused the request: HTTP 500"):
            list(_openai(server.base_url).stream_chat(CHAT))
        with pytest.raises(GeneratorUnavailableError, match=r"refused the request: HTTP 500"):
            _ollama(server.base_url).chat(CHAT)


@pytest.mark.parametrize(("make", "setting"), [(_openai, "OPENAI"), (_ollama, "OLLAMA")])
def test_nothing_listening_says_where_and_which_setting_at_once(make, setting) -> None:
    with fake_llm_server("ok") as server:
        url = server.base_url  # a port that was just in use: nothing listens there now
    started = time.monotonic()
    with pytest.raises(GeneratorUnavailableError, match=f"Cannot reach the generator server at {url}") as err:
        make(url).complete("When?")
    assert f"NEWSRAG_{setting}_BASE_URL" in str(err.value)
    assert time.monotonic() - started < 3


def test_ollama_path_streams_and_completes_against_its_protocol() -> None:
    with fake_llm_server("ok") as server:
        llm = _ollama(server.base_url)
        assert "".join(r.delta for r in llm.stream_chat(CHAT) if r.delta) == "March 2015 [1]"
        assert llm.complete("When?").text == "March 2015 [1]"
    options = server.requests[0]["options"]
    assert options["temperature"] == 0.0 and options["repeat_penalty"] == 1.0
    assert options["num_ctx"] == 4096 and options["num_predict"] == 96


def test_our_own_bugs_are_not_dressed_up_as_server_errors() -> None:
    def broken() -> list[str]:
        raise KeyError("a bug of ours")

    with pytest.raises(KeyError, match="a bug of ours"):
        list(bounded_call(broken, RemoteEndpoint("http://127.0.0.1:1", "NEWSRAG_X", 5.0)))
