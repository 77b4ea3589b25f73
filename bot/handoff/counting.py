"""What the handoff counts for the reports (bot.analytics): each move of a request, once.

Every count is by the parent's language and channel; a request's topic and urgency, minutes
waited as a bucket, whether it came in duty hours, and the accepting mentor's organisation
(never the mentor).
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.analytics import (
    IN_DUTY,
    OUT_OF_DUTY,
    URGENT,
    Count,
    Event,
    Tally,
    wait_bucket,
)
from bot.core import HandoffState
from bot.handoff.duty import DutyHoursError, duty_hours_for
from bot.settings import Settings
from bot.store.models import Handoff, Mentor

log = logging.getLogger(__name__)


class HandoffCounts:
    """Counts a handoff's moves in the tally; does nothing without one."""

    def __init__(self, tally: Tally | None, settings: Settings) -> None:
        self.tally = tally
        self.settings = settings

    def _duty(self, organisation: str, moment: datetime) -> str:
        """Whether `moment` fell in the organisation's duty hours (the default ones for "")."""
        settings = self.settings
        try:
            hours = duty_hours_for(
                organisation,
                settings.duty_hours,
                settings.duty_hours_by_organisation,
                settings.timezone,
            )
        except DutyHoursError:
            return ""
        return IN_DUTY if hours.is_on(moment) else OUT_OF_DUTY

    def _add(
        self,
        event: Event,
        handoff: Handoff,
        now: datetime,
        *,
        detail: str = "",
        waited: bool = False,
        mentor: Mentor | None = None,
    ) -> None:
        if self.tally is None:
            return
        organisation = mentor.organisation if mentor is not None else ""
        requested = handoff.requested_at
        minutes = (now - requested).total_seconds() / 60
        self.tally.add(
            Count(
                event,
                handoff.conversation.channel,
                handoff.language,
                detail=detail or (handoff.topic or ""),
                flag=URGENT if handoff.urgent else "",
                waited=wait_bucket(max(0.0, minutes)) if waited else "",
                duty=self._duty(organisation, requested),
                organisation=organisation,
            ),
            now,
        )

    def requested(self, handoff: Handoff, now: datetime) -> None:
        self._add(Event.HANDOFF_REQUESTED, handoff, now)

    def accepted(self, handoff: Handoff, mentor: Mentor, now: datetime) -> None:
        self._add(Event.HANDOFF_ACCEPTED, handoff, now, waited=True, mentor=mentor)

    def ended(self, handoff: Handoff, reason: str, now: datetime) -> None:
        self._add(Event.HANDOFF_ENDED, handoff, now, detail=reason, mentor=handoff.mentor)

    def cancelled(self, handoff: Handoff, now: datetime) -> None:
        self._add(Event.HANDOFF_CANCELLED, handoff, now, waited=True)

    def escalated(self, handoff: Handoff, now: datetime) -> None:
        self._add(Event.HANDOFF_ESCALATED, handoff, now, waited=True)

    def erased(self, handoff: Handoff, now: datetime) -> None:
        """Closed because the parent erased everything: ended if a mentor held it, else
        abandoned (it never reached a mentor)."""
        if handoff.state == HandoffState.ENDED:
            self.ended(handoff, "erased", now)
        elif handoff.state == HandoffState.CANCELLED:
            self._add(Event.HANDOFF_ABANDONED, handoff, now, waited=True)

    def feedback(self, handoff: Handoff, score: str, now: datetime) -> None:
        self._add(Event.FEEDBACK, handoff, now, detail=score, mentor=handoff.mentor)
