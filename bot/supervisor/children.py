"""What `familyhub run` starts: each child's command, working directory and environment, with
only the secrets that child needs."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from bot.settings import BOT_DIR, PROJECT_ROOT, Settings

RASA = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
# The Rasa server runs as `python -m rasa_addons run …`: Rasa's own command line with our
# runtime changes installed first (rasa_addons/src/rasa_addons/runtime.py).
RASA_SERVER = [str(PROJECT_ROOT / ".venv-rasa" / "bin" / "python"), "-m", "rasa_addons"]


@dataclass
class Child:
    """One supervised process: its command, and its current process if running."""

    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    held: bool = False
    restart_at: float | None = None
    readers: list[threading.Thread] = field(default_factory=list)


def settings_env(settings: Settings) -> dict[str, str]:
    """Every setting as an environment variable, so the children see what the supervisor sees."""
    env: dict[str, str] = {}
    for name in Settings.model_fields:
        value: Any = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, dict | list):
            value = json.dumps(value)
        env[name.upper()] = str(value)
    return env


# Connections each Rasa process may keep to PostgreSQL (Rasa's own settings; its defaults, 50
# and 100 more, would let a few processes exhaust the server's 100 connections).
RASA_POSTGRESQL_POOL = {"POSTGRESQL_POOL_SIZE": "5", "POSTGRESQL_MAX_OVERFLOW": "10"}


def tracker_env(settings: Settings) -> dict[str, str]:
    """What endpoints.yml's tracker store reads: RASA_TRACKER_URL, a whole SQLAlchemy URL.

    A SQLite file is given by its absolute path (its folder made); PostgreSQL through psycopg2,
    the driver of Rasa's SQLAlchemy 1.4, with Rasa's tables in the schema POSTGRESQL_SCHEMA.
    """
    parsed = make_url(settings.tracker_store_url())
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "").resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"RASA_TRACKER_URL": f"sqlite:///{path}"}
    if backend == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg2")
        return {
            "RASA_TRACKER_URL": url.render_as_string(hide_password=False),
            "POSTGRESQL_SCHEMA": settings.rasa_tracker_schema,
            **RASA_POSTGRESQL_POOL,
        }
    raise SystemExit("RASA_TRACKER_STORE_URL must be a SQLite file or a PostgreSQL URL")


# Settings that are secrets: every SecretStr field, and the database URLs, which may hold a
# password (RASA_TRACKER_URL is Rasa's, made from them by tracker_env).
SECRET_SETTINGS = frozenset(
    {
        name.upper()
        for name, field in Settings.model_fields.items()
        if SecretStr in getattr(field.annotation, "__args__", (field.annotation,))
    }
    | {"DATABASE_URL", "RASA_TRACKER_STORE_URL", "RASA_TRACKER_URL", "REDIS_URL", "REDIS_PASSWORD"}
)
# The secrets each child needs; the gateway gets every setting. Any other secret is set empty
# in a child's environment, so that neither the parent's environment nor a `.env` file (which
# the action server's settings would read) gives it one.
# Rasa sends NLG_SECRET to the gateway's /nlg in a header, keeps its tracker at
# RASA_TRACKER_URL and locks conversations in Redis with REDIS_PASSWORD (bot/endpoints.yml).
NEEDED_SECRETS = {
    "rasa": frozenset({"RASA_AUTH_TOKEN", "NLG_SECRET", "RASA_TRACKER_URL", "REDIS_PASSWORD"}),
    "actions": frozenset(),
}


def child_env(base: dict[str, str], role: str) -> dict[str, str]:
    """`base` with the secrets a child of `role` does not need set empty (the gateway: none)."""
    if role not in NEEDED_SECRETS:
        return dict(base)
    env = dict(base)
    env.update({name: "" for name in SECRET_SETTINGS - NEEDED_SECRETS[role]})
    return env


ROLES = ("gateway", "rasa", "actions")


def rasa_endpoints(settings: Settings) -> str:
    """The endpoints file Rasa runs with: bot/endpoints.yml, or with REDIS_URL a copy whose lock
    store is that Redis (so Rasa processes on any host lock a conversation in one place)."""
    if not settings.redis_url:
        return "endpoints.yml"
    endpoints = yaml.safe_load((BOT_DIR / "endpoints.yml").read_text())
    endpoints["lock_store"] = redis_lock_store(settings.redis_url)
    text = "# Made by `familyhub run` from bot/endpoints.yml and REDIS_URL; do not edit.\n"
    text += yaml.safe_dump(endpoints, sort_keys=False)
    # Named by its content: runs with other settings (tests) never share a file.
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"familyhub-endpoints-{digest}.yml"
    if not path.exists():
        path.write_text(text)
    return str(path)


def redis_lock_store(url: str) -> dict[str, Any]:
    """Rasa's `lock_store` for a redis:// or rediss:// URL. Rasa takes host, port and db apart,
    not a URL; the password stays in the environment (REDIS_PASSWORD, set by `children`), so
    the file written to disk holds no secret."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise SystemExit("REDIS_URL must be a redis:// or rediss:// URL")
    store: dict[str, Any] = {
        "type": "rasa_addons.lock_store.AtomicRedisLockStore",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int(parts.path.strip("/") or 0),
        "key_prefix": "familyhub",
        "use_ssl": parts.scheme == "rediss",
    }
    if parts.username:
        store["username"] = unquote(parts.username)
    if parts.password:
        store["password"] = "${REDIS_PASSWORD}"
    # rediss://…?ssl_ca_certs=/etc/familyhub/redis-ca.pem: the CA that signed Redis's certificate.
    for name, value in parse_qsl(parts.query):
        if name in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile"):
            store[name] = value
    return store


