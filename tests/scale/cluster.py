"""Several real processes on PostgreSQL and Redis: N Rasa servers, the action server and M
gateways, each its own process as `familyhub run --role …` would start it (bot/supervisor/children.py).
Used by tests/scale and by bench/scale.py."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx
from pydantic import SecretStr

from bot.settings import Settings
from bot.supervisor import Child, Supervisor, children
from tests.conftest import make_settings
from tests.servers import free_port

START_TIMEOUT_SECONDS = 300


@dataclass
class Cluster:
    """The running processes, and where to find them."""

    settings: Settings  # the first gateway's; the others differ only in their port
    gateway_ports: list[int]
    supervisor: Supervisor
    log: Path
    out: TextIO
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.gateway_ports]

    @property
    def rasa_urls(self) -> list[str]:
        base = self.settings.rasa_port
        return [f"http://127.0.0.1:{base + i}" for i in range(self.settings.rasa_workers)]

    def health(self, url: str) -> dict[str, Any]:
        try:
            found: dict[str, Any] = httpx.get(f"{url}/healthz", timeout=5).json()
            return found
        except (httpx.HTTPError, ValueError):
            return {}

    def ready(self, url: str) -> bool:
        health = self.health(url)
        return bool(health.get("rasa", {}).get("ok") and health.get("action_server", {}).get("ok"))

    def wait(self, condition: Any, what: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.5)
        self.out.flush()
        tail = self.log.read_text(errors="replace")[-6000:]
        raise AssertionError(f"{what} not reached; last log lines:\n{tail}")

    def pids(self) -> dict[str, int]:
        """Each child's process id (its process group leader)."""
        return {
            name: child.process.pid
            for name, child in self.supervisor.children.items()
            if child.process is not None
        }

    def kill(self, name: str) -> None:
        """SIGKILL a child's whole process group, as a crash would; it is not restarted."""
        child = self.supervisor.children[name]
        child.held = True
        assert child.process is not None
        os.killpg(child.process.pid, signal.SIGKILL)
        child.process.wait()
        child.process = None

    def stop(self) -> None:
        self.supervisor.stop()
        self.out.close()


def start_cluster(
    base: Path,
    *,
    database_url: str,
    redis_url: str,
    rasa: int = 2,
    gateways: int = 2,
    **changes: Any,
) -> Cluster:
    """Start the processes: the first gateway alone (it migrates the database), then the rest."""
    ports = [free_port() for _ in range(gateways)]
    rasa_port = free_port()
    while any(p in ports for p in range(rasa_port, rasa_port + rasa)):
        rasa_port = free_port()
    settings = make_settings(
        base,
        database_url=database_url,
        rasa_tracker_store_url="",  # follows DATABASE_URL: PostgreSQL, in its own schema
        redis_url=redis_url,
        rasa_workers=rasa,
        rasa_port=rasa_port,
        action_server_port=free_port(),
        gateway_port=ports[0],
        rasa_timeout_seconds=30,
        # One NLG secret and one API token for Rasa and every gateway, as on separate hosts
        # (`familyhub run --role` refuses to make its own).
        nlg_secret=SecretStr("scale-test-nlg-secret"),
        rasa_auth_token=SecretStr("scale-test-rasa-token"),
        # The models `familyhub train` made (`make test` trains first): Rasa's and the detector.
        model_dir=Settings.model_fields["model_dir"].get_default(),
        **changes,
    )
    if not any(settings.model_dir.glob("*.tar.gz")):
        raise AssertionError(f"No trained model in {settings.model_dir}: run `familyhub train`.")
    found: list[Child] = children(settings, roles=("rasa", "actions"))
    for index, port in enumerate(ports, start=1):
        own = settings.model_copy(update={"gateway_port": port})
        (gateway,) = children(own, roles=("gateway",))
        gateway.name = f"gateway{index}"
        found.append(gateway)
    for child in found:
        if settings.telegram_bot_token is None:
            child.env["TELEGRAM_BOT_TOKEN"] = ""  # the web chat only, whatever .env says
    log = base / "cluster.log"
    out = log.open("w")
    supervisor = Supervisor(found, out=out)
    cluster = Cluster(settings, ports, supervisor, log, out)
    try:
        supervisor.start_child("gateway1")
        cluster.wait(lambda: cluster.health(cluster.urls[0]), "the first gateway's start", 120)
        for name in supervisor.children:
            if name != "gateway1":
                supervisor.start_child(name)
        for url in cluster.urls:
            cluster.wait(lambda url=url: cluster.ready(url), f"{url} ready")
    except BaseException:
        cluster.stop()
        raise
    return cluster
