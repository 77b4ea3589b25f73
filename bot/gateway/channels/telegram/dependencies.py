"""What the Telegram handlers use from the rest of the gateway, typed, so that tests can stand in
for any of it; kept in the application's bot_data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from telegram.ext import ContextTypes

from bot.core import Inbound, Media, Reply
from bot.gateway.channels.telegram.outgoing import CallbackPayloads
from bot.handoff import DeskReply, MediaTarget
from bot.media import SpeechEngine
from bot.settings import Settings
from bot.store import Database

BOT_DATA_KEY = "familyhub"

# A parent's turn (bot.gateway.turn.Router.take): one message in, the reply to send back.
TakeTurn = Callable[[Inbound], Awaitable[Reply]]
# Erases everything about a parent (Router.erase).
Erase = Callable[[str], Awaitable[None]]


class ChatConversation(Protocol):
    """The conversation of one Telegram chat: its id (the Rasa sender id) and language."""

    @property
    def id(self) -> str: ...

    @property
    def language(self) -> str: ...


class Chats(Protocol):
    """The conversations of Telegram chats (bot.conversations.Conversations); touches the database."""

    def for_telegram_chat(self, chat_id: int, hint: str | None) -> ChatConversation: ...

    def language_of_telegram_chat(self, chat_id: int) -> str | None: ...

    def remember_telegram(
        self, conversation_id: str, chat_id: int, message_ids: list[int]
    ) -> None: ...


class Desk(Protocol):
    """The mentors' desk (bot.handoff.MentorDesk); every call touches the database."""

    def is_mentor(self, telegram_user_id: int) -> bool: ...

    def register(
        self, code: str, telegram_user_id: int, telegram_chat_id: int
    ) -> DeskReply | None: ...

    def set_available(self, telegram_user_id: int, available: bool) -> DeskReply: ...

    def waiting(self, telegram_user_id: int) -> DeskReply: ...

    def accept(self, telegram_user_id: int, handoff_id: int) -> DeskReply | None: ...

    def reply(
        self,
        telegram_user_id: int,
        text: str,
        reply_to_message_id: int | None,
        chat_id: int,
        media: Media | None = None,
    ) -> DeskReply | None: ...

    def media_target(
        self, telegram_user_id: int, reply_to_message_id: int | None, chat_id: int
    ) -> MediaTarget: ...

    def end(
        self,
        telegram_user_id: int,
        handoff_id: int | None,
        chat_id: int,
        reply_to_message_id: int | None = None,
    ) -> DeskReply: ...


@dataclass(frozen=True)
class TelegramDeps:
    """Everything the handlers use."""

    settings: Settings
    # Where update ids are recorded, so each update is handled once.
    db: Database
    take_turn: TakeTurn
    chats: Chats
    erase: Erase
    payloads: CallbackPayloads
    # None without mentors: the mentors' handlers are left out and every sender is a parent.
    desk: Desk | None = None
    # Read-aloud of the assistant's replies (a "Listen" button), where a voice exists.
    speech: SpeechEngine | None = None


def deps(context: ContextTypes.DEFAULT_TYPE) -> TelegramDeps:
    """The channel's dependencies, from the application's bot_data."""
    found = context.bot_data[BOT_DATA_KEY]
    assert isinstance(found, TelegramDeps)
    return found
