"""The safety step of a parent's turn: assess every message, answer a crisis, ask gently.

- A crisis (a listed phrase, or the learned detector sure of it) is answered here and never
  waits for Rasa: the crisis reply, then an urgent request for a person. Mentors are alerted
  once per request (bot/handoff/alerts.py), however many messages the crisis takes.
- The gentle check ("are you safe right now?") is asked by Rasa, so that the answer follows its
  rules: the turn sends Rasa the crisis intent with the verdict in the message's metadata
  (`rasa_metadata`). When Rasa is down, it is asked here (`gentle_check`).
- "No, I am not safe" (the button) is a crisis, answered here too (`not_safe`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from bot.conversations import TurnRecord
from bot.core import CRISIS_INTENT, LANGUAGES, SAFETY_METADATA, Media, Outbound, SafetyCheck
from bot.gateway.handoff import Handoff, NoHandoff
from bot.gateway.payloads import Payload
from bot.gateway.rasa import read_answers
from bot.i18n.crisis import crisis_messages
from bot.i18n.render import render_messages
from bot.safety import CLEAR, Assessment, Level, SafetyNet

log = logging.getLogger(__name__)

# Above this many characters the safety net runs in a worker thread, off the event loop: its
# time grows with the length of a message (bench/detect.py), and a long one must not stall
# every other parent's turn.
LONG_MESSAGE_CHARS = 2_000
CRISIS_PAYLOAD = f"/{CRISIS_INTENT}"


class Safety:
    """The safety net and the human handoff, as a parent's turn uses them."""

    def __init__(self, net: SafetyNet, handoff: Handoff) -> None:
        self.net = net
        self.handoff = handoff

    async def assess(self, words: str) -> Assessment:
        """The safety net's verdict on every word the parent sent."""
        if not words:
            return CLEAR
        if len(words) > LONG_MESSAGE_CHARS:
            return await asyncio.to_thread(self.net.assess, words)
        return self.net.assess(words)

    async def answer(
        self,
        record: TurnRecord,
        found: Assessment,
        words: str,
        was: str,
        media: Media | None = None,
    ) -> None:
        """The crisis reply at once, then an urgent request for a person; never waits for Rasa.

        In a conversation with a mentor, the message (with its voice note, photo or file, whose
        caption this was) goes to the mentor marked urgent.
        """
        cid = record.conversation_id
        # The matched phrase list tells the language best, unless the parent chose one.
        if not record.language_locked and record.language == was and found.language in LANGUAGES:
            record.language = found.language
        record.intent = CRISIS_INTENT
        record.outbound += crisis_messages(record.language, found.kind, found.subject)
        log.warning("crisis (%s, by %s)", found.kind, "the lists" if found.phrase else "the model")
        try:
            # (No thread hop when there are no mentors.)
            mentors = not isinstance(self.handoff, NoHandoff)
            if mentors and await asyncio.to_thread(self.handoff.is_handed_off, cid):
                record.outbound += await asyncio.to_thread(
                    functools.partial(
                        self.handoff.relay_to_mentor, cid, words, urgent=True, media=media
                    )
                )
            else:
                record.outbound += await asyncio.to_thread(
                    self.handoff.request,
                    cid,
                    CRISIS_INTENT,
                    urgent=True,
                    crisis_kind=found.kind,
                    about_other=found.subject == SafetyCheck.OTHER,
                )
        except Exception as error:
            log.error("urgent handoff failed: %s", type(error).__name__)


def not_safe(parsed: Payload | None) -> Assessment | None:
    """The "No, not safe" button (`/crisis`, about someone else with `{"subject": "other"}`)."""
    if parsed is None or parsed.intent != CRISIS_INTENT:
        return None
    subject = SafetyCheck.OTHER if parsed.entities.get("subject") == "other" else SafetyCheck.SELF
    return Assessment(Level.CRISIS, subject=subject.value)


def rasa_metadata(found: Assessment) -> dict[str, Any]:
    """The verdict for Rasa's action_safety_check: whom the crisis intent may ask about."""
    check = SafetyCheck.OTHER if found.subject == SafetyCheck.OTHER else SafetyCheck.SELF
    if found.level is Level.CLEAR and not found.nlu_may_check:
        check = SafetyCheck.NONE
    return {SAFETY_METADATA: {"check": check.value}}


def gentle_check(language: str, subject: str) -> list[Outbound]:
    """The gentle check as Rasa would ask it, for when Rasa cannot (the same responses)."""
    other = subject == SafetyCheck.OTHER
    names = (
        ("utter_crisis_check_other", "utter_ask_safe_other")
        if other
        else ("utter_crisis_check", "utter_ask_safe")
    )
    rendered = [message for name in names for message in render_messages(name, language)]
    return [answer.message for answer in read_answers(rendered) if answer.message is not None]


__all__ = [
    "CRISIS_PAYLOAD",
    "LONG_MESSAGE_CHARS",
    "Safety",
    "gentle_check",
    "not_safe",
    "rasa_metadata",
]
