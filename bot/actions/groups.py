"""find_groups: ask what kind when unclear, else list groups with their next session."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import cards, context
from bot.actions.context import entities, page, parent_language

ANY = "any"


class ActionFindGroups(Action):
    """Groups matching the kind, day and language the parent named; nearest ones when none match."""

    def name(self) -> str:
        return "action_find_groups"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Filters come from this message only: slots keep last time's kind, which a new question drops.
        found = entities(tracker)
        filters = {key: found.get(key, "") for key in ("group_type", "day", "language")}
        number = page(found)
        if not any(filters.values()):
            dispatcher.utter_message(response="utter_ask_group_type")
            return [SlotSet("page", None)]
        language = parent_language(tracker)
        results = _search(filters, language, number)
        if results is None:
            dispatcher.utter_message(response="utter_no_services")
            return [SlotSet("page", None)]
        if not results:
            # Nearest alternatives: drop the day, then everything but "a group".
            filters = {**filters, "day": ""}
            results = _search(filters, language, number) or []
            if not results:
                filters = {"group_type": ANY, "day": "", "language": ""}
                results = _search(filters, language, number) or []
            if not results:
                dispatcher.utter_message(response="utter_no_services")
                return [SlotSet("page", None)]
            dispatcher.utter_message(response="utter_no_groups_found")
        elif number == 1:
            dispatcher.utter_message(response="utter_groups_found")
        more = ("find_groups", filters)
        if not cards.show(dispatcher, results, language=language, page=number, more=more):
            # A "more" button from an older list, past the end of today's.
            dispatcher.utter_message(response="utter_no_services")
        return [SlotSet("page", None)]


def _search(filters: dict[str, str], language: str, number: int) -> list[cards.SearchResult] | None:
    group_type = filters.get("group_type")
    tags = [group_type] if group_type and group_type != ANY else None
    return cards.search(
        category="group",
        tags=tags,
        day=filters.get("day") or None,
        language=filters.get("language") or None,
        parent_language=language,
        now=context.now(),
        limit=cards.limit_for(number),
    )
