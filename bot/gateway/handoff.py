"""The human handoff as a parent's turn sees it: what the turn asks of it (bot.handoff's
HandoffService in the running gateway, a stand-in in tests), and the stand-in without mentors."""

from __future__ import annotations

from typing import Any, Protocol

from bot.core import Media, Outbound


class Handoff(Protocol):
    """What a turn asks of the human handoff: bot.handoff.HandoffService, or a stand-in."""

    payload_intents: frozenset[str]

    def is_handed_off(self, conversation_id: str) -> bool: ...

    def request(
        self,
        conversation_id: str,
        topic: str | None,
        *,
        urgent: bool = False,
        crisis_kind: str | None = None,
        about_other: bool = False,
    ) -> list[Outbound]: ...

    def relay_to_mentor(
        self,
        conversation_id: str,
        text: str,
        *,
        urgent: bool = False,
        media: Media | None = None,
    ) -> list[Outbound]: ...

    def handle_payload(
        self, conversation_id: str, intent: str, entities: dict[str, str]
    ) -> list[Outbound]: ...

    def forget(self, conversation_id: str) -> None: ...


class NoHandoff:
    """No mentors: a request for a person is answered with other ways to get help."""

    payload_intents: frozenset[str] = frozenset()

    def is_handed_off(self, conversation_id: str) -> bool:
        return False

    def request(self, conversation_id: str, topic: str | None, **_: Any) -> list[Outbound]:
        return []

    def relay_to_mentor(self, conversation_id: str, text: str, **_: Any) -> list[Outbound]:
        return []

    def handle_payload(self, conversation_id: str, intent: str, entities: Any) -> list[Outbound]:
        return []

    def forget(self, conversation_id: str) -> None:
        return None
