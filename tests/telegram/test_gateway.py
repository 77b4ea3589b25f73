"""The Telegram channel inside the real gateway: real router, conversations and erasure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.conversations import notice
from bot.gateway import replies
from bot.gateway.app import create_app
from bot.gateway.channels.telegram import WEBHOOK_PATH
from bot.gateway.channels.telegram.handlers import FORGET_YES
from bot.gateway.startup import Options, Services
from bot.settings import Settings
from bot.store.models import Conversation, Message
from tests.fakes.telegram_api import FakeTelegram, voice_update
from tests.gateway.fake_rasa import FakeRasa

CHAT = 61


def to_chat(call) -> bool:  # type: ignore[no-untyped-def]
    return call.params.get("chat_id") == CHAT


async def test_a_parent_on_telegram_through_the_real_router(
    telegram_settings: Settings, fake_api: FakeTelegram, tmp_path: Path
) -> None:
    rasa = FakeRasa(tmp_path / "rasa_tracker.db")
    app = create_app(telegram_settings, Options(rasa_transport=rasa.transport(), retention=False))
    async with app.router.lifespan_context(app):
        services: Services = app.state.services
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gw"
        ) as client:
            health = (await client.get("/healthz")).json()
        assert health["telegram"]["running"] is True

        fake_api.push_text(CHAT, "/start so", language_code="en")
        # The welcome, then the privacy notice (a language button is a first message too),
        # then Rasa's answer.
        calls = await fake_api.wait_for_call("sendMessage", 3, where=to_chat)
        assert calls[1].params["text"] == notice.telegram_notice("so", 30)
        state = services.conversations.for_telegram_chat(CHAT, None)
        assert state.language == "so" and state.notice_shown
        assert rasa.messages[-1]["message"] == '/choose_language{"language": "so"}'

        fake_api.push_update(voice_update(CHAT))
        calls = await fake_api.wait_for_call("sendMessage", 4, where=to_chat)
        assert calls[-1].params["text"] == replies.not_text("so").text

        fake_api.push_text(CHAT, "/frobnicate now")
        calls = await fake_api.wait_for_call("sendMessage", 5, where=to_chat)
        assert calls[-1].params["text"] == replies.unknown_command("so").text  # not "button"

        fake_api.push_text(CHAT, "hello")
        await fake_api.wait_for_call("sendMessage", 6, where=to_chat)
        assert any(t.startswith("echo: hello") for t in fake_api.sent_texts(CHAT))

        fake_api.push_text(CHAT, "/forget")
        await fake_api.wait_for_call("sendMessage", 7, where=to_chat)
        fake_api.push_callback(CHAT, FORGET_YES)
        await fake_api.wait_for_call("editMessageText")
        with services.db.session() as session:
            assert session.scalar(select(func.count()).select_from(Conversation)) == 0
            assert session.scalar(select(func.count()).select_from(Message)) == 0
        with sqlite3.connect(tmp_path / "rasa_tracker.db") as tracker:
            left = tracker.execute("SELECT count(*) FROM events WHERE sender_id = ?", (state.id,))
            assert left.fetchone() == (0,)


def test_the_webhook_route_is_declared_with_the_app_in_webhook_mode(
    telegram_settings: Settings,
) -> None:
    hooked = telegram_settings.model_copy(
        update={
            "telegram_webhook_url": "https://hub.example.org/telegram/webhook",
            "telegram_webhook_secret": SecretStr("s3cret"),
        }
    )
    assert WEBHOOK_PATH in [route.path for route in create_app(hooked).routes]  # type: ignore[attr-defined]
    polling = create_app(telegram_settings).routes
    assert WEBHOOK_PATH not in [route.path for route in polling]  # type: ignore[attr-defined]
