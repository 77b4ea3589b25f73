"""What a parent's turn and the NLG count for the reports (bot.analytics).

A turn counts a new conversation, a crisis by kind, and what the parent asked about: a
button's intent at once; the intent Rasa read in words is looked up in Rasa's tracker later,
off the parent's path (`resolve`, run by the gateway's counting task before each write).
Responses the NLG renders while Rasa answers a turn (service cards, no service in the
parent's language, not understood, gentle checks and their answers) wait for that turn,
which knows the channel. Nothing here is kept beyond a few seconds, nor ever written, but
the counts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.analytics import OTHER_LANGUAGE, SAME_LANGUAGE, Count, Event, Tally
from bot.conversations import TrackerStore, TurnRecord
from bot.core import CRISIS_INTENT
from bot.directory.live import get_directory
from bot.gateway.payloads import Payload
from bot.safety import Assessment, Level

log = logging.getLogger(__name__)

# How many conversations may wait at once for their turn's counts (a bound, never reached
# in use: each is taken when its turn ends).
MOST_WAITING = 10_000

Rendered = tuple[Event, str, str, str]  # event, detail, flag, language
# The crisis reply given for "No, not safe" (the button): a crisis of no known kind.
NOT_SAFE_ANSWER = "not_safe_answer"
Reading = Callable[[str, dict[str, Any]], tuple[Event, str, str] | None]


def _service(language: str, arguments: dict[str, Any]) -> tuple[Event, str, str] | None:
    service_id = arguments.get("service_id") or arguments.get("hub_id")
    if not service_id:
        return None
    try:
        service = get_directory().get(str(service_id))
    except Exception:  # noqa: BLE001 (counting must never break a reply)
        service = None
    same = service is not None and language in service.languages
    return Event.SERVICE_SHOWN, str(service_id), SAME_LANGUAGE if same else OTHER_LANGUAGE


def _fixed(event: Event, detail: str = "") -> Reading:
    return lambda _language, _arguments: (event, detail, "")


# The responses that are counted, and what each counts.
READINGS: dict[str, Reading] = {
    "utter_service_card": _service,
    "utter_hub_card": _service,
    "utter_no_match_in_language": lambda _language, arguments: (
        Event.NO_SERVICE_IN_LANGUAGE,
        str(arguments.get("service_type") or ""),
        "",
    ),
    "utter_rephrase": _fixed(Event.FALLBACK, "first"),
    "utter_fallback_offer_person": _fixed(Event.FALLBACK, "again"),
    "utter_ask_safe": _fixed(Event.GENTLE_CHECK, "self"),
    "utter_ask_safe_other": _fixed(Event.GENTLE_CHECK, "other"),
    # The answers: only "are you safe?" leads to the offer of a person or the crisis reply
    # from Rasa (bot/data/rules/mental_health.yml); the gateway's own crisis reply is not here.
    "utter_offer_person": _fixed(Event.CHECK_ANSWER, "safe"),
    "utter_crisis": _fixed(Event.CHECK_ANSWER, "not_safe"),
    "utter_crisis_other": _fixed(Event.CHECK_ANSWER, "not_safe"),
}


class Counting:
    """Counts of turns and rendered responses, into the tally (nothing without one)."""

    def __init__(self, tally: Tally | None, tracker: TrackerStore | None) -> None:
        self.tally = tally
        self.tracker = tracker
        self._asked: dict[str, float] = {}
        self._rendered: dict[str, list[Rendered]] = {}
        self._intents: list[tuple[str, float, date, str, str]] = []
        self._lock = threading.Lock()

    def asked(self, conversation_id: str) -> None:
        """Rasa has just answered this conversation's words: its intent is in the tracker."""
        if self.tally is not None:
            self._keep(self._asked, conversation_id, time.time())

    def rendered(
        self, name: str, language: str, arguments: dict[str, Any], sender: str | None
    ) -> None:
        """The NLG rendered a response for `sender` (the conversation): kept for its turn."""
        reading = READINGS.get(name)
        if self.tally is None or reading is None or not sender:
            return
        found = reading(language, arguments)
        if found is not None:
            waiting = self._rendered.get(sender) or self._keep(self._rendered, sender, [])
            waiting.append((*found, language))

    def turn(
        self, channel: str, record: TurnRecord, verdict: Assessment, parsed: Payload | None
    ) -> None:
        """Count what one turn did (called as the turn ends, before it is written): `verdict`
        is the safety net's, `parsed` the button or command the parent sent, if any."""
        cid = record.conversation_id
        asked = self._asked.pop(cid, None)
        rendered = self._rendered.pop(cid, [])
        tally = self.tally
        if tally is None:
            return
        language = record.language
        if record.notice_shown:
            tally.add(Count(Event.CONVERSATION, channel, language))
        button = parsed.intent if parsed is not None else None
        if verdict.crisis and button == CRISIS_INTENT:
            # "No, not safe": an answer to the gentle check, and a crisis reply.
            tally.add(Count(Event.CHECK_ANSWER, channel, language, "not_safe"))
            tally.add(Count(Event.CRISIS, channel, language, NOT_SAFE_ANSWER))
        elif verdict.crisis:
            tally.add(Count(Event.CRISIS, channel, language, verdict.kind or ""))
        if verdict.level is Level.CHECK and not any(
            event is Event.GENTLE_CHECK for event, *_rest in rendered
        ):
            # Asked by the gateway itself (Rasa down, or a mentor holds the conversation).
            tally.add(Count(Event.GENTLE_CHECK, channel, language, verdict.subject))
        # The crisis intent the gateway set for its own crisis reply or check is no need.
        mine = verdict.level is not Level.CLEAR and record.intent == CRISIS_INTENT
        if record.intent and not mine:
            tally.add(Count(Event.INTENT, channel, language, record.intent))
        elif asked is not None and self.tracker is not None and not mine:
            with self._lock:
                self._intents.append((cid, time.time(), tally.day(), channel, language))
        for event, detail, flag, rendered_in in rendered:
            tally.add(Count(event, channel, rendered_in, detail, flag))

    def resolve(self) -> int:
        """Look up the intents of the turns Rasa answered (in a worker thread); how many."""
        with self._lock:
            waiting, self._intents = self._intents, []
        if self.tally is None or self.tracker is None:
            return 0
        for cid, until, day, channel, language in waiting:
            try:
                intent = self.tracker.latest_intent(cid, until)
            except Exception as error:  # noqa: BLE001 (a count lost, never a turn)
                log.warning("intent look-up failed: %s", type(error).__name__)
                continue
            if intent:
                self.tally.add(Count(Event.INTENT, channel, language, intent), on=day)
        return len(waiting)

    def _keep(self, waiting: dict[str, Any], key: str, value: Any) -> Any:
        if len(waiting) >= MOST_WAITING:
            waiting.pop(next(iter(waiting)))
        waiting[key] = value
        return value
