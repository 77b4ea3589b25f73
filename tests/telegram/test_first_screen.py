"""On Telegram, once a language is chosen or detected: the notice, then the first screen's
greeting and buttons in that language (the real router and conversations, a stand-in Rasa)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversations import notice
from bot.conversations.welcome import menu
from bot.gateway.app import create_app
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.fakes.telegram_api import Call, FakeTelegram
from tests.gateway.fake_rasa import FakeRasa

CHAT = 91


def to_chat(call: Call) -> bool:
    return call.params.get("chat_id") == CHAT


def titles(call: Call) -> list[str]:
    return [row[0]["text"] for row in call.params["reply_markup"]["inline_keyboard"]]


@pytest.mark.parametrize(
    ("first", "language"),
    [
        ("/start so", "so"),  # chosen
        ("/start tr", "tr"),
        ("salaan walaal", "so"),  # detected, despite the app's "en"
        ("merhaba", "tr"),
        ("hello", "en"),
    ],
)
async def test_after_the_notice_the_first_screen_needs_no_typing(
    telegram_settings: Settings, fake_api: FakeTelegram, tmp_path: Path, first: str, language: str
) -> None:
    rasa = FakeRasa(tmp_path / "rasa_tracker.db")
    app = create_app(telegram_settings, Options(rasa_transport=rasa.transport(), retention=False))
    async with app.router.lifespan_context(app):
        fake_api.push_text(CHAT, first, language_code="en")
        shown = notice.telegram_notice(language, telegram_settings.retention_days)
        calls = await fake_api.wait_for_call(
            "sendMessage", where=lambda c: to_chat(c) and c.params["text"] == shown
        )
        [notice_call] = calls
        agree = notice_call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        fake_api.push_callback(CHAT, agree)
        expected = notice.consent_reply(language, True)
        [screen] = await fake_api.wait_for_call(
            "sendMessage", where=lambda c: to_chat(c) and c.params["text"] == expected.text
        )
        assert titles(screen) == [b.title for b in menu(language)]
        # A tap on a first-screen button goes to the assistant as its intent.
        tap = screen.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        fake_api.push_callback(CHAT, tap)
        answer = "echo: /find_groups"
        await fake_api.wait_for_call(
            "sendMessage", where=lambda c: to_chat(c) and c.params["text"] == answer
        )
        assert rasa.messages[-1]["message"] == "/find_groups"
        assert rasa.messages[-1]["metadata"]["language"] == language
