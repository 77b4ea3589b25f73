"""Signposting to mentors, mental health support, feeding support and Family Hubs, from the directory."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import cards, context
from bot.actions.context import entities, page, parent_language

# Mental health support in the order a parent is best pointed to it, by the service's main
# (first) access route: the health visitor (who refers to the Parent Baby Psychology Service),
# then what a parent can reach alone (Talking Therapies, PANDAS), then GP or midwife referrals.
_ROUTE_RANK = {"health_visitor_referral": 0, "self_referral": 1, "drop_in": 1}


class _CategoryAction:
    """Cards for every active service of one directory category, parent's language first.

    A mixin, not an Action: rasa-sdk registers every Action subclass, and this one has no name.
    """

    action_name = ""
    category = ""
    intent = ""
    card = "utter_service_card"
    language_notice = True
    # False when arrange() reorders every result, so the search cannot stop early.
    limited = True

    def name(self) -> str:
        return self.action_name

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = parent_language(tracker)
        number = page(entities(tracker))
        results = cards.search(
            category=self.category,
            parent_language=language,
            now=context.now(),
            limit=cards.limit_for(number) if self.limited else None,
        )
        if not results:
            dispatcher.utter_message(response="utter_no_services")
            return [SlotSet("page", None)]
        shown = cards.show(
            dispatcher,
            self.arrange(results),
            language=language,
            page=number,
            more=(self.intent, {}) if self.intent else None,
            response=self.card,
            language_notice=self.language_notice,
        )
        if not shown:
            dispatcher.utter_message(response="utter_no_services")
        return [SlotSet("page", None)]

    def arrange(self, results: list[cards.SearchResult]) -> list[cards.SearchResult]:
        """The results in the order to show them."""
        return results


class ActionFindMentor(_CategoryAction, Action):
    """Same-language maternity mentors (the intro and the offer of a person are rule steps)."""

    action_name = "action_find_mentor"
    category = "maternity_mentor"
    intent = "find_mentor"


class ActionMentalHealthServices(_CategoryAction, Action):
    """Health visitor and Parent Baby Psychology Service, Talking Therapies, PANDAS: three cards, no more."""

    action_name = "action_mental_health_services"
    category = "mental_health"
    intent = ""
    limited = False

    def arrange(self, results: list[cards.SearchResult]) -> list[cards.SearchResult]:
        # sorted() is stable, so the search's own order (language, soonest) holds within each group.
        ordered = sorted(
            results,
            key=lambda r: _ROUTE_RANK.get(r.service.access[0], 2) if r.service.access else 2,
        )
        return ordered[: cards.PAGE_SIZE]


class ActionInfantFeeding(_CategoryAction, Action):
    """Feeding support: the infant feeding team, breastfeeding cafés and the like."""

    action_name = "action_infant_feeding"
    category = "infant_feeding"
    intent = "infant_feeding"


class ActionFindHub(_CategoryAction, Action):
    """Family Hubs with their address and whether they are open today (hub cards)."""

    action_name = "action_find_hub"
    category = "family_hub"
    intent = "find_hub"
    card = "utter_hub_card"
    # A hub is a place every family can use, whatever language its staff speak.
    language_notice = False
