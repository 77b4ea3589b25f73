"""rasa_addons.api_token: the token reaches Rasa's `--auth-token`, never the command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from rasa_addons.api_token import install, with_token


def test_run_gets_the_token_from_the_environment() -> None:
    argv = ["run", "--enable-api", "-p", "5005"]
    assert with_token(argv, {"RASA_AUTH_TOKEN": "s3cret"}) == [*argv, "--auth-token=s3cret"]
    # A token that starts with "-" (secrets.token_urlsafe makes one in 64) stays one argument.
    assert with_token(argv, {"RASA_AUTH_TOKEN": "-x1"}) == [*argv, "--auth-token=-x1"]
    assert with_token(argv, {}) == argv
    assert with_token(["train"], {"RASA_AUTH_TOKEN": "s3cret"}) == ["train"]


def test_install_rewrites_argv_and_turns_the_access_log_off() -> None:
    argv, environ = ["rasa_addons", "run"], {"RASA_AUTH_TOKEN": "s3cret"}
    install(argv, environ)
    assert argv == ["rasa_addons", "run", "--auth-token=s3cret"]
    assert environ["SANIC_ACCESS_LOG"] == "false"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_real_server_refuses_the_api_without_the_token(tmp_path: Path) -> None:
    """`python -m rasa_addons run --enable-api` with RASA_AUTH_TOKEN set and no model: its API
    answers 401 without the token and, with it, 409 (no model loaded: past the check); the
    token is on neither its command line nor its log. The token starts with "-", as one in 64
    that `familyhub run` makes does: Rasa still reads it as the option's value."""
    port = free_port()
    env = {**os.environ, "RASA_AUTH_TOKEN": "-s3cret-token", "RASA_TELEMETRY_ENABLED": "false"}
    log = (tmp_path / "rasa.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_addons", "run", "--enable-api", "-i", "127.0.0.1",
         "-p", str(port), "--model", str(tmp_path / "no-models")],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/version", timeout=1)
                break
            except (urllib.error.URLError, OSError):
                assert process.poll() is None, (tmp_path / "rasa.log").read_text()[-2000:]
                time.sleep(0.5)
        assert status(f"{base}/status") == 401
        assert status(f"{base}/status?token=wrong") == 401
        assert status(f"{base}/status?token=-s3cret-token") == 409
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert b"s3cret-token" not in cmdline
    finally:
        process.terminate()
        process.wait(30)
        log.close()
    assert "s3cret-token" not in (tmp_path / "rasa.log").read_text()
