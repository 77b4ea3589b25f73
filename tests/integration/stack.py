"""The real stack, started once per test run and shared by the integration and browser tests."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.directory.live import set_directory_path
from bot.settings import Settings
from bot.supervisor import Supervisor, children
from tests.conftest import make_settings

START_TIMEOUT_SECONDS = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """The running service and where to find its parts."""

    url: str
    settings: Settings
    supervisor: Supervisor
    log: Path

    def health(self) -> dict[str, Any]:
        try:
            found: dict[str, Any] = httpx.get(f"{self.url}/healthz", timeout=5).json()
            return found
        except (httpx.HTTPError, ValueError):
            return {}

    def wait_ready(self, timeout: float = START_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self.health()
            if health.get("rasa", {}).get("ok") and health.get("action_server", {}).get("ok"):
                return
            time.sleep(1)
        tail = self.log.read_text(errors="replace")[-4000:]
        raise AssertionError(f"the stack did not become ready; last log lines:\n{tail}")


_running: Stack | None = None


def stop_stack() -> None:
    global _running
    if _running is not None:
        _running.supervisor.stop()
        _running = None


def start_stack(tmp_path_factory: pytest.TempPathFactory) -> Stack:
    """The stack, started on first use; later callers get the same one."""
    global _running
    if _running is not None:
        return _running
    base = tmp_path_factory.mktemp("stack")
    settings = make_settings(
        base,
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_server_port=free_port(),
        rasa_timeout_seconds=15,
        # The models `familyhub train` made (`make test` trains first): Rasa's and the detector.
        model_dir=Settings.model_fields["model_dir"].get_default(),
    )
    if not any(settings.model_dir.glob("*.tar.gz")):
        pytest.fail(f"No trained model in {settings.model_dir}: run `familyhub train` first.")
    # The tests read the services directory the stack's processes read.
    set_directory_path(
        settings.services_directory, settings.zone, settings.directory_reload_seconds
    )
    found = children(settings)
    for child in found:
        child.env["TELEGRAM_BOT_TOKEN"] = ""  # the web chat only, whatever .env says
    log = base / "stack.log"
    supervisor = Supervisor(found, out=log.open("w"))
    supervisor.start()
    running = Stack(f"http://127.0.0.1:{settings.gateway_port}", settings, supervisor, log)
    try:
        running.wait_ready()
    except BaseException:
        supervisor.stop()
        raise
    _running = running
    return running
