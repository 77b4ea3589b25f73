"""The fault suite's stack: the shared Rasa and action server (tests/integration/stack.py, one
start per test run) and a gateway of its own with Telegram on, against the fake Bot API, each a
real process that a test kills with SIGKILL. A keeper thread does what `familyhub run` does
(Supervisor.run_forever): it restarts whatever died, so "ready again by itself" is tested as
it runs in production, with no one typing a command."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.core import HandoffState
from bot.handoff import mentors
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Handoff, HandoffAlert, OutboxItem, ProcessedUpdate
from bot.supervisor import Supervisor, children
from tests.conftest import make_settings
from tests.fakes.telegram_api import Call, FakeTelegram
from tests.integration.stack import Stack, free_port, start_stack, stop_stack

READY_SECONDS = 240.0


@dataclass
class Faults:
    """The running pieces, and what a fault test does to them."""

    stack: Stack
    supervisor: Supervisor  # the gateway under test
    settings: Settings
    api: FakeTelegram
    db: Database
    log: Path
    # The shared stack's children killed and not yet seen running again: name → killed pid.
    keep: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.gateway_port}"

    def supervisor_of(self, name: str) -> Supervisor:
        return self.supervisor if name == "gateway" else self.stack.supervisor

    def kill(self, name: str) -> None:
        """SIGKILL a child's whole process group: no clean-up, no last words."""
        child = self.supervisor_of(name).children[name]
        assert child.process is not None, f"{name} is not running"
        if name != "gateway":
            self.keep[name] = child.process.pid
        os.killpg(child.process.pid, signal.SIGKILL)

    def health(self) -> dict[str, Any]:
        try:
            found: dict[str, Any] = httpx.get(f"{self.url}/healthz", timeout=5).json()
            return found
        except (httpx.HTTPError, ValueError):
            return {}

    def wait_ready(self, timeout: float = READY_SECONDS) -> None:
        """Wait until the gateway answers and sees Rasa, the action server and Telegram."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self.health()
            parts = ("rasa", "action_server", "telegram")
            if health and all(health.get(part, {}).get("ok") for part in parts):
                return
            time.sleep(0.5)
        tail = self.log.read_text(errors="replace")[-3000:]
        raise AssertionError(f"not ready again by itself: {self.health()}\n{tail}")

    def in_flight(self, chat_id: int) -> bool:
        """The gateway is handling an update of this chat (bot.gateway.channels.telegram.updates)."""
        with self.db.session() as session:
            found = session.scalars(
                select(ProcessedUpdate).where(ProcessedUpdate.in_flight_chat_id == chat_id)
            ).first()
        return found is not None

    def invite(self, name: str, languages: str) -> str:
        with self.db.session() as session:
            _mentor, code = mentors.invite(session, self.settings, name, languages, "Faults")
        return code

    def stuck_handoffs(self) -> list[str]:
        """Open requests nobody can act on: queued with no alert standing or on its way, or
        active with no mentor. (Ended and cancelled ones are settled.)"""
        stuck = []
        with self.db.session() as session:
            for handoff in session.scalars(select(Handoff)):
                if handoff.state == HandoffState.ACTIVE and handoff.mentor_id is None:
                    stuck.append(f"#{handoff.id} active without a mentor")
                if handoff.state == HandoffState.QUEUED:
                    alerts = session.scalars(
                        select(HandoffAlert).where(HandoffAlert.handoff_id == handoff.id)
                    ).all()
                    if not alerts:
                        stuck.append(f"#{handoff.id} queued with no alert")
        return stuck

    def outbox_left(self) -> list[str]:
        """Items still to deliver, or given up on (cancelled ones were withdrawn, e.g. an alert
        retired once its request was accepted)."""
        with self.db.session() as session:
            items = session.scalars(
                select(OutboxItem).where(OutboxItem.status.in_(["pending", "failed"]))
            )
            return [f"{item.kind} {item.status} ({item.last_error})" for item in items]


def since(api: FakeTelegram, mark: int) -> list[Call]:
    """The successful calls after the first `mark` calls."""
    return [c for c in api.calls()[mark:] if c.status == 200]


def wait(predicate: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"{what} not reached within {timeout:.0f} s")


def _keeper(faults: Faults, stop: threading.Event) -> None:
    """Supervisor.run_forever's loop: restart what died (for the shared stack, only the children
    a fault test killed, so that another suite's held child is left alone)."""
    while not stop.wait(0.5):
        try:
            _restart(faults)
        except Exception as error:  # noqa: BLE001 - a dead keeper would hide every restart
            print(f"fault keeper: {error!r}")


def _restart(faults: Faults) -> None:
    faults.supervisor.check()
    shared = faults.stack.supervisor
    if faults.keep:
        shared.check()  # held children (another suite's) are left alone by check()
    for name, killed in list(faults.keep.items()):
        # Running again only once a new process runs: the killed one may not have died yet.
        child = shared.children[name]
        process = child.process
        if process is not None and process.pid != killed and process.poll() is None:
            faults.keep.pop(name, None)


class Folders(Protocol):
    def mktemp(self, basename: str) -> Path: ...


@contextmanager
def running(folders: Folders) -> Iterator[Faults]:
    """The fault stack, started (the shared stack first, when it is not running yet)."""
    stack = start_stack(folders)  # type: ignore[arg-type]
    base = folders.mktemp("faults")
    api = FakeTelegram().start()
    rasa = stack.settings
    settings = make_settings(
        base,
        gateway_port=free_port(),
        rasa_port=rasa.rasa_port,
        action_server_port=rasa.action_server_port,
        rasa_tracker_store_url=rasa.rasa_tracker_store_url,
        rasa_timeout_seconds=15,
        model_dir=rasa.model_dir,
        telegram_bot_token=SecretStr(api.token),
        telegram_api_base_url=api.base_url,
        duty_hours="Mon-Sun 00:00-23:59",
    )
    gateway = next(c for c in children(settings) if c.name == "gateway")
    # The shared Rasa's API token, which its gateway got the same way (bot.supervisor).
    gateway.env["RASA_AUTH_TOKEN"] = stack.supervisor.children["rasa"].env["RASA_AUTH_TOKEN"]
    log = base / "gateway.log"
    supervisor = Supervisor([gateway], out=log.open("w"))
    supervisor.start()
    found = Faults(stack, supervisor, settings, api, Database(settings.database_url), log)
    stop = threading.Event()
    keeper = threading.Thread(target=_keeper, args=(found, stop), daemon=True)
    keeper.start()
    try:
        found.wait_ready()
        yield found
    finally:
        stop.set()
        keeper.join(5)
        supervisor.stop()
        api.stop()
        found.db.engine.dispose()
        if found.keep:  # a test left a shared child dead: start it for the suites after
            stop_stack()


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faults]:
    """Module-scoped: the suite's own gateway stops once its tests are done (the shared stack
    runs on for the suites after)."""
    with running(tmp_path_factory) as found:
        yield found
