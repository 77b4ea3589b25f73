"""The first message decides the language, through the gateway: the web chat API and Telegram."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.startup import Options, Services
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram
from tests.gateway.conftest import Chat, services
from tests.gateway.fake_rasa import FakeRasa


@pytest.mark.parametrize(
    ("text", "language"),
    [("salaan walaal", "so"), ("merhaba", "tr"), ("hello", "en"), ("asc", "so"), ("selam", "tr")],
)
def test_a_new_session_answers_a_short_first_message_in_its_language(
    client: TestClient, rasa: FakeRasa, text: str, language: str
) -> None:
    chat = Chat(client, language=None)  # no language chosen: English by default
    reply = chat.say(text)
    assert reply["language"] == language
    assert rasa.messages[-1]["metadata"]["language"] == language
    state = services(client).conversations.get(chat.id)
    assert state is not None and state.language == language and not state.language_settled


def test_the_language_sticks_only_after_something_decisive(
    client: TestClient, rasa: FakeRasa
) -> None:
    chat = Chat(client, language=None)
    assert chat.say("salaan walaal")["language"] == "so"
    assert chat.say("ok")["language"] == "so"  # nothing to go on: kept
    assert chat.say("merhaba")["language"] == "tr"  # not settled yet: each message decides
    reply = chat.say("bebeğim için Türkçe konuşan bir grup var mı")
    assert reply["language"] == "tr"
    state = services(client).conversations.get(chat.id)
    assert state is not None and state.language_settled
    assert chat.say("hello")["language"] == "tr"  # settled: a short message no longer moves it


def test_a_language_chosen_on_the_first_screen_is_settled(client: TestClient) -> None:
    chat = Chat(client, language="so")
    state = services(client).conversations.get(chat.id)
    assert state is not None and state.language_locked and state.language_settled
    assert chat.say("hello")["language"] == "so"


CHAT = 77


@pytest.mark.parametrize(
    ("code", "text", "language"),
    [
        # Somali is not a Telegram app language: a Somali parent's app usually sends "en".
        ("en", "salaan walaal", "so"),
        ("en", "merhaba", "tr"),
        ("en", "hello", "en"),
        ("tr", "salaan walaal", "so"),
        ("tr", "hello", "en"),
    ],
)
async def test_telegrams_language_code_does_not_outweigh_what_the_parent_writes(
    telegram_settings: Settings,
    fake_api: FakeTelegram,
    tmp_path: Path,
    code: str,
    text: str,
    language: str,
) -> None:
    rasa = FakeRasa(tmp_path / "rasa_tracker.db")
    app = create_app(telegram_settings, Options(rasa_transport=rasa.transport(), retention=False))
    async with app.router.lifespan_context(app):
        found: Services = app.state.services
        fake_api.push_text(CHAT, text, language_code=code)
        await fake_api.wait_for_call("sendMessage", 2, where=lambda c: c.params["chat_id"] == CHAT)
        state = found.conversations.for_telegram_chat(CHAT, None)
        assert state.language == language
        assert rasa.messages[-1]["metadata"]["language"] == language


async def test_on_telegram_a_message_with_nothing_to_go_on_keeps_the_app_language(
    telegram_settings: Settings, fake_api: FakeTelegram, tmp_path: Path
) -> None:
    rasa = FakeRasa(tmp_path / "rasa_tracker.db")
    app = create_app(telegram_settings, Options(rasa_transport=rasa.transport(), retention=False))
    async with app.router.lifespan_context(app):
        found: Services = app.state.services
        fake_api.push_text(CHAT, "👍", language_code="tr")
        await fake_api.wait_for_call("sendMessage", 2, where=lambda c: c.params["chat_id"] == CHAT)
        assert found.conversations.for_telegram_chat(CHAT, None).language == "tr"
