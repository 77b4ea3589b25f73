"""Webhook mode: setWebhook with the secret, and the gateway route that checks it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.routing import Route

from bot.gateway.channels.telegram import WEBHOOK_PATH, TelegramChannel
from bot.gateway.channels.telegram.channel import webhook_secret
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.telegram.conftest import FakeRouter

SECRET = "s3cret-Token_value"


@pytest.fixture
async def webhook_channel(
    make_channel: Any, telegram_settings: Settings
) -> AsyncIterator[TelegramChannel]:
    hooked = telegram_settings.model_copy(
        update={
            "telegram_webhook_url": "https://hub.example.org/telegram/webhook",
            "telegram_webhook_secret": SecretStr(SECRET),
        }
    )
    channel = make_channel(hooked)
    await channel.start()
    yield channel
    await channel.stop()


@pytest.fixture
def client(webhook_channel: TelegramChannel) -> httpx.AsyncClient:
    gateway = Starlette(routes=[Route(WEBHOOK_PATH, webhook_channel.receive, methods=["POST"])])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gateway")


async def test_set_webhook_carries_the_secret_and_allowed_updates(
    webhook_channel: TelegramChannel, fake_api: FakeTelegram
) -> None:
    [call] = fake_api.calls("setWebhook")
    assert call.params["url"] == "https://hub.example.org/telegram/webhook"
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "edited_message", "callback_query"]
    assert fake_api.calls("getUpdates") == []


async def test_a_wrong_secret_is_refused(
    client: httpx.AsyncClient, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    update = {"update_id": 9001, **text_update(41, "hello")}
    for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
        response = await client.post("/telegram/webhook", json=update, headers=headers)
        assert response.status_code == 403
    assert router.inbound == []


async def test_the_right_secret_gets_the_update_handled(
    client: httpx.AsyncClient, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    update = {"update_id": 9002, **text_update(42, "hello")}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await client.post("/telegram/webhook", json=update, headers=headers)
    assert response.status_code == 200
    await fake_api.wait_for_call("sendMessage")
    assert [i.text for i in router.inbound] == ["hello"]
    bad = await client.post("/telegram/webhook", content=b"not json", headers=headers)
    assert bad.status_code == 400


def test_webhook_mode_needs_a_valid_secret(telegram_settings: Settings) -> None:
    hooked = telegram_settings.model_copy(
        update={"telegram_webhook_url": "https://x.example/telegram/webhook"}
    )
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_secret(hooked)