def children(
    settings: Settings, python: str = sys.executable, roles: tuple[str, ...] = ROLES
) -> list[Child]:
    """Rasa (one per worker), the action server and the gateway (or those of `roles`), with the
    env endpoints.yml reads.

    Rasa's HTTP API is guarded by RASA_AUTH_TOKEN (a new one at each start unless set), which
    Rasa and the gateway get in their environment, never on a command line (rasa_addons).
    """
    if set(roles) != set(ROLES) and {"gateway", "rasa"} & set(roles):
        # Processes started apart (on other hosts) must share these: one made here would be
        # this host's alone, and Rasa and the gateway would refuse each other.
        unset = [
            name
            for name, value in (
                ("NLG_SECRET", settings.nlg_secret),
                ("RASA_AUTH_TOKEN", settings.rasa_auth_token),
            )
            if value is None or not value.get_secret_value()
        ]
        if unset:
            raise SystemExit(f"--role needs {' and '.join(unset)} set, the same on every host")
    local_gateway = f"http://{settings.gateway_host}:{settings.gateway_port}"
    token = settings.rasa_auth_token
    env = dict(os.environ)
    env.update(settings_env(settings))
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "ACTION_ENDPOINT_URL": settings.action_server_url,
            "NLG_URL": f"{local_gateway}/nlg",
            # rasa-sdk binds to 0.0.0.0 unless told otherwise: keep it on loopback.
            "SANIC_HOST": settings.action_server_host,
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_AUTH_TOKEN": token.get_secret_value() if token else secrets.token_urlsafe(32),
        }
    )
    # The secret Rasa sends to the gateway's /nlg (bot/endpoints.yml): NLG_SECRET, or one made
    # for this run and given to both.
    env["NLG_SECRET"] = env.get("NLG_SECRET") or secrets.token_urlsafe(32)
    password = urlsplit(settings.redis_url).password if settings.redis_url else None
    if password:
        env["REDIS_PASSWORD"] = unquote(password)
    env.update(tracker_env(settings))
    found = [
        Child(
            "actions",
            [python, "-m", "bot.serve_actions", "-p", str(settings.action_server_port)],
            PROJECT_ROOT,
            child_env(env, "actions"),
        ),
        Child("gateway", [python, "-m", "bot.gateway"], PROJECT_ROOT, child_env(env, "gateway")),
    ]
    workers = max(1, settings.rasa_workers)
    for index in range(workers):
        rasa_argv = [
            *RASA_SERVER, "run", "--enable-api", "-i", settings.rasa_host,
            "-p", str(settings.rasa_port + index), "--model", str(settings.model_dir),
            "--endpoints", rasa_endpoints(settings), "--credentials", "credentials.yml",
        ]  # fmt: skip
        name = "rasa" if workers == 1 else f"rasa{index + 1}"
        found.append(Child(name, rasa_argv, BOT_DIR, child_env(env, "rasa")))
    return [child for child in found if child.name.rstrip("0123456789") in roles]
