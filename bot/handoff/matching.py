"""Which mentors to alert for a handoff: on duty, available, and speaking the parent's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import MentorStatus
from bot.handoff.duty import DutyHours, duty_hours_for
from bot.settings import Settings
from bot.store.models import Handoff, Mentor


@dataclass(frozen=True)
class Recipients:
    mentors: Sequence[Mentor]
    # True when nobody on duty speaks the parent's language, so the alert flags it.
    language_flagged: bool


def duty_hours(settings: Settings, organisation: str) -> DutyHours:
    return duty_hours_for(
        organisation, settings.duty_hours, settings.duty_hours_by_organisation, settings.timezone
    )


def on_duty(session: Session, settings: Settings, now: datetime) -> list[Mentor]:
    """Registered, unpaused mentors whose organisation is on duty now."""
    mentors = session.scalars(
        select(Mentor)
        .where(Mentor.status == MentorStatus.ACTIVE, Mentor.telegram_chat_id.is_not(None))
        .order_by(Mentor.id)
    ).all()
    return [mentor for mentor in mentors if duty_hours(settings, mentor.organisation).is_on(now)]


def recipients(
    session: Session, settings: Settings, handoff: Handoff, now: datetime, *, wider: bool = False
) -> Recipients:
    """The mentors to alert; `wider` (an escalation) also reaches those marked away."""
    candidates = [mentor for mentor in on_duty(session, settings, now) if wider or mentor.available]
    speakers = [mentor for mentor in candidates if handoff.language in mentor.language_list]
    if speakers and not wider:
        return Recipients(speakers, language_flagged=False)
    return Recipients(candidates, language_flagged=not speakers)


def may_take(
    session: Session, settings: Settings, handoff: Handoff, mentor: Mentor, now: datetime
) -> bool:
    """Whether /waiting offers a request to a mentor who was not alerted to it: an active
    mentor on duty who speaks the parent's language, or any such mentor once nobody on duty
    speaks it or the request was escalated (as an escalation's alerts reach)."""
    if mentor.status != MentorStatus.ACTIVE or mentor.telegram_chat_id is None:
        return False
    if not duty_hours(settings, mentor.organisation).is_on(now):
        return False
    if handoff.language in mentor.language_list or handoff.escalated_at is not None:
        return True
    return not any(handoff.language in m.language_list for m in on_duty(session, settings, now))


def next_duty_start(session: Session, settings: Settings, now: datetime) -> datetime | None:
    """When the first registered mentor's organisation next comes on duty."""
    organisations = set(
        session.scalars(
            select(Mentor.organisation).where(Mentor.status == MentorStatus.ACTIVE)
        ).all()
    ) or {""}
    return min(duty_hours(settings, organisation).next_start(now) for organisation in organisations)
