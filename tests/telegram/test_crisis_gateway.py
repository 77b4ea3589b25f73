"""The crisis flow on Telegram through the real router: captions, edits, commands, rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.gateway import replies
from bot.gateway.app import create_app
from bot.gateway.startup import Options, Services
from bot.settings import Settings
from bot.store.models import Handoff
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_updates import captioned_photo_update, edited_text_update
from tests.gateway.fake_rasa import FakeRasa

CRISIS = "I want to kill myself"


@pytest.fixture
async def gateway(tmp_path: Path, telegram_settings: Settings) -> AsyncIterator[Services]:
    rasa = FakeRasa(tmp_path / "rasa_tracker.db")
    app = create_app(telegram_settings, Options(rasa_transport=rasa.transport(), retention=False))
    async with app.router.lifespan_context(app):
        yield app.state.services


def to(chat_id: int, contains: str = "") -> Any:
    return lambda c: c.params.get("chat_id") == chat_id and contains in c.params.get("text", "")


def urgent_requests(services: Services, chat_id: int) -> list[Handoff]:
    conversation = services.conversations.for_telegram_chat(chat_id, None)
    with services.db.session() as session:
        query = select(Handoff).where(
            Handoff.conversation_id == conversation.id, Handoff.urgent.is_(True)
        )
        return list(session.scalars(query))


async def test_a_photo_with_a_crisis_caption_gets_the_crisis_reply_and_an_alert(
    gateway: Services, fake_api: FakeTelegram
) -> None:
    fake_api.push_update(captioned_photo_update(41, CRISIS))
    await fake_api.wait_for_call("sendMessage", where=to(41, "116 123"))
    assert replies.not_text("en").text not in fake_api.sent_texts(41)
    assert urgent_requests(gateway, 41)

    fake_api.push_update(captioned_photo_update(42, "look at my baby"))
    await fake_api.wait_for_call("sendMessage", where=to(42, replies.not_text("en").text))
    assert urgent_requests(gateway, 42) == []


async def test_an_edit_into_a_crisis_gets_the_crisis_reply_and_an_alert(
    gateway: Services, fake_api: FakeTelegram
) -> None:
    fake_api.push_text(43, "hello")
    await fake_api.wait_for_call("sendMessage", 2, where=to(43))  # the notice, then Rasa
    fake_api.push_update(edited_text_update(43, CRISIS))
    await fake_api.wait_for_call("sendMessage", where=to(43, "116 123"))
    assert urgent_requests(gateway, 43)


async def test_a_command_with_crisis_words_gets_the_crisis_reply(
    gateway: Services, fake_api: FakeTelegram
) -> None:
    fake_api.push_text(44, "/privacy " + CRISIS)
    await fake_api.wait_for_call("sendMessage", where=to(44, "116 123"))
    assert urgent_requests(gateway, 44)
    assert not any("Send /forget" in t for t in fake_api.sent_texts(44))


async def test_a_rate_limited_parent_in_crisis_still_gets_help(
    gateway: Services, fake_api: FakeTelegram
) -> None:
    gateway.router.limiter.per_minute = 1
    fake_api.push_text(45, "hello")
    fake_api.push_text(45, "hello again")
    await fake_api.wait_for_call("sendMessage", where=to(45, "very quickly"))
    fake_api.push_text(45, CRISIS)
    await fake_api.wait_for_call("sendMessage", where=to(45, "116 123"))
    assert urgent_requests(gateway, 45)
