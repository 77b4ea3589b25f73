"""The list of waiting requests a mentor sees with /waiting: urgent first, oldest first.

It is where a request whose alerts were not pushed (the day's cap, see alerts.py) is seen, and a
way back to any request whose alert a mentor has lost. A mentor sees the requests they hold a
standing alert for, and those they could be alerted for now (matching.may_take: on duty, their
language, or an escalation); a paused mentor sees none. Listing a request to a mentor records an
alert for them, so their Accept is the same as from a pushed alert (queue.accept needs one).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import Button, HandoffState, MentorStatus
from bot.handoff import matching
from bot.handoff.alerts import ACCEPT, language_name, topic_label
from bot.i18n import N_, translate
from bot.settings import Settings
from bot.store.models import Handoff, HandoffAlert, Mentor

PAUSED = N_(
    "Your mentor account is paused, so you cannot take a new request. Please ask your organisation."
)
SHOWN = 8  # one message: a mentor acts on the first few, and /waiting again shows the rest


# Queued requests looked at for one /waiting: more than are shown, as some are not this mentor's.
LOOKED_AT = 200


def waiting_list(
    session: Session, settings: Settings, mentor: Mentor, now: datetime
) -> tuple[str, list[Button]]:
    """The waiting requests a mentor may take: the text, and an Accept button for each."""
    language = mentor.language_list[0]
    if mentor.status != MentorStatus.ACTIVE:
        return translate(language, PAUSED), []
    queued = session.scalars(
        select(Handoff)
        .where(Handoff.state == HandoffState.QUEUED)
        .order_by(Handoff.urgent.desc(), Handoff.requested_at)
        .limit(LOOKED_AT)
    ).all()
    known = set(
        session.scalars(
            select(HandoffAlert.handoff_id).where(
                HandoffAlert.mentor_id == mentor.id,
                HandoffAlert.retired_at.is_(None),
                HandoffAlert.handoff_id.in_([handoff.id for handoff in queued]),
            )
        )
    )
    waiting = [
        handoff
        for handoff in queued
        if handoff.id in known or matching.may_take(session, settings, handoff, mentor, now)
    ][:SHOWN]
    if not waiting:
        return translate(language, "Nobody is waiting right now."), []
    lines, buttons = [translate(language, "Parents waiting for a person:")], []
    for handoff in waiting:
        if handoff.id not in known:
            session.add(HandoffAlert(handoff_id=handoff.id, mentor_id=mentor.id))
        lines.append(_line(handoff, language, settings.timezone))
        buttons.append(
            Button(
                translate(language, "Accept #{number}", number=handoff.id),
                ACCEPT.format(id=handoff.id),
            )
        )
    return "\n".join(lines), buttons


def _line(handoff: Handoff, language: str, timezone: str) -> str:
    since = format_time(handoff.requested_at, "HH:mm", tzinfo=ZoneInfo(timezone), locale=language)  # type: ignore[arg-type]
    parts = [
        f"#{handoff.id}",
        language_name(handoff.language, language),
        topic_label(handoff.topic, language, handoff.crisis_kind),
        translate(language, "since {time}", time=since),
    ]
    return ("🚨 " if handoff.urgent else "• ") + " · ".join(parts)
