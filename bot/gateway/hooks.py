"""The router's extension points: human handoff, safety screen, crisis reply, language detection."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from bot.core import LANGUAGES, Outbound
from bot.i18n.crisis import crisis_messages as build_crisis_messages
from bot.language import detect as detect_language
from bot.language import explicit_choice as language_choice
from bot.safety import screen as safety_screen

log = logging.getLogger(__name__)


class HandoffHook(Protocol):
    """What the router asks of the human handoff (bot/handoff); NoHandoff until it is wired in."""

    payload_intents: frozenset[str]

    def is_handed_off(self, conversation_id: str) -> bool: ...

    def request(
        self, conversation_id: str, topic: str | None, *, urgent: bool = False
    ) -> list[Outbound]: ...

    def relay_to_mentor(
        self, conversation_id: str, text: str, *, urgent: bool = False
    ) -> list[Outbound]: ...

    def handle_payload(
        self, conversation_id: str, intent: str, entities: dict[str, str]
    ) -> list[Outbound]: ...

    def forget(self, conversation_id: str) -> None: ...


class NoHandoff:
    """No mentors wired in: the router answers a request for a person with other ways to get help."""

    payload_intents: frozenset[str] = frozenset()

    def is_handed_off(self, conversation_id: str) -> bool:
        return False

    def request(
        self, conversation_id: str, topic: str | None, *, urgent: bool = False
    ) -> list[Outbound]:
        return []

    def relay_to_mentor(
        self, conversation_id: str, text: str, *, urgent: bool = False
    ) -> list[Outbound]:
        return []

    def handle_payload(
        self, conversation_id: str, intent: str, entities: dict[str, str]
    ) -> list[Outbound]:
        return []

    def forget(self, conversation_id: str) -> None:
        return None


@dataclass(frozen=True)
class Crisis:
    kind: str
    language: str | None = None


def screen(text: str, language: str | None) -> Crisis | None:
    """bot.safety.screen. Imported with the gateway, so a broken phrase list stops the start."""
    match = safety_screen(text, language)
    if match is None:
        return None
    return Crisis(match.kind, match.language if match.language in LANGUAGES else None)


def crisis_messages(language: str, kind: str | None) -> list[Outbound]:
    """The crisis reply (bot.i18n.crisis never fails: it has built-in numbers)."""
    return build_crisis_messages(language, kind)


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confidence: float
    decisive: bool


def detect(text: str, current: str | None, hint: str | None) -> LanguageGuess:
    """bot.language.detect, as the router uses it."""
    found = detect_language(text, current=current, hint=hint)
    return LanguageGuess(found.language, float(found.confidence), bool(found.decisive))


def explicit_choice(text: str) -> str | None:
    """bot.language.explicit_choice ("Soomaali", "/language tr" …), or None."""
    return language_choice(text)
