"""Starting and stopping the Telegram channel inside the gateway's lifespan."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import Application

from bot.core import LANGUAGES
from bot.gateway.channels.telegram import updates
from bot.gateway.channels.telegram.application import ALLOWED_UPDATES, webhook_mode, webhook_secret
from bot.gateway.channels.telegram.dependencies import BOT_DATA_KEY, TelegramDeps
from bot.i18n import N_, translate

log = logging.getLogger(__name__)

COMMANDS = {
    "start": N_("Start, and choose your language"),
    "help": N_("What I can do"),
    "language": N_("Change language"),
    "human": N_("Talk to a person"),
    "cancel": N_("Stop waiting for a person, or end the chat with one"),
    "privacy": N_("What we keep and who sees it"),
    "forget": N_("Delete everything about me"),
}


def _deps(application: Application) -> TelegramDeps:
    found = application.bot_data[BOT_DATA_KEY]
    assert isinstance(found, TelegramDeps)
    return found


async def publish_commands(application: Application) -> None:
    """The command menu, in each language (Telegram shows the one matching the app's language)."""
    for language in LANGUAGES:
        commands = [BotCommand(name, translate(language, text)) for name, text in COMMANDS.items()]
        await application.bot.set_my_commands(
            commands, language_code=None if language == "en" else language
        )


async def start_telegram(application: Application, *, poll_timeout: int = 10) -> None:
    """Initialise, then long polling; or, with TELEGRAM_WEBHOOK_URL, register the webhook."""
    settings = _deps(application).settings
    await asyncio.to_thread(updates.prune, _deps(application).db)
    await application.initialize()
    try:
        await publish_commands(application)
    except TelegramError as error:
        log.warning("telegram command menu not published: %s", type(error).__name__)
    if webhook_mode(settings):
        await application.bot.set_webhook(
            settings.telegram_webhook_url,
            secret_token=webhook_secret(settings),
            allowed_updates=ALLOWED_UPDATES,
        )
        await application.start()
        log.info("telegram started: webhook mode")
        return
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=poll_timeout)
    log.info("telegram started: long polling")


async def stop_telegram(application: Application) -> None:
    """Stop polling, finish queued updates, and close the connections. The webhook stays set."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    log.info("telegram stopped")


def telegram_health(application: Application | None) -> dict[str, Any]:
    """The channel's state for /healthz."""
    if application is None:
        return {"enabled": False}
    settings = _deps(application).settings
    polling = application.updater is not None and application.updater.running
    return {
        "enabled": True,
        "mode": "webhook" if webhook_mode(settings) else "polling",
        "running": bool(application.running and (polling or webhook_mode(settings))),
    }
