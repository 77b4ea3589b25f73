"""The gentle check on the NLU's crisis intent: whom to ask about, or whether to ask at all."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.core import SAFETY_METADATA, SafetyCheck


def safety_check(tracker: Tracker) -> str:
    """The gateway's verdict for the latest message; "self" (ask the parent) when it sent none."""
    metadata = tracker.latest_message.get("metadata") or {}
    verdict = metadata.get(SAFETY_METADATA) if isinstance(metadata, dict) else None
    check = verdict.get("check") if isinstance(verdict, dict) else None
    return check if check in tuple(SafetyCheck) else SafetyCheck.SELF.value


class ActionSafetyCheck(Action):
    """Sets safety_check; the rules then ask gently (self, other) or ask to rephrase (none)."""

    def name(self) -> str:
        return "action_safety_check"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SlotSet("safety_check", safety_check(tracker))]
