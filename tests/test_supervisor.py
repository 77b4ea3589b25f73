"""The supervisor: prefixed logs, restarts after a crash, and nothing left behind on stop."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from pydantic import SecretStr

from bot.settings import BOT_DIR, PROJECT_ROOT, Settings
from bot.supervisor import ROLES, Child, Supervisor, children, rasa_endpoints, settings_env
from tests.servers import free_port


def _wait_for(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_logs_are_prefixed_a_crash_restarts_and_stop_leaves_nothing(tmp_path: Path) -> None:
    out = io.StringIO()
    grandchild_pid = tmp_path / "grandchild.pid"
    sleeper = (
        "import subprocess, sys, time; "
        f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        f"open({str(grandchild_pid)!r}, 'w').write(str(p.pid)); "
        "print('serving', flush=True); time.sleep(60)"
    )
    crasher = "print('starting', flush=True); raise SystemExit(3)"
    supervisor = Supervisor(
        [
            Child("steady", [sys.executable, "-c", sleeper], tmp_path, dict(os.environ)),
            Child("flaky", [sys.executable, "-c", crasher], tmp_path, dict(os.environ)),
        ],
        out=out,
    )
    supervisor.start()
    try:
        _wait_for(lambda: "[steady] serving" in out.getvalue() and grandchild_pid.exists())

        def restarted() -> bool:
            supervisor.check()
            return out.getvalue().count("[flaky] starting") >= 2

        _wait_for(restarted)
        assert "flaky exited with code 3; restarting" in out.getvalue()
    finally:
        supervisor.stop()
    leader = int(grandchild_pid.read_text())
    _wait_for(lambda: not _alive(leader))
    assert "all stopped" in out.getvalue()


def test_held_child_is_not_restarted(tmp_path: Path) -> None:
    out = io.StringIO()
    child = Child("rasa", [sys.executable, "-c", "import time; time.sleep(60)"], tmp_path, {})
    supervisor = Supervisor([child], out=out)
    supervisor.start()
    supervisor.stop_child("rasa")
    supervisor.check()
    assert child.process is None and "rasa stopped" in out.getvalue()
    supervisor.start_child("rasa")
    assert child.process is not None
    supervisor.stop()


def test_children_get_endpoint_variables_and_consecutive_rasa_ports(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(
        update={
            "rasa_workers": 3,
            "rasa_port": 6005,
            "rasa_tracker_store_url": f"sqlite:///{tmp_path / 'tracker.db'}",
            "secret_key": SecretStr("k"),
        }
    )
    found = {c.name: c for c in children(settings)}
    assert set(found) == {"actions", "gateway", "rasa1", "rasa2", "rasa3"}
    assert [found[f"rasa{i}"].argv[found[f"rasa{i}"].argv.index("-p") + 1] for i in (1, 2, 3)] == [
        "6005",
        "6006",
        "6007",
    ]
    env = found["gateway"].env
    assert env["NLG_URL"] == "http://127.0.0.1:8000/nlg"
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"
    assert env["RASA_TRACKER_URL"] == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert "POSTGRESQL_SCHEMA" not in env
    assert env["SANIC_HOST"] == "127.0.0.1"
    assert settings_env(settings)["SECRET_KEY"] == "k"


def test_rasa_and_the_gateway_share_an_nlg_secret_made_for_the_run(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NLG_SECRET", raising=False)
    unset = settings.model_copy(update={"nlg_secret": None})
    found = {c.name: c for c in children(unset)}
    secret = found["gateway"].env["NLG_SECRET"]
    assert len(secret) >= 40 and found["rasa"].env["NLG_SECRET"] == secret
    # A new one for each run; a set NLG_SECRET is used as it is.
    assert children(unset)[0].env["NLG_SECRET"] != secret
    chosen = settings.model_copy(update={"nlg_secret": SecretStr("chosen-secret")})
    given = {c.name: c.env["NLG_SECRET"] for c in children(chosen)}
    assert given == {"actions": "", "gateway": "chosen-secret", "rasa": "chosen-secret"}
    # Rasa sends it in a header, not in the URL (`token:` would put it in the query string).
    endpoints = yaml.safe_load((BOT_DIR / "endpoints.yml").read_text())
    assert endpoints["nlg"]["headers"] == {"X-NLG-Secret": "${NLG_SECRET}"}
    assert "token" not in endpoints["nlg"]


def test_children_get_only_the_secrets_they_need(settings: Settings, tmp_path: Path) -> None:
    """The bot token, the hashing key and the database URL go to the gateway alone; Rasa gets
    the API token, and on no command line."""
    settings = settings.model_copy(
        update={
            "rasa_tracker_store_url": f"sqlite:///{tmp_path / 'tracker.db'}",
            "database_url": "postgresql+psycopg://fh:db-pass@127.0.0.1/fh",
            "secret_key": SecretStr("hash-key"),
            "telegram_bot_token": SecretStr("123:bot-token"),
            "telegram_webhook_secret": SecretStr("hook-secret"),
        }
    )
    found = {c.name: c for c in children(settings)}
    secrets = ["db-pass", "hash-key", "123:bot-token", "hook-secret"]
    gateway = "\n".join(found["gateway"].env.values())
    assert all(secret in gateway for secret in secrets)
    token = found["gateway"].env["RASA_AUTH_TOKEN"]
    assert len(token) >= 32
    for name in ("rasa", "actions"):
        seen = "\n".join([*found[name].env.values(), *found[name].argv])
        assert [secret for secret in secrets if secret in seen] == [], name
        # An empty value, not a missing one: the action server's settings would read `.env`.
        assert found[name].env["TELEGRAM_BOT_TOKEN"] == ""
    assert found["rasa"].env["RASA_AUTH_TOKEN"] == token
    assert found["actions"].env["RASA_AUTH_TOKEN"] == ""
    assert token not in " ".join(found["rasa"].argv)
    # A new token at each start, unless one is set.
    assert children(settings)[0].env["RASA_AUTH_TOKEN"] != token
    fixed = settings.model_copy(update={"rasa_auth_token": SecretStr("fixed-token")})
    assert {c.env["RASA_AUTH_TOKEN"] for c in children(fixed) if c.name != "actions"} == {
        "fixed-token"
    }


def test_a_dot_env_file_gives_the_action_server_no_secret(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=123:from-dot-env\nSECRET_KEY=dot-key\n")
    monkeypatch.chdir(tmp_path)
    settings = settings.model_copy(
        update={"rasa_tracker_store_url": f"sqlite:///{tmp_path / 'tracker.db'}"}
    )
    actions = next(c for c in children(settings) if c.name == "actions")
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in actions.env.items():
        monkeypatch.setenv(name, value)
    seen = Settings()
    assert seen.telegram_bot_token is None or seen.telegram_bot_token.get_secret_value() == ""
    assert seen.secret_key is None or seen.secret_key.get_secret_value() == ""


def test_a_role_runs_one_kind_of_process(settings: Settings) -> None:
    settings = settings.model_copy(
        update={
            "rasa_workers": 2,
            "nlg_secret": SecretStr("shared-nlg-secret"),
            "rasa_auth_token": SecretStr("shared-api-token"),
        }
    )
    names = {role: [c.name for c in children(settings, roles=(role,))] for role in ROLES}
    assert names == {"gateway": ["gateway"], "rasa": ["rasa1", "rasa2"], "actions": ["actions"]}


def test_a_role_of_one_process_replaces_the_command(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`familyhub run --role actions` becomes the action server itself (exec), so a process
    manager's signals reach it; a real run: the exec'd process answers on its port."""
    port = free_port()
    script = tmp_path / "run.py"
    script.write_text(
        "from bot.supervisor import run_role\n"
        "from bot.settings import get_settings\n"
        "run_role(get_settings(), 'actions')\n"
    )
    env = {**os.environ, **settings_env(settings), "ACTION_SERVER_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, str(script)], env=env, cwd=PROJECT_ROOT, start_new_session=True
    )
    try:
        _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/health"), seconds=60)
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"bot.serve_actions" in cmdline
    finally:
        # As a process manager stops it: SIGTERM to the process and the workers it started.
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_without_redis_rasa_runs_with_the_bundled_endpoints(settings: Settings) -> None:
    assert rasa_endpoints(settings) == "endpoints.yml"


