"""deploy/: the compose file and the systemd units run the processes `familyhub run --role`
knows, with settings the service has, and systemd accepts the units."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import click
import yaml

from bot.cli import main
from bot.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
SETTINGS = {name.upper() for name in Settings.model_fields}


def roles() -> list[str]:
    run = main.commands["run"]
    option = next(p for p in run.params if p.name == "role")
    assert isinstance(option.type, click.Choice)
    return list(option.type.choices)


def role_of(command: list[str]) -> str:
    assert command[:3] == ["familyhub", "run", "--role"], command
    assert command[3] in roles(), command
    return command[3]


def familyhub_services() -> dict[str, dict]:
    return {
        name: service
        for name, service in COMPOSE["services"].items()
        if service.get("image", "").startswith("familyhub")
    }


def test_compose_runs_two_gateways_two_rasa_servers_the_actions_and_the_servers() -> None:
    by_role: dict[str, list[str]] = {}
    for name, service in familyhub_services().items():
        by_role.setdefault(role_of(service["command"]), []).append(name)
    assert by_role == {
        "gateway": ["gateway1", "gateway2"],
        "rasa": ["rasa1", "rasa2"],
        "actions": ["actions"],
    }
    assert {"postgres", "redis", "caddy"} <= set(COMPOSE["services"])


def test_compose_settings_are_the_services_own_and_point_at_each_other() -> None:
    services = familyhub_services()
    for name, service in services.items():
        unknown = set(service["environment"]) - SETTINGS
        assert not unknown, (name, unknown)
        # Each Rasa service is one process, on the port the gateways list.
        if role_of(service["command"]) == "rasa":
            assert service["environment"]["RASA_WORKERS"] == "1"
    gateway = services["gateway1"]["environment"]
    urls = json.loads(gateway["RASA_URLS"])
    assert urls == [
        f"http://{name}:{services[name]['environment']['RASA_PORT']}" for name in ("rasa1", "rasa2")
    ]
    assert gateway["ACTION_SERVER_HOST"] in COMPOSE["services"]
    # Rasa asks either gateway for its responses, by the name both answer to.
    rasa = services["rasa1"]["environment"]
    assert all(
        "gateway" in s["networks"]["default"]["aliases"]
        for n, s in services.items()
        if n.startswith("gateway")
    )
    assert rasa["GATEWAY_HOST"] == "gateway"
    # The proxy spreads the load over both gateways.
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert re.search(r"reverse_proxy gateway1:8000 gateway2:8000", caddyfile)


def test_the_env_example_names_only_settings_and_the_servers_passwords() -> None:
    example = (DEPLOY / "familyhub.env.example").read_text()
    names = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, re.M))
    assert names - SETTINGS == {"FAMILYHUB_DOMAIN", "POSTGRES_PASSWORD", "REDIS_PASSWORD"}


def test_systemd_units_run_familyhub_roles_and_systemd_accepts_them(tmp_path: Path) -> None:
    units = sorted((DEPLOY / "systemd").iterdir())
    seen = set()
    for unit in units:
        text = unit.read_text()
        for line in re.findall(r"^ExecStart=(.*)$", text, re.M):
            command = line.split()
            assert command[0] == "/opt/familyhub/.venv/bin/familyhub"
            seen.add(role_of(["familyhub", *command[1:]]))
        # The copy systemd checks runs this checkout's command (verify wants it to exist).
        (tmp_path / unit.name).write_text(
            text.replace(
                "/opt/familyhub/.venv/bin/familyhub", str(PROJECT_ROOT / ".venv/bin/familyhub")
            )
        )
    assert seen == {"gateway", "rasa", "actions"}
    (tmp_path / "familyhub-gateway@8000.service").symlink_to("familyhub-gateway@.service")
    (tmp_path / "familyhub-rasa@5005.service").symlink_to("familyhub-rasa@.service")
    checked = [
        "familyhub-actions.service",
        "familyhub-gateway@8000.service",
        "familyhub-rasa@5005.service",
        "familyhub.target",
    ]
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: run `make system-deps` (as root)"
    result = subprocess.run(
        [analyze, "verify", *(f"./{name}" for name in checked)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"SYSTEMD_UNIT_PATH": f"{tmp_path}:", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
