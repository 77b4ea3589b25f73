"""The Telegram channel, wired in one place: every handler in the order it sees an update, the
start (long polling, or the webhook) and stop, the webhook's endpoint, and the channel's health."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core import LANGUAGES
from bot.gateway.channels.telegram import handlers, mentors, screening, updates
from bot.gateway.channels.telegram.dependencies import BOT_DATA_KEY, TelegramDeps
from bot.gateway.channels.telegram.ordering import PerChatUpdateProcessor
from bot.gateway.channels.telegram.outgoing import outbox_senders
from bot.handoff import Sender
from bot.i18n import N_, translate
from bot.settings import Settings

log = logging.getLogger(__name__)

# Only what the parents' and mentors' handlers read; everything else is never fetched.
# Edits are fetched so that a parent who edits a message into a crisis still gets help.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
# Handler groups, in the order an update meets them: the re-delivery check, then edits
# (screened, and kept from every other handler), then the mentors' desk, then parents.
GROUP_ONCE = -100
GROUP_EDITS = -50
GROUP_MENTORS = -10
GROUP_PARENTS = 0
# Retries after a 429 "retry after N seconds", beyond the rate limiter's own pacing.
MAX_RETRIES = 3
# The command menu, in each language.
COMMANDS = {
    "start": N_("Start, and choose your language"),
    "help": N_("What I can do"),
    "language": N_("Change language"),
    "human": N_("Talk to a person"),
    "cancel": N_("Stop waiting for a person, or end the chat with one"),
    "privacy": N_("What we keep and who sees it"),
    "forget": N_("Delete everything about me"),
}
PARENT_COMMANDS = {
    "start": handlers.start,
    "help": handlers.help_command,
    "language": handlers.language,
    "privacy": handlers.privacy,
    "forget": handlers.forget,
    "human": handlers.human,
}
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A Telegram update is a few kilobytes; anything much larger is not from Telegram.
MAX_WEBHOOK_BYTES = 1_000_000
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def enabled(settings: Settings) -> bool:
    """Whether TELEGRAM_BOT_TOKEN is set: without it, no Telegram (the web chat still works)."""
    token = settings.telegram_bot_token
    return token is not None and bool(token.get_secret_value())


def webhook_mode(settings: Settings) -> bool:
    return bool(settings.telegram_webhook_url)


def webhook_secret(settings: Settings) -> str:
    """The webhook secret, checked: Telegram accepts 1-256 characters of A-Z a-z 0-9 _ -."""
    secret = settings.telegram_webhook_secret
    value = secret.get_secret_value() if secret else ""
    if not _SECRET_TOKEN.match(value):
        raise ValueError(
            "TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_WEBHOOK_URL is set: "
            "1 to 256 characters of A-Z, a-z, 0-9, _ and -."
        )
    return value


def file_url(base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL (…/bot → …/file/bot)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return base_url.rstrip("/") + "/file/bot"


class TelegramChannel:
    """The parents' and mentors' bot: python-telegram-bot's Application and its handlers."""

    def __init__(self, deps: TelegramDeps) -> None:
        settings = deps.settings
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.settings = settings
        self.deps = deps
        self.webhook = webhook_mode(settings)
        self.secret = webhook_secret(settings) if self.webhook else ""
        self.poll_timeout = 10
        # Set when long polling is shared between processes by a lock (bot/gateway/startup.py).
        self.standby = False
        # httpx logs every request URL at INFO, and the URL carries the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(settings.telegram_api_base_url)
            .base_file_url(file_url(settings.telegram_api_base_url))
            .rate_limiter(AIORateLimiter(max_retries=MAX_RETRIES))
            .concurrent_updates(PerChatUpdateProcessor())
        )
        if self.webhook:
            builder = builder.updater(None)
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self.application.bot_data[BOT_DATA_KEY] = deps
        self._add_handlers()

    def _add_handlers(self) -> None:
        app = self.application
        app.add_handler(TypeHandler(Update, handlers.once), group=GROUP_ONCE)
        app.add_handler(
            MessageHandler(filters.UpdateType.EDITED_MESSAGE, screening.edited), group=GROUP_EDITS
        )
        if self.deps.desk is not None:
            for handler in mentors.mentor_handlers():
                app.add_handler(handler, group=GROUP_MENTORS)
        private = filters.ChatType.PRIVATE
        for name, callback in PARENT_COMMANDS.items():
            command = CommandHandler(name, screening.crisis_first(callback), filters=private)
            app.add_handler(command, group=GROUP_PARENTS)
        forget = f"^({handlers.FORGET_YES}|{handlers.FORGET_NO})$"
        parents = [
            CallbackQueryHandler(handlers.forget_answer, pattern=forget),
            CallbackQueryHandler(handlers.button),
            MessageHandler(
                private & filters.COMMAND, screening.crisis_first(handlers.other_command)
            ),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, handlers.text),
            MessageHandler(
                private & filters.UpdateType.MESSAGE & ~filters.TEXT, handlers.unsupported
            ),
        ]
        for handler in parents:
            app.add_handler(handler, group=GROUP_PARENTS)
        app.add_error_handler(handlers.on_error)

    @property
    def running(self) -> bool:
        return bool(self.application.running)

    def outbox_senders(self) -> dict[str, Sender]:
        """The handoff outbox's senders, through this bot."""
        return outbox_senders(self.application.bot, self.deps.payloads)

    async def start(self, *, poll_timeout: int = 10, poll: bool = True) -> None:
        """Initialise, then long polling; or, with TELEGRAM_WEBHOOK_URL, register the webhook.

        Without `poll`, the bot sends (the outbox) but does not poll yet: another gateway
        process may hold the polling (bot/gateway/startup.py); `start_polling` starts it.
        """
        await asyncio.to_thread(updates.prune, self.deps.db)
        await self.application.initialize()
        try:
            await self.publish_commands()
        except TelegramError as error:
            log.warning("telegram command menu not published: %s", type(error).__name__)
        if self.webhook:
            await self.application.bot.set_webhook(
                self.settings.telegram_webhook_url,
                secret_token=self.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            await self.application.start()
            log.info("telegram started: webhook mode")
            return
        await self.application.start()
        self.poll_timeout = poll_timeout
        if poll:
            await self.start_polling()
        else:
            log.info("telegram started: standing by for long polling")

    async def start_polling(self) -> None:
        """Long polling, in this process (the channel started)."""
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, timeout=self.poll_timeout
        )
        log.info("telegram started: long polling")

    async def stop_polling(self) -> None:
        """Stop long polling; the bot still sends."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
            log.info("telegram: long polling stopped")

    async def publish_commands(self) -> None:
        """The command menu, in each language (Telegram shows the one matching the app's)."""
        for language in LANGUAGES:
            commands = [
                BotCommand(name, translate(language, text)) for name, text in COMMANDS.items()
            ]
            await self.application.bot.set_my_commands(
                commands, language_code=None if language == "en" else language
            )

    async def stop(self) -> None:
        """Stop polling, finish queued updates, and close the connections. The webhook stays set."""
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        log.info("telegram stopped")

    def health(self) -> dict[str, Any]:
        """The channel's state for /healthz."""
        polling = bool(self.application.updater is not None and self.application.updater.running)
        mode = "webhook" if self.webhook else "polling"
        if self.standby:
            # Another gateway process polls; this one sends, and takes over if that one dies.
            running = bool(self.application.running)
            return {
                "ok": running,
                "enabled": True,
                "mode": mode,
                "running": running,
                "polling": polling,
            }
        running = bool(self.application.running and (polling or self.webhook))
        return {"ok": running, "enabled": True, "mode": mode, "running": running}

    async def receive(self, request: Request) -> Response:
        """POST /telegram/webhook: an update Telegram sends, checked by its secret token."""
        if not self.webhook:
            return Response(status_code=404)
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret.encode()):
            log.warning("telegram webhook refused: wrong secret token")
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BYTES:
            return Response(status_code=413)
        try:
            update = Update.de_json(json.loads(body), self.application.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("telegram webhook refused: not an update")
            return Response(status_code=400)
        await self.application.update_queue.put(update)
        return Response(status_code=200)