def test_with_redis_rasa_locks_conversations_there_and_no_password_is_written(
    settings: Settings,
) -> None:
    settings = settings.model_copy(
        update={"redis_url": "rediss://app:pw%40xyz@redis.internal:6380/2?ssl_ca_certs=/etc/ca.pem"}
    )
    path = Path(rasa_endpoints(settings))
    endpoints = yaml.safe_load(path.read_text())
    assert endpoints["lock_store"] == {
        "type": "rasa_addons.lock_store.AtomicRedisLockStore",
        "url": "redis.internal",
        "port": 6380,
        "db": 2,
        "key_prefix": "familyhub",
        "use_ssl": True,
        "username": "app",
        "password": "${REDIS_PASSWORD}",
        "ssl_ca_certs": "/etc/ca.pem",
    }
    assert "pw@xyz" not in path.read_text() and "xyz" not in path.read_text()
    # The rest is the bundled file's.
    bundled = yaml.safe_load((BOT_DIR / "endpoints.yml").read_text())
    assert {k: v for k, v in endpoints.items() if k != "lock_store"} == {
        k: v for k, v in bundled.items() if k != "lock_store"
    }
    rasa = next(c for c in children(settings) if c.name == "rasa")
    assert rasa.argv[rasa.argv.index("--endpoints") + 1] == str(path)
    assert rasa.env["REDIS_PASSWORD"] == "pw@xyz"


