"""The first message decides the language, through the real stack (real Rasa model and NLG).

Reported: a brand-new web chat conversation whose first message was a two-word Somali greeting
was answered in English, and so was a one-word Turkish greeting. On Telegram, most Somali
parents' apps send the `en` language code, which must not outweigh what they write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.conversations.notice import telegram_notice
from bot.gateway.app import create_app
from bot.gateway.startup import Options, Services
from tests.fakes.telegram_api import FakeTelegram
from tests.integration import expected
from tests.integration.conftest import WebChat
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration

# Short first messages, one per language and length.
FIRST = [
    ("salaan walaal", "so"),
    ("asc", "so"),
    ("merhaba", "tr"),
    ("iyi akşamlar", "tr"),
    ("hello", "en"),
]


@pytest.mark.parametrize(("text", "language"), FIRST)
def test_a_new_web_conversation_answers_its_first_message_in_its_language(
    web: Callable[..., WebChat], text: str, language: str
) -> None:
    chat = web(None)  # a session created without a language: English by default
    before = datetime.now(UTC)
    reply = chat.say(text)
    assert reply["language"] == language
    assert reply["messages"], "silence"
    # Every text and button is the catalog's, in that language (never an English fallback).
    expected.check_language(reply["messages"], language, (before, datetime.now(UTC)))
    if language != "en":
        english = {expected.rendered("utter_greet", "en")["text"]}
        assert not english & {m["text"] for m in reply["messages"]}


@pytest.mark.parametrize(("text", "language"), [("salaan walaal", "so"), ("merhaba", "tr")])
async def test_telegram_answers_a_first_message_in_its_language_despite_an_en_code(
    stack: Stack, tmp_path: Path, text: str, language: str
) -> None:
    chat = 4242
    with FakeTelegram() as api:
        settings = stack.settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(api.token),
                "telegram_api_base_url": api.base_url,
                "database_url": f"sqlite:///{tmp_path / 'telegram.db'}",
            }
        )
        # A second gateway, with Telegram, in front of the stack's own Rasa and action server.
        app = create_app(settings, Options(retention=False))
        async with app.router.lifespan_context(app):
            services: Services = app.state.services
            before = datetime.now(UTC)
            api.push_text(chat, text, language_code="en")
            calls = await api.wait_for_call(
                "sendMessage", 2, where=lambda c: c.params["chat_id"] == chat, timeout=60
            )
            state = services.conversations.for_telegram_chat(chat, None)
            assert state.language == language
            texts = [c.params["text"] for c in calls]
            # The privacy notice (catalog texts joined) and Rasa's answer, in the parent's language.
            notice = telegram_notice(language, settings.retention_days)
            assert notice in texts, texts
            sent = [{"text": t, "buttons": []} for t in texts if t != notice]
            assert sent, texts
            expected.check_language(sent, language, (before, datetime.now(UTC)))
