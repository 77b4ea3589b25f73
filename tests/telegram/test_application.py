"""The wiring: the mentors' desk sees updates before the parents' handlers, each update once."""

from __future__ import annotations

from typing import Any

import pytest

from bot.gateway.channels.telegram import TelegramChannel
from bot.gateway.channels.telegram.channel import file_url
from bot.handoff import DeskReply
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.telegram.conftest import FakeRouter, OnlyMentor


def test_file_url_follows_the_base_url() -> None:
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_no_token_no_channel(make_channel: Any, telegram_settings: Settings) -> None:
    without = telegram_settings.model_copy(update={"telegram_bot_token": None})
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        make_channel(without)


class AvailableMentor(OnlyMentor):
    """A desk whose one mentor can say they are available, noting each update it answers."""

    def __init__(self, mentor: int) -> None:
        super().__init__(mentor)
        self.seen = 0

    def set_available(self, telegram_user_id: int, available: bool) -> DeskReply:
        self.seen += 1
        return DeskReply("You are available.")


async def test_the_desk_handles_its_commands_before_the_parents_handlers(
    make_channel: Any, telegram_settings: Settings, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    desk = AvailableMentor(1001)
    channel = make_channel(telegram_settings, desk=desk)
    await channel.start(poll_timeout=1)
    try:
        update = {"update_id": 4242, **text_update(1001, "/available")}
        fake_api.push_update(update)
        fake_api.push_update(update)
        fake_api.push_text(1002, "a parent's text")
        await fake_api.wait_for_call("sendMessage", 2)
    finally:
        await channel.stop()
    assert desk.seen == 1
    assert fake_api.sent_texts(1001) == ["You are available."]
    assert [i.text for i in router.inbound] == ["a parent's text"]


async def test_polling_start_publishes_commands_in_each_language(
    channel: TelegramChannel, fake_api: FakeTelegram
) -> None:
    languages = [c.params.get("language_code") for c in fake_api.calls("setMyCommands")]
    assert languages == [None, "so", "tr"]
    assert fake_api.calls("deleteWebhook")
    assert channel.health() == {"ok": True, "enabled": True, "mode": "polling", "running": True}