def test_lists_reach_the_children_as_json(settings: Settings) -> None:
    settings = settings.model_copy(update={"rasa_urls": ["http://a:5005", "http://b:5005"]})
    assert json.loads(settings_env(settings)["RASA_URLS"]) == ["http://a:5005", "http://b:5005"]


def test_processes_started_apart_need_the_shared_secrets_set(settings: Settings) -> None:
    """A gateway and a Rasa started by separate `familyhub run --role` commands (other hosts)
    cannot share a secret made at start: both must be set, the same everywhere."""
    unset = settings.model_copy(update={"nlg_secret": None, "rasa_auth_token": None})
    for role in ("gateway", "rasa"):
        with pytest.raises(SystemExit, match="NLG_SECRET and RASA_AUTH_TOKEN"):
            children(unset, roles=(role,))
    assert [c.name for c in children(unset, roles=("actions",))] == ["actions"]
    shared = unset.model_copy(
        update={"nlg_secret": SecretStr("n" * 40), "rasa_auth_token": SecretStr("t" * 40)}
    )
    [rasa] = children(shared, roles=("rasa",))
    [gateway] = children(shared, roles=("gateway",))
    assert rasa.env["NLG_SECRET"] == gateway.env["NLG_SECRET"] == "n" * 40
    assert rasa.env["RASA_AUTH_TOKEN"] == gateway.env["RASA_AUTH_TOKEN"] == "t" * 40


def test_on_postgresql_rasa_gets_the_same_database_through_psycopg2_in_its_schema(
    settings: Settings,
) -> None:
    settings = settings.model_copy(
        update={
            "database_url": "postgresql+psycopg://hub:s3cret@db.example:5432/familyhub?sslmode=require",
            "rasa_tracker_store_url": "",
            "rasa_tracker_schema": "rasa_tracker",
        }
    )
    found = {c.name: c for c in children(settings)}
    env = found["rasa"].env
    assert env["RASA_TRACKER_URL"] == (
        "postgresql+psycopg2://hub:s3cret@db.example:5432/familyhub?sslmode=require"
    )
    # The action server needs no database, so no password.
    actions = found["actions"].env
    assert actions["RASA_TRACKER_URL"] == "" and actions["DATABASE_URL"] == ""
    assert env["POSTGRESQL_SCHEMA"] == "rasa_tracker"
    assert int(env["POSTGRESQL_POOL_SIZE"]) < 50  # not Rasa's default of 50 a process


def test_a_tracker_store_that_is_neither_sqlite_nor_postgresql_is_refused(
    settings: Settings,
) -> None:
    settings = settings.model_copy(update={"rasa_tracker_store_url": "mysql://x@y/z"})
    with pytest.raises(SystemExit):
        children(settings)
