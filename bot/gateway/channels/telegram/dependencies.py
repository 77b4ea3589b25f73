"""What the Telegram channel needs from the rest of the gateway, injected so tests can fake it."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram.ext import ContextTypes

from bot.core import Inbound, Reply
from bot.gateway.channels.telegram.outgoing import CallbackPayloads
from bot.settings import Settings
from bot.store.database import Database

T = TypeVar("T")

BOT_DATA_KEY = "familyhub"


@dataclass(frozen=True)
class ChatConversation:
    """The conversation of one Telegram chat: its id (the Rasa sender id) and language."""

    id: str
    language: str


Router = Callable[[Inbound], Awaitable[Reply]]
# (chat id, language hint) -> the chat's conversation, created when new; sync or async.
FindConversation = Callable[[int, str | None], ChatConversation | Awaitable[ChatConversation]]
# conversation id -> None, erasing everything about that parent; sync or async.
EraseConversation = Callable[[str], None | Awaitable[None]]
# Telegram user id -> True for a registered mentor (the handoff's desk); sync or async.
IsMentor = Callable[[int], bool | Awaitable[bool]]


@dataclass
class TelegramDeps:
    """Everything the handlers use, kept in `application.bot_data[BOT_DATA_KEY]`."""

    settings: Settings
    db: Database
    router: Router
    find_conversation: FindConversation
    erase_conversation: EraseConversation
    payloads: CallbackPayloads
    # Without it (no handoff), every sender is a parent.
    is_mentor: IsMentor | None = None


def deps(context: ContextTypes.DEFAULT_TYPE) -> TelegramDeps:
    """The channel's dependencies, from the application's bot_data."""
    found = context.bot_data[BOT_DATA_KEY]
    assert isinstance(found, TelegramDeps)
    return found


async def call(function: Callable[..., Any], *args: Any) -> Any:
    """Call a sync function in a worker thread (it may touch the database), or await an async one."""
    if inspect.iscoroutinefunction(function):
        return await function(*args)
    result = await asyncio.to_thread(function, *args)
    if inspect.isawaitable(result):
        return await result
    return result
