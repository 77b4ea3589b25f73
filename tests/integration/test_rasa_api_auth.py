"""Rasa's HTTP API in the real stack: refused without the token the supervisor made, which the
gateway sends, and which appears on no command line and in no log."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.integration.stack import Stack

pytestmark = pytest.mark.integration


def test_rasas_api_wants_the_token_and_the_gateway_has_it(stack: Stack) -> None:
    rasa = stack.supervisor.children["rasa"]
    token = rasa.env["RASA_AUTH_TOKEN"]
    assert token and stack.supervisor.children["gateway"].env["RASA_AUTH_TOKEN"] == token
    base = f"http://{stack.settings.rasa_host}:{stack.settings.rasa_port}"
    assert httpx.get(f"{base}/status", timeout=10).status_code == 401
    assert httpx.get(f"{base}/conversations/x/tracker", timeout=10).status_code == 401
    assert httpx.put(f"{base}/model", json={}, timeout=10).status_code == 401
    assert httpx.get(f"{base}/status", params={"token": token}, timeout=10).status_code == 200
    # The gateway reaches it: /healthz sees the model loaded.
    assert stack.health()["rasa"]["ok"]
    assert rasa.process is not None
    cmdline = Path(f"/proc/{rasa.process.pid}/cmdline").read_bytes()
    assert token.encode() not in cmdline
    assert token not in stack.log.read_text(errors="replace")
    assert stack.supervisor.children["actions"].env["RASA_AUTH_TOKEN"] == ""
