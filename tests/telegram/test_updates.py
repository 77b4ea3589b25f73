"""Each update is handled once, even when Telegram delivers it again after a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.gateway.channels.telegram import TelegramChannel
from bot.gateway.channels.telegram.updates import done, first_time, interrupted
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import ChatTrail, Conversation, ProcessedUpdate, utcnow
from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.telegram.conftest import FakeRouter


def test_first_time_is_true_once(db: Database) -> None:
    assert first_time(db, 501)
    assert not first_time(db, 501)
    assert first_time(db, 502)


async def test_a_duplicate_update_is_handled_once(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    update = {"update_id": 7001, **text_update(21, "hello")}
    fake_api.push_update(update)
    fake_api.push_update(update)
    fake_api.push_text(21, "second")
    await fake_api.wait_for_call("sendMessage", 2)
    assert [i.text for i in router.inbound] == ["hello", "second"]


async def test_a_duplicate_after_a_restart_is_handled_once(
    make_channel: Any, telegram_settings: Settings, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    update = {"update_id": 8001, **text_update(22, "hello")}
    first = make_channel(telegram_settings)
    await first.start(poll_timeout=1)
    fake_api.push_update(update)
    await fake_api.wait_for_call("sendMessage")
    await first.stop()

    # Telegram delivers it again (e.g. the offset was never confirmed before a crash).
    fake_api.push_update(update)
    second = make_channel(telegram_settings)
    await second.start(poll_timeout=1)
    try:
        fake_api.push_text(22, "after restart")
        await fake_api.wait_for_call("sendMessage", 2)
    finally:
        await second.stop()
    assert [i.text for i in router.inbound] == ["hello", "after restart"]
    assert fake_api.pending_updates() <= 2


def test_an_update_in_hand_is_marked_until_done(db: Database) -> None:
    assert first_time(db, 601, 31)
    assert first_time(db, 602, 32)
    done(db, 601)
    # A crash now: 602 was in hand. The next start finds its chat, once.
    assert interrupted(db) == [32]
    assert interrupted(db) == []
    assert not first_time(db, 602, 32), "still handled once"


async def test_a_handled_update_leaves_no_mark(
    channel: TelegramChannel, fake_api: FakeTelegram, db: Database
) -> None:
    fake_api.push_text(23, "hello")
    await fake_api.wait_for_call("sendMessage")

    def marks() -> list[int | None]:
        with db.session() as session:
            return list(session.scalars(select(ProcessedUpdate.in_flight_chat_id)))

    for _ in range(100):
        if marks() == [None]:
            break
        await asyncio.sleep(0.02)
    assert marks() == [None]


async def test_old_ids_are_forgotten_on_a_schedule_not_only_at_start(
    channel: TelegramChannel, db: Database
) -> None:
    long_ago = utcnow() - timedelta(days=3)
    with db.session() as session:
        conversation = Conversation(channel="telegram", external_id_hash="x", telegram_chat_id=5)
        session.add(conversation)
        session.flush()
        session.add(ProcessedUpdate(update_id=1, processed_at=long_ago))
        session.add(ProcessedUpdate(update_id=2))
        session.add(
            ChatTrail(conversation_id=conversation.id, chat_id=5, message_id=9, created_at=long_ago)
        )
    task = asyncio.create_task(channel.maintain_forever(0.05))
    try:
        for _ in range(100):
            with db.session() as session:
                ids = list(session.scalars(select(ProcessedUpdate.update_id)))
                trail = list(session.scalars(select(ChatTrail.id)))
            if ids == [2] and trail == []:
                break
            await asyncio.sleep(0.02)
    finally:
        task.cancel()
    assert ids == [2] and trail == []
