"""The first screen after the privacy notice: a short greeting and the main things, as buttons."""

from __future__ import annotations

import pytest

from bot.conversations import notice
from bot.conversations.welcome import MENU, menu, welcome
from bot.core import LANGUAGES
from bot.gateway.payloads import known_intents
from bot.gateway.strings import page_strings
from bot.i18n import translate
from bot.translation.plainness import sentences

PAYLOADS = [
    "/find_groups",
    "/find_mentor",
    "/mental_health",
    "/infant_feeding",
    "/find_hub",
    "/talk_to_human",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_first_screen_greets_in_one_or_two_short_sentences_with_six_buttons(
    language: str,
) -> None:
    for message in [welcome(language), *(notice.consent_reply(language, c) for c in (True, False))]:
        assert 1 <= len(sentences(message.text)) <= 2, message.text
        # Groups, a maternity mentor, feeling low, feeding, the nearest Family Hub, a person.
        assert [b.payload for b in message.buttons] == PAYLOADS
        assert [b.title for b in message.buttons] == [translate(language, t) for t, _ in MENU]
    if language != "en":
        assert welcome(language).text != welcome("en").text
        assert not {b.title for b in menu(language)} & {b.title for b in menu("en")}


def test_every_button_is_an_intent_the_assistant_knows() -> None:
    assert {payload.lstrip("/") for payload in PAYLOADS} <= known_intents()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_web_page_gets_the_first_screen_with_its_strings(language: str) -> None:
    found = page_strings(language, 30, 2000)
    shown = welcome(language)
    assert found["welcome"] == {
        "text": shown.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in shown.buttons],
    }
