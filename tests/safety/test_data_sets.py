"""The screen against the crisis and everyday look-alike sets of each language."""

from __future__ import annotations

import pytest

from bot.safety import CRISIS_KINDS, screen
from tests.safety.conftest import crisis_messages, everyday_messages

LANGUAGES = ["en", "so", "tr"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sets_are_big_enough_and_cover_every_kind(language: str) -> None:
    crisis = crisis_messages(language)
    assert len(crisis) >= 40 and len(everyday_messages(language)) >= 40
    assert {kind for kind, _ in crisis} == set(CRISIS_KINDS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_crisis_message_is_caught_with_its_kind(language: str) -> None:
    missed = []
    for kind, text in crisis_messages(language):
        match = screen(text)
        if match is None or match.kind != kind:
            missed.append((kind, text, match))
    print(f"{language}: {len(crisis_messages(language)) - len(missed)} caught")
    assert not missed


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_everyday_look_alike_triggers(language: str) -> None:
    triggered = [(text, screen(text)) for text in everyday_messages(language) if screen(text)]
    assert not triggered


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_detected_language_does_not_matter(language: str) -> None:
    for kind, text in crisis_messages(language):
        for claimed in (None, "en", "so", "tr"):
            match = screen(text, claimed)
            assert match is not None and match.kind == kind
