"""Each update is handled once, even when Telegram delivers it again after a restart."""

from __future__ import annotations

from typing import Any

from bot.gateway.channels.telegram import TelegramChannel
from bot.gateway.channels.telegram.updates import first_time
from bot.settings import Settings
from bot.store.database import Database
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
