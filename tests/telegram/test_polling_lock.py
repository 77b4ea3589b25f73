"""Several gateways on one PostgreSQL database: exactly one long-polls Telegram (it holds an
advisory lock), the others stand by and send; when the poller goes, one of them takes over."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.startup import Options
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.gateway.conftest import services
from tests.gateway.fake_rasa import FakeRasa


def until(check: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def polling(client: TestClient) -> bool:
    channel = services(client).telegram
    assert channel is not None
    return bool(channel.health().get("polling"))


def test_one_gateway_polls_and_another_takes_over_when_it_goes(
    tmp_path: Path, fresh_postgres_url: str, fake_api: FakeTelegram
) -> None:
    settings = make_settings(
        tmp_path,
        database_url=fresh_postgres_url,
        rasa_tracker_store_url=fresh_postgres_url,
        telegram_bot_token=SecretStr(fake_api.token),
        telegram_api_base_url=fake_api.base_url,
    )
    rasa = FakeRasa()
    with contextlib.ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(create_app(settings, Options(rasa.transport()))))
            for _ in range(2)
        ]
        until(lambda: any(polling(client) for client in clients))
        time.sleep(3)  # several rounds of the standby trying the lock
        assert [polling(client) for client in clients].count(True) == 1, "exactly one polls"
        leader, standby = sorted(clients, key=polling, reverse=True)
        health = services(standby).telegram.health()  # type: ignore[union-attr]
        assert health["ok"] and health["running"], "a standby is up: it sends"

        leader.__exit__(None, None, None)  # the poller goes: its lock's connection closes

        until(lambda: polling(standby))
        stack.pop_all()
        standby.__exit__(None, None, None)


def test_in_webhook_mode_every_gateway_takes_updates_and_none_polls(
    tmp_path: Path, fresh_postgres_url: str, fake_api: FakeTelegram
) -> None:
    settings = make_settings(
        tmp_path,
        database_url=fresh_postgres_url,
        rasa_tracker_store_url=fresh_postgres_url,
        telegram_bot_token=SecretStr(fake_api.token),
        telegram_api_base_url=fake_api.base_url,
        telegram_webhook_url="https://hub.example/telegram/webhook",
        telegram_webhook_secret=SecretStr("s3cret"),
    )
    rasa = FakeRasa()
    with contextlib.ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(create_app(settings, Options(rasa.transport()))))
            for _ in range(2)
        ]
        for client in clients:
            health = services(client).telegram.health()  # type: ignore[union-attr]
            assert health["ok"] and health["mode"] == "webhook" and not polling(client)
            refused = client.post("/telegram/webhook", json={"update_id": 1})
            assert refused.status_code in (401, 403), "each checks the secret itself"
