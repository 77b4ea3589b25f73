"""A running Telegram channel against the fake Bot API, with a fake turn and conversations."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.core import Button, Inbound, Outbound, Reply
from bot.gateway.channels.telegram import TelegramChannel, TelegramDeps
from bot.gateway.channels.telegram.dependencies import Desk
from bot.gateway.channels.telegram.outgoing import CallbackPayloads
from bot.handoff import DeskReply, NotAMentor
from bot.settings import Settings
from bot.store.database import Database


class FakeRouter:
    """A stand-in for a parent's turn: records each Inbound and answers with one message naming
    it, plus optional buttons; `answer` replaces the answer altogether."""

    def __init__(self) -> None:
        self.inbound: list[Inbound] = []
        self.language = "en"
        self.buttons: list[Button] = []
        self.next_texts: list[str] = []
        self.answer: Callable[[Inbound], Awaitable[Reply]] | None = None

    async def __call__(self, inbound: Inbound) -> Reply:
        if self.answer is not None:
            return await self.answer(inbound)
        self.inbound.append(inbound)
        if inbound.payload and inbound.payload.startswith("/choose_language"):
            self.language = json.loads(inbound.payload[len("/choose_language") :])["language"]
        if self.next_texts:
            return Reply(self.language, [Outbound(text, self.buttons) for text in self.next_texts])
        said = inbound.text or inbound.payload or ""
        return Reply(
            self.language, [Outbound(f"[{self.language}] {inbound.kind}: {said}", self.buttons)]
        )


@dataclass(frozen=True)
class ChatConversation:
    id: str
    language: str


@dataclass
class FakeConversations:
    """Conversations by chat id, as bot.conversations keeps them, and their erasure."""

    by_chat: dict[int, ChatConversation] = field(default_factory=dict)
    erased: list[str] = field(default_factory=list)
    # Message ids noted in each conversation's chat, for erasure.
    remembered: dict[str, list[int]] = field(default_factory=dict)

    def for_telegram_chat(self, chat_id: int, hint: str | None) -> ChatConversation:
        if chat_id not in self.by_chat:
            language = hint if hint in ("en", "so", "tr") else "en"
            self.by_chat[chat_id] = ChatConversation(
                f"conv{len(self.by_chat) + len(self.erased)}", language
            )
        return self.by_chat[chat_id]

    def language_of_telegram_chat(self, chat_id: int) -> str | None:
        found = self.by_chat.get(chat_id)
        return found.language if found is not None else None

    def remember_telegram(self, conversation_id: str, chat_id: int, message_ids: list[int]) -> None:
        self.remembered.setdefault(conversation_id, []).extend(message_ids)

    async def erase(self, conversation_id: str) -> None:
        self.erased.append(conversation_id)
        self.by_chat = {k: v for k, v in self.by_chat.items() if v.id != conversation_id}


class OnlyMentor:
    """A mentors' desk that knows one mentor and refuses everything else they might do."""

    def __init__(self, mentor: int) -> None:
        self.mentor = mentor

    def is_mentor(self, telegram_user_id: int) -> bool:
        return telegram_user_id == self.mentor

    def register(self, *_: Any, **__: Any) -> None:
        return None

    def _refuse(self, *_: Any, **__: Any) -> DeskReply:
        raise NotAMentor

    set_available = accept = reply = end = _refuse


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'telegram.db'}")
    database.migrate()
    return database


@pytest.fixture
def router() -> FakeRouter:
    return FakeRouter()


@pytest.fixture
def conversations() -> FakeConversations:
    return FakeConversations()


@pytest.fixture
def make_channel(db: Database, router: FakeRouter, conversations: FakeConversations) -> Any:
    """A TelegramChannel on the fake turn and conversations; `desk` adds the mentors' handlers."""

    def make(settings: Settings, desk: Desk | None = None) -> TelegramChannel:
        deps = TelegramDeps(
            settings=settings,
            db=db,
            take_turn=router,
            chats=conversations,
            erase=conversations.erase,
            payloads=CallbackPayloads(settings.hashing_key()),
            desk=desk,
        )
        return TelegramChannel(deps)

    return make


@pytest.fixture
async def channel(make_channel: Any, telegram_settings: Settings) -> AsyncIterator[TelegramChannel]:
    started = make_channel(telegram_settings)
    await started.start(poll_timeout=1)
    yield started
    await started.stop()
