"""Actions that ask the gateway to act: hand over to a person, erase the parent's data, switch language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import entities, latest_intent
from bot.core import LANGUAGES, Directive

# Intents that say what a parent wanted when they accept a person ("yes" alone says nothing).
_TOPICS = {
    "talk_to_human": "talk_to_human",
    "find_mentor": "find_mentor",
    "mental_health": "mental_health",
    "crisis": "crisis",
    "infant_feeding": "infant_feeding",
    "find_groups": "find_groups",
    "nlu_fallback": "fallback",
}


def handoff_topic(tracker: Tracker) -> str:
    """The topic of the request: the latest user intent that names one, newest first."""
    if latest_intent(tracker) == "talk_to_human":
        return "talk_to_human"
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name in _TOPICS:
            return _TOPICS[name]
    return "talk_to_human"


class ActionHandoff(Action):
    """The parent asked for, or accepted, a person: the gateway queues the request and replies."""

    def name(self) -> str:
        return "action_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            json_message={
                "directive": Directive.HANDOFF,
                "topic": handoff_topic(tracker),
                "urgent": False,
            }
        )
        return []


class ActionCrisisHandoff(Action):
    """After the crisis reply: an urgent request for a person."""

    def name(self) -> str:
        return "action_crisis_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            json_message={"directive": Directive.HANDOFF, "topic": "crisis", "urgent": True}
        )
        return []


class ActionErase(Action):
    """The parent confirmed delete_my_data: the gateway erases everything and tells them."""

    def name(self) -> str:
        return "action_erase"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(json_message={"directive": Directive.ERASE})
        return []


class ActionChooseLanguage(Action):
    """Switch to the language the parent named and confirm in it; ask which when none was named."""

    def name(self) -> str:
        return "action_choose_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        chosen = entities(tracker).get("language", "").lower()
        if chosen not in LANGUAGES:
            dispatcher.utter_message(response="utter_ask_language")
            return []
        dispatcher.utter_message(json_message={"directive": Directive.LANGUAGE, "language": chosen})
        # The NLG renders before this action's SlotSet applies, so the new language goes along.
        dispatcher.utter_message(response="utter_language_changed", language=chosen)
        return [SlotSet("language", chosen)]
