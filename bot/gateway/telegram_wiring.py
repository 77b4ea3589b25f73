"""Starting the Telegram channel with the gateway when TELEGRAM_BOT_TOKEN is set."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.applications import Starlette

from bot.gateway.services import Services

log = logging.getLogger(__name__)


async def start(app: Starlette, services: Services) -> None:
    """Build the PTB application on the router, add the webhook route if needed, and start it."""
    from bot.gateway.channels.telegram import (
        ChatConversation,
        build_application,
        start_telegram,
        telegram_webhook_route,
        webhook_mode,
        webhook_secret,
    )

    settings = services.settings

    def find_conversation(chat_id: int, hint: str | None) -> ChatConversation:
        state = services.conversations.for_telegram_chat(chat_id, hint)
        return ChatConversation(state.id, state.language)

    application = build_application(
        settings,
        services.router.take,
        db=services.db,
        find_conversation=find_conversation,
        erase_conversation=services.router.erase,
        is_mentor=_mentor_check(services),
        extensions=services.telegram_extensions,
    )
    services.telegram = application
    if webhook_mode(settings):
        app.router.routes.append(telegram_webhook_route(application, webhook_secret(settings)))
    try:
        await start_telegram(application)
    except Exception as error:
        # The web chat keeps working; /healthz shows Telegram as not running.
        log.error("telegram did not start: %s", type(error).__name__)


def _mentor_check(services: Services) -> Callable[[int], bool] | None:
    """The handoff desk's mentor check, when the handoff is installed (it is built first)."""
    desk = getattr(services.handoff_runtime, "desk", None)
    check: Callable[[int], bool] | None = getattr(desk, "is_mentor", None)
    return check


async def stop(services: Services) -> None:
    if services.telegram is None:
        return
    from bot.gateway.channels.telegram import stop_telegram

    try:
        await asyncio.wait_for(stop_telegram(services.telegram), timeout=10)
    except Exception as error:
        log.error("telegram did not stop cleanly: %s", type(error).__name__)
