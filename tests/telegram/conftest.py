"""A running Telegram channel against the fake Bot API, with a fake router and conversations."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.core import Button, Inbound, Outbound, Reply
from bot.gateway.channels.telegram import (
    ChatConversation,
    build_application,
    start_telegram,
    stop_telegram,
)
from bot.settings import Settings
from bot.store.database import Database


class FakeRouter:
    """Records each Inbound and answers with one message naming it, plus optional buttons."""

    def __init__(self) -> None:
        self.inbound: list[Inbound] = []
        self.language = "en"
        self.buttons: list[Button] = []
        self.next_texts: list[str] = []

    async def __call__(self, inbound: Inbound) -> Reply:
        self.inbound.append(inbound)
        if inbound.payload and inbound.payload.startswith("/choose_language"):
            self.language = json.loads(inbound.payload[len("/choose_language") :])["language"]
        if self.next_texts:
            return Reply(self.language, [Outbound(text, self.buttons) for text in self.next_texts])
        said = inbound.text or inbound.payload or ""
        return Reply(
            self.language, [Outbound(f"[{self.language}] {inbound.kind}: {said}", self.buttons)]
        )


@dataclass
class FakeConversations:
    """Conversations by chat id, as the gateway's conversations module keeps them."""

    by_chat: dict[int, ChatConversation] = field(default_factory=dict)
    erased: list[str] = field(default_factory=list)

    def find(self, chat_id: int, hint: str | None) -> ChatConversation:
        if chat_id not in self.by_chat:
            language = hint if hint in ("en", "so", "tr") else "en"
            self.by_chat[chat_id] = ChatConversation(
                f"conv{len(self.by_chat) + len(self.erased)}", language
            )
        return self.by_chat[chat_id]

    def erase(self, conversation_id: str) -> None:
        self.erased.append(conversation_id)
        self.by_chat = {k: v for k, v in self.by_chat.items() if v.id != conversation_id}


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
def make_app(db: Database, router: FakeRouter, conversations: FakeConversations) -> Any:
    def make(settings: Settings, **kwargs: Any) -> Application:
        return build_application(
            settings,
            router,
            db=db,
            find_conversation=conversations.find,
            erase_conversation=conversations.erase,
            **kwargs,
        )

    return make


@pytest.fixture
async def app(make_app: Any, telegram_settings: Settings) -> AsyncIterator[Application]:
    application = make_app(telegram_settings)
    await start_telegram(application, poll_timeout=1)
    yield application
    await stop_telegram(application)
