"""`familyhub run` and `familyhub run --role …`: train if needed, then run the children, supervised
or (for one process) in place of this one."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from typing import Any

from bot.settings import Settings
from bot.supervisor.children import ROLES, children
from bot.supervisor.processes import Supervisor
from bot.training import train_detector, train_model


def ensure_model(settings: Settings, roles: tuple[str, ...] = ROLES) -> None:
    """Train when a model the roles need is missing or stale (bot.training decides): Rasa's for
    Rasa, the safety net's detector for the gateway."""
    if "rasa" in roles:
        train_model(model_dir=settings.model_dir)
    if "gateway" in roles:
        train_detector(settings.model_dir)


def _announce_when_ready(supervisor: Supervisor, settings: Settings) -> None:
    import httpx

    url = f"http://{settings.gateway_host}:{settings.gateway_port}"
    while not supervisor.stopping.wait(2.0):
        try:
            health = httpx.get(f"{url}/healthz", timeout=2.0).json()
        except (httpx.HTTPError, ValueError):
            continue
        if health.get("rasa", {}).get("ok") and health.get("action_server", {}).get("ok"):
            supervisor.say(f"ready: the web chat is on {url}/")
            return


def run_role(settings: Settings, role: str) -> None:
    """Run one kind of process: in place of this one when it is a single process (so a process
    manager's signals and restarts reach it), else supervised like `run_all`."""
    roles = ROLES if role == "all" else (role,)
    found = children(settings, roles=roles)
    if len(found) != 1:
        run_all(settings, roles)
        return
    ensure_model(settings, roles)
    child = found[0]
    os.chdir(child.cwd)
    sys.stdout.flush()
    os.execvpe(child.argv[0], child.argv, child.env)  # noqa: S606 - our own fixed command


def run_all(settings: Settings, roles: tuple[str, ...] = ROLES) -> None:
    """Run everything (or the processes of `roles`) until Ctrl-C or SIGTERM; then stop every
    child and exit."""
    logging.basicConfig(level=settings.log_level.upper(), format="[supervisor] %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines would flood the log
    ensure_model(settings, roles)
    supervisor = Supervisor(children(settings, roles=roles))

    def on_signal(signum: int, _frame: Any) -> None:
        supervisor.say(f"{signal.Signals(signum).name}: stopping")
        supervisor.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if "gateway" in roles:
        threading.Thread(
            target=_announce_when_ready, args=(supervisor, settings), daemon=True
        ).start()
    supervisor.run_forever()
