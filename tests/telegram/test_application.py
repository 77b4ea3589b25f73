"""The wiring: extensions (the mentors' desk) get updates before parents' handlers, once each."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, ContextTypes

from bot.gateway.channels.telegram import start_telegram, stop_telegram
from bot.gateway.channels.telegram.application import GROUP_EXTENSIONS, build_application, file_url
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.telegram.conftest import FakeConversations, FakeRouter


def test_file_url_follows_the_base_url() -> None:
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_no_token_no_application(
    telegram_settings: Settings, router: FakeRouter, db: Any, conversations: FakeConversations
) -> None:
    without = telegram_settings.model_copy(update={"telegram_bot_token": None})
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        build_application(
            without,
            router,
            db=db,
            find_conversation=conversations.find,
            erase_conversation=conversations.erase,
        )


async def test_an_extension_handles_its_commands_before_the_parents_handlers(
    make_app: Any, telegram_settings: Settings, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    seen: list[int] = []

    async def available(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)
        await context.bot.send_message(update.effective_chat.id, "You are available.")  # type: ignore[union-attr]
        raise ApplicationHandlerStop

    def mentors(application: Application) -> None:
        application.add_handler(CommandHandler("available", available), group=GROUP_EXTENSIONS)

    application = make_app(telegram_settings, extensions=[mentors])
    await start_telegram(application, poll_timeout=1)
    try:
        update = {"update_id": 4242, **text_update(1001, "/available")}
        fake_api.push_update(update)
        fake_api.push_update(update)
        fake_api.push_text(1001, "a parent's text")
        await fake_api.wait_for_call("sendMessage", 2)
    finally:
        await stop_telegram(application)
    assert seen == [4242]
    assert [i.text for i in router.inbound] == ["a parent's text"]


async def test_polling_start_publishes_commands_in_each_language(
    app: Application, fake_api: FakeTelegram
) -> None:
    from bot.gateway.channels.telegram import telegram_health

    languages = [c.params.get("language_code") for c in fake_api.calls("setMyCommands")]
    assert languages == [None, "so", "tr"]
    assert fake_api.calls("deleteWebhook")
    assert telegram_health(app) == {"enabled": True, "mode": "polling", "running": True}
