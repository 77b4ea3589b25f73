"""All of the Telegram wiring in one place: the PTB Application and its handlers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from telegram import Update
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

from bot.gateway.channels.telegram import handlers, screening
from bot.gateway.channels.telegram.dependencies import (
    BOT_DATA_KEY,
    EraseConversation,
    FindConversation,
    IsMentor,
    Router,
    TelegramDeps,
)
from bot.gateway.channels.telegram.ordering import PerChatUpdateProcessor
from bot.gateway.channels.telegram.outgoing import CallbackPayloads
from bot.settings import Settings
from bot.store.database import Database

# Only what the parent and mentor handlers read; everything else is never fetched.
# Edits are fetched so that a parent who edits a message into a crisis still gets help.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
# Handler groups: re-delivery check first, then edits (screened, and kept from every other
# handler), then extensions (the mentors' desk), then parents.
GROUP_ONCE = -100
GROUP_EDITS = -50
GROUP_EXTENSIONS = -10
GROUP_PARENTS = 0
# Retries after a 429 "retry after N seconds", beyond the rate limiter's own pacing.
MAX_RETRIES = 3
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

Extension = Callable[[Application], None]


def file_url(base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL (…/bot → …/file/bot)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return base_url.rstrip("/") + "/file/bot"


def webhook_mode(settings: Settings) -> bool:
    return bool(settings.telegram_webhook_url)


def webhook_secret(settings: Settings) -> str:
    """The webhook secret, checked: Telegram accepts 1-256 characters of A-Z a-z 0-9 _ -."""
    secret = (
        settings.telegram_webhook_secret.get_secret_value()
        if settings.telegram_webhook_secret
        else ""
    )
    if not _SECRET_TOKEN.match(secret):
        raise ValueError(
            "TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_WEBHOOK_URL is set: "
            "1 to 256 characters of A-Z, a-z, 0-9, _ and -."
        )
    return secret


def build_application(
    settings: Settings,
    router: Router,
    *,
    db: Database,
    find_conversation: FindConversation,
    erase_conversation: EraseConversation,
    is_mentor: IsMentor | None = None,
    extensions: Sequence[Extension] = (),
) -> Application:
    """The PTB Application for the parents' bot; `extensions` add handlers (e.g. mentors)."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
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
    if webhook_mode(settings):
        webhook_secret(settings)
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[BOT_DATA_KEY] = TelegramDeps(
        settings=settings,
        db=db,
        router=router,
        find_conversation=find_conversation,
        erase_conversation=erase_conversation,
        payloads=CallbackPayloads(settings.hashing_key()),
        is_mentor=is_mentor,
    )

    application.add_handler(TypeHandler(Update, handlers.once), group=GROUP_ONCE)
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, screening.edited), group=GROUP_EDITS
    )
    for extend in extensions:
        extend(application)

    private = filters.ChatType.PRIVATE
    commands = {
        "start": handlers.start,
        "help": handlers.help_command,
        "language": handlers.language,
        "privacy": handlers.privacy,
        "forget": handlers.forget,
        "human": handlers.human,
    }
    for name, callback in commands.items():
        application.add_handler(
            CommandHandler(name, screening.crisis_first(callback), filters=private),
            group=GROUP_PARENTS,
        )
    application.add_handler(
        CallbackQueryHandler(
            handlers.forget_answer, pattern=f"^({handlers.FORGET_YES}|{handlers.FORGET_NO})$"
        ),
        group=GROUP_PARENTS,
    )
    application.add_handler(CallbackQueryHandler(handlers.button), group=GROUP_PARENTS)
    application.add_handler(
        MessageHandler(private & filters.COMMAND, screening.crisis_first(handlers.other_command)),
        group=GROUP_PARENTS,
    )
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, handlers.text),
        group=GROUP_PARENTS,
    )
    application.add_handler(
        MessageHandler(private & filters.UpdateType.MESSAGE & ~filters.TEXT, handlers.unsupported),
        group=GROUP_PARENTS,
    )
    application.add_error_handler(handlers.on_error)
    return application
