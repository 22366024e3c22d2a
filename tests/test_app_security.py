"""Safe defaults on a network: no open bind without a login unless asked for, logins from the
environment or a file, failed logins slowed per client, every route behind the login, one upload
limit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from app_fakes import free_port, make_ui

from ui.inputs import UserFacingError
from ui.login import LoginThrottle, exposure_problem, is_loopback, logins_from, parse_auth, read_auth_file
from ui.settings import AppSettings, format_size
from ui.uploads import size_limit_text, stage_uploads

ROOT = Path(__file__).resolve().parents[1]


def _env_without_login(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEWSRAG_AUTH", "NEWSRAG_AUTH_FILE", "NEWSRAG_ALLOW_OPEN")
    }
    return {**env, **extra}


def test_an_open_network_bind_without_a_login_refuses_to_start_and_says_how_to_set_one():
    run = subprocess.run(
        [sys.executable, "app.py", "--host", "0.0.0.0", "--port", str(free_port())],
        cwd=ROOT,
        env=_env_without_login(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "refusing to serve on 0.0.0.0 without a login" in run.stderr
    assert 'NEWSRAG_AUTH="user:password"' in run.stderr and "--allow-open" in run.stderr
    assert "newsrag is at" not in run.stdout


def test_a_malformed_login_stops_the_app_with_a_clear_message(tmp_path):
    run = subprocess.run(
        [sys.executable, "app.py", "--port", str(free_port()), "--index", str(tmp_path / "none")],
        cwd=ROOT,
        env=_env_without_login(NEWSRAG_AUTH="nopassword"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and 'a login must look like "user:password"' in run.stderr


def test_loopback_needs_no_login_and_an_explicit_flag_or_a_login_opens_the_network():
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host) and exposure_problem(AppSettings(app_host=host), has_login=False) is None
    for host in ("0.0.0.0", "::", "192.168.1.5", "my-host.example"):
        assert not is_loopback(host)
        assert exposure_problem(AppSettings(app_host=host), has_login=False) is not None
    assert exposure_problem(AppSettings(app_host="0.0.0.0"), has_login=True) is None
    assert exposure_problem(AppSettings(app_host="0.0.0.0", allow_open=True), has_login=False) is None


def test_logins_come_from_the_environment_and_a_file(tmp_path, monkeypatch):
    assert parse_auth(None) is None and parse_auth("") is None
    assert parse_auth("ann:s3:cret") == ("ann", "s3:cret")
    for bad in ("nopassword", ":pw", "user:"):
        with pytest.raises(UserFacingError):
            parse_auth(bad)
    logins = tmp_path / "logins"
    logins.write_text("# team\nbob:correct horse\n\n  carl:p:w\n", encoding="utf-8")
    logins.chmod(0o600)
    assert read_auth_file(logins) == [("bob", "correct horse"), ("carl", "p:w")]
    monkeypatch.setenv("NEWSRAG_AUTH", "ann:pw")
    monkeypatch.setenv("NEWSRAG_AUTH_FILE", str(logins))
    assert logins_from(AppSettings()) == [("ann", "pw"), ("bob", "correct horse"), ("carl", "p:w")]
    logins.write_text("# nobody\n", encoding="utf-8")
    with pytest.raises(UserFacingError, match="holds no"):
        read_auth_file(logins)
    logins.write_text("bob:pw\nbroken\n", encoding="utf-8")
    with pytest.raises(UserFacingError, match=r"logins:2: a login must look like"):
        read_auth_file(logins)
    with pytest.raises(UserFacingError, match="cannot read the login file"):
        read_auth_file(tmp_path / "missing")


def test_the_login_delay_doubles_per_failure_up_to_the_cap():
    throttle = LoginThrottle(app=None, first_delay_s=0.5, max_delay_s=4.0)
    assert [throttle.delay_after(n) for n in range(6)] == [0.0, 0.5, 1.0, 2.0, 4.0, 4.0]


@pytest.fixture
def protected(tmp_path):
    ui = make_ui(tmp_path, app_port=free_port(), login_delay_s=0.02, login_max_delay_s=0.6)
    ui.launch([("ann", "correct horse")])
    try:
        yield ui, f"http://127.0.0.1:{ui.settings.app_port}"
    finally:
        ui.demo.close()


def _login(base: str, password: str) -> tuple[int, float]:
    started = time.monotonic()
    response = httpx.post(f"{base}/login", data={"username": "ann", "password": password}, timeout=30)
    return response.status_code, time.monotonic() - started


def test_the_tenth_wrong_login_in_a_row_takes_measurably_longer_than_the_first(protected):
    _, base = protected
    attempts = [_login(base, f"guess {i}") for i in range(10)]
    assert all(code == 400 for code, _ in attempts)
    first, tenth = attempts[0][1], attempts[-1][1]
    assert tenth > first + 0.4, (first, tenth)  # 0.6 s cap reached after 6 failures
    code, _ = _login(base, "correct horse")  # waits too, then succeeds and clears the count
    assert code == 200
    code, again = _login(base, "wrong again")
    assert code == 400 and again < tenth


def test_every_route_needs_the_login(protected):
    gradio_client = pytest.importorskip("gradio_client")
    _, base = protected
    for path in ("/config", "/gradio_api/info", "/gradio_api/openapi.json"):
        assert httpx.get(base + path, timeout=30).status_code == 401, path
    # the login is Gradio's form and session cookie: HTTP Basic credentials open nothing
    assert httpx.get(base + "/config", auth=("ann", "correct horse"), timeout=30).status_code == 401
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain ValueError/httpx error
        gradio_client.Client(base + "/", verbose=False)
    client = gradio_client.Client(base + "/", auth=("ann", "correct horse"), verbose=False)
    text, *_ = client.predict("Aliyun?", [], [], None, None, api_name="/chat")
    assert "March 2015" in text


def test_the_upload_limit_reads_the_same_in_the_label_the_error_and_the_browser(tmp_path):
    settings = AppSettings(max_upload_mb=0.001)
    assert format_size(20 * 1024 * 1024) == "20.0 MB"  # what Gradio's own check prints for 20 MB
    ui = make_ui(tmp_path, max_upload_mb=0.001)
    labels = [b.label for b in ui.demo.blocks.values() if getattr(b, "elem_id", None) == "nr-upload"]
    limit = size_limit_text(settings.max_upload_bytes)
    assert limit == "at most 1.0 KB per file" and limit in labels[0]
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000)
    _, rejected = stage_uploads([str(big)], tmp_path / "uploads", settings.max_upload_bytes, 5)
    assert rejected[0].reason == f"2.0 KB is too large: {limit}"
