"""What every test package shares: the settings a test runs with, the fake Telegram Bot API, and
throwaway PostgreSQL and Redis servers (tests/servers.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr

from bot.settings import Settings, get_settings
from bot.supervisor import settings_env
from tests.fakes.telegram_api import FakeTelegram
from tests.servers import PostgresServer, RedisServer

# Property-based tests: a short run in `make test`, a deep one in `make bench`
# (HYPOTHESIS_PROFILE=deep). No deadlines: the machine is shared and timings are not results.
hypothesis_settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "deep", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck)
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

NLG_SECRET = "test-nlg-secret"
HEALTH_TOKEN = "test-health-token"
# What a test sends to see /healthz's details (bot/gateway/health.py).
HEALTH_DETAILS = {"Authorization": f"Bearer {HEALTH_TOKEN}"}


def make_settings(folder: Path, **changes: Any) -> Settings:
    """Settings for tests: SQLite files in `folder`, a fixed secret key, NLG secret and health
    token, rate limits no test reaches, a short Rasa timeout, and no Telegram.

    Every other setting is its default: a developer's `.env` file and environment (a real
    TELEGRAM_BOT_TOKEN, say) are never read.
    """
    defaults = {
        name: field.get_default(call_default_factory=True)
        for name, field in Settings.model_fields.items()
    }
    chosen = {
        "database_url": f"sqlite:///{folder / 'familyhub.db'}",
        "rasa_tracker_store_url": f"sqlite:///{folder / 'rasa_tracker.db'}",
        "erasure_log": folder / "erased.log",
        "secret_key": SecretStr("test-key-not-secret"),
        "rate_limit_per_minute": 1000,
        "client_messages_per_minute": 100_000,
        "client_sessions_per_minute": 100_000,
        "nlg_secret": SecretStr(NLG_SECRET),
        "health_token": SecretStr(HEALTH_TOKEN),
        "rasa_timeout_seconds": 2,
        # No trained models: the safety net is the phrase lists alone, whatever a developer
        # has trained (tests that need the learned detector train one, tests/safety).
        "model_dir": folder / "models",
    }
    return Settings(_env_file=None, **{**defaults, **chosen, **changes})  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The settings of one test (see make_settings)."""
    return make_settings(tmp_path)


@pytest.fixture
def fake_api() -> Iterator[FakeTelegram]:
    """A fake Telegram Bot API on a local port."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def telegram_settings(settings: Settings, fake_api: FakeTelegram) -> Settings:
    """The test's settings with the Telegram channel on, against the fake Bot API."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(fake_api.token),
            "telegram_api_base_url": fake_api.base_url,
        }
    )


@pytest.fixture
def command_settings(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """The test's settings, as the environment the `familyhub` commands read them from.

    The commands read the settings once per process (`get_settings`), so each test starts
    and ends with none read; it runs in tmp_path, where there is no `.env` file.
    """
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster of the test session's own, started on first use, removed at the end."""
    with PostgresServer() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The SQLAlchemy URL (psycopg 3) of the session cluster's `postgres` database, shared by
    the whole session: tests that need an empty database use `fresh_postgres_url`."""
    return postgres_server.url()


@pytest.fixture
def fresh_postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The SQLAlchemy URL (psycopg 3) of a new empty database for one test, dropped after it."""
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database for one test, once on a SQLite file and once on PostgreSQL:
    the suites whose SQL differs between the two (store, conversations, handoff) use it."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("fresh_postgres_url"))


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A `redis-server` of the test session's own, started on first use, stopped at the end."""
    with RedisServer() as server:
        yield server


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    """The URL of database 0 of the session's Redis, shared by the whole session."""
    return redis_server.url()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The shared stack (tests/integration/stack.py) stops with the run, whichever suites
    started it: its processes run in process groups of their own and would outlive pytest.
    (Running tests/faults alone, whose fixture leaves the stack to the suites after it, once
    left Rasa, the action server and a gateway behind.)"""
    from tests.integration.stack import stop_stack  # that module imports this one

    stop_stack()
