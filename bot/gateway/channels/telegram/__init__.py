"""The Telegram channel (python-telegram-bot): parents' commands, messages and buttons, and the
mentors' desk. `channel.TelegramChannel` wires all of it."""

from bot.gateway.channels.telegram.channel import (
    WEBHOOK_PATH,
    TelegramChannel,
    enabled,
    webhook_mode,
)
from bot.gateway.channels.telegram.dependencies import TelegramDeps

__all__ = ["WEBHOOK_PATH", "TelegramChannel", "TelegramDeps", "enabled", "webhook_mode"]
