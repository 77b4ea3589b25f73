"""The Telegram channel (python-telegram-bot): parents' commands, messages and buttons."""

from bot.gateway.channels.telegram.application import (
    build_application,
    webhook_mode,
    webhook_secret,
)
from bot.gateway.channels.telegram.dependencies import ChatConversation, TelegramDeps
from bot.gateway.channels.telegram.lifecycle import start_telegram, stop_telegram, telegram_health
from bot.gateway.channels.telegram.webhook import telegram_webhook_route

__all__ = [
    "ChatConversation",
    "TelegramDeps",
    "build_application",
    "start_telegram",
    "stop_telegram",
    "telegram_health",
    "telegram_webhook_route",
    "webhook_mode",
    "webhook_secret",
]
