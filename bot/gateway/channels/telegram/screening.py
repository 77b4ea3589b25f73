"""The crisis screen where Telegram messages do not simply go to a turn: commands and edits.

A parent's turn screens every message it takes. These handlers make sure it takes every
message that needs screening: a command answered here (/privacy, /forget, /start …) whose
words match the screen, and an edited message.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.gateway.channels.telegram.dependencies import deps
from bot.gateway.channels.telegram.handlers import route_message, written
from bot.safety import screen

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def crisis_first(command: Callback) -> Callback:
    """A command whose words match the crisis screen gets the crisis reply instead of the command.

    "/privacy i want to die" or "/start so ölmek istiyorum": a turn answers a crisis first,
    whatever else the message is, so the message goes there as text.
    """

    @functools.wraps(command)
    async def screened(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        typed = written(update)
        if typed and screen(typed) is not None:
            await route_message(update, context, "text", text=typed)
            return
        await command(update, context)

    return screened


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message: screened like a new one, but answered only when it is a crisis.

    An edit is usually a fixed typo, and a second answer to it would confuse, so otherwise
    nothing is sent, stored or relayed. Mentors' edits are left alone: their messages are
    never screened. No other handler sees an edit (it would be handled as a new message).
    """
    message, user = update.edited_message, update.effective_user
    typed = (message.text or message.caption or "") if message is not None else ""
    desk = deps(context).desk
    if (
        message is not None
        and message.chat.type == ChatType.PRIVATE
        and typed
        and screen(typed) is not None
        and not (
            desk is not None
            and user is not None
            and await asyncio.to_thread(desk.is_mentor, user.id)
        )
    ):
        await route_message(update, context, "text", text=typed)
    raise ApplicationHandlerStop
