"""The crisis reply: every number in every language, even when the directory cannot be read."""

from __future__ import annotations

import pytest

from bot.core import Outbound
from bot.i18n import translate
from bot.i18n.crisis import FALLBACK, TEAM, crisis_messages

GENERAL_NUMBERS = ("999", "111", "116 123", "SHOUT", "85258")
KINDS = (None, "suicide_self_harm", "harm_to_baby", "domestic_abuse", "medical_emergency")


def text_of(messages: list[Outbound]) -> str:
    return "\n".join(m.text for m in messages)


@pytest.mark.parametrize("language", ["en", "so", "tr"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_number_with_a_broken_directory(
    broken_directory: object, language: str, kind: str | None
) -> None:
    text = text_of(crisis_messages(language, kind))
    for number in GENERAL_NUMBERS:
        assert number in text
    assert ("0808 2000 247" in text) == (kind == "domestic_abuse")
    assert translate(language, TEAM) in text


@pytest.mark.parametrize("language", ["en", "so", "tr"])
def test_directory_lines_and_fallbacks_together(directory: object, language: str) -> None:
    text = text_of(crisis_messages(language, "suicide_self_harm"))
    for number in GENERAL_NUMBERS:
        assert number in text
    assert "020 7946 0999" in text
    assert text.count("116 123") == 1


def test_reply_is_in_the_parents_language(broken_directory: object) -> None:
    english = text_of(crisis_messages("en", None))
    somali = text_of(crisis_messages("so", None))
    turkish = text_of(crisis_messages("tr", None))
    assert len({english, somali, turkish}) == 3
    assert "mental health" in english
    assert "caafimaadka maskaxda" in somali
    assert "ruh sağlığı" in turkish


def test_emergency_comes_first(directory: object) -> None:
    lines = crisis_messages("en", "domestic_abuse")[0].text.splitlines()
    assert "999" in lines[1]


def test_a_line_only_the_directory_knows_uses_its_localised_name(directory: object) -> None:
    text = text_of(crisis_messages("tr", None))
    assert "Local Crisis Line" not in text and "Yerel Kriz Hattı" in text


def test_broken_directory_is_logged_and_built_in_numbers_used(
    broken_directory: object, caplog: pytest.LogCaptureFixture
) -> None:
    text = text_of(crisis_messages("so", "harm_to_baby"))
    assert "directory cannot be read" in caplog.text
    assert all(line.number in text for role, line in FALLBACK.items() if role != "domestic_abuse")


def test_unknown_kind_gives_the_general_reply(broken_directory: object) -> None:
    text = text_of(crisis_messages("en", "something_else"))
    for number in GENERAL_NUMBERS:
        assert number in text


def test_crisis_messages_are_marked_urgent(broken_directory: object) -> None:
    assert all(m.urgent for m in crisis_messages("en", None))
