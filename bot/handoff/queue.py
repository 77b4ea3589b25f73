"""The queue of requests for a person, and their states (bot.core.HandoffState), each move made
in the database so that two processes can never both make it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core import OPEN_HANDOFF_STATES, HandoffState, MentorStatus
from bot.handoff.outbox import cancel_relays
from bot.store.models import Handoff, HandoffAlert, Mentor, utcnow

# Asked on every parent message, so built once (building a statement costs more than running it).
ACTIVE = (
    select(Handoff.id)
    .where(
        Handoff.conversation_id == bindparam("conversation_id"),
        Handoff.state == HandoffState.ACTIVE,
    )
    .limit(1)
)


def open_handoff(session: Session, conversation_id: str) -> Handoff | None:
    return session.scalars(
        select(Handoff).where(
            Handoff.conversation_id == conversation_id, Handoff.state.in_(OPEN_HANDOFF_STATES)
        )
    ).one_or_none()


def request(
    session: Session,
    conversation_id: str,
    language: str,
    topic: str | None,
    urgent: bool,
    now: datetime | None = None,
) -> tuple[Handoff, bool]:
    """Queue a request, or return the open one (made urgent if this one is); True when new."""
    existing = open_handoff(session, conversation_id)
    if existing is not None:
        if urgent and not existing.urgent:
            existing.urgent = True
            existing.topic = topic or existing.topic
        return existing, False
    handoff = Handoff(
        conversation_id=conversation_id,
        language=language,
        topic=topic,
        urgent=urgent,
        requested_at=now or utcnow(),
    )
    session.add(handoff)
    try:
        # No savepoint: on SQLite a released savepoint would commit the handoff before its alerts.
        session.flush()
    except IntegrityError:
        # Another process queued one for this conversation first; use theirs.
        session.rollback()
        existing = open_handoff(session, conversation_id)
        if existing is None:
            raise
        return existing, False
    return handoff, True


def _transition(session: Session, handoff_id: int, from_state: HandoffState, **values: Any) -> bool:
    """Move a handoff on only if it is still in `from_state`: one conditional UPDATE, so two
    processes can never both win (double accept, relay after the end)."""
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.state == from_state)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def standing_alert(mentor_id: int, handoff_id: Any = Handoff.id) -> Any:
    """A condition: the mentor holds an alert for the handoff that has not been retired."""
    return exists().where(
        HandoffAlert.handoff_id == handoff_id,
        HandoffAlert.mentor_id == mentor_id,
        HandoffAlert.retired_at.is_(None),
    )


def accept(session: Session, handoff_id: int, mentor: Mentor, now: datetime | None = None) -> bool:
    """Give the handoff to `mentor` if it is still waiting, the mentor's account is active and
    their alert for it stands; exactly one Accept can win.

    Checked in the one UPDATE that moves the handoff, so a pause or a retired alert that lands
    at the same moment is never overtaken. Duty hours are not checked: an alert stands until
    the request is settled, even if the mentor's duty ends meanwhile.
    """
    now = now or utcnow()
    active = exists().where(Mentor.id == mentor.id, Mentor.status == MentorStatus.ACTIVE)
    result = session.execute(
        update(Handoff)
        .where(
            Handoff.id == handoff_id,
            Handoff.state == HandoffState.QUEUED,
            active,
            standing_alert(mentor.id),
        )
        .values(
            state=HandoffState.ACTIVE, mentor_id=mentor.id, accepted_at=now, last_activity_at=now
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def retire(session: Session, handoff_id: int, now: datetime | None = None) -> None:
    """Every standing alert of a handoff stops standing (settled, or back in the queue)."""
    session.execute(
        update(HandoffAlert)
        .where(HandoffAlert.handoff_id == handoff_id, HandoffAlert.retired_at.is_(None))
        .values(retired_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def touch(session: Session, handoff_id: int, mentor_id: int, now: datetime | None = None) -> bool:
    """Note a relayed message, if the handoff is still active with this mentor.

    Call it before queuing the relay, in the same transaction: its UPDATE holds the handoff's
    row (PostgreSQL) or the database (SQLite) until commit, so an end that runs at the same time
    either happens first (then this returns False and nothing is relayed) or waits, and then
    cancels the relay with the handoff's other undelivered ones.
    """
    result = session.execute(
        update(Handoff)
        .where(
            Handoff.id == handoff_id,
            Handoff.state == HandoffState.ACTIVE,
            Handoff.mentor_id == mentor_id,
        )
        .values(last_activity_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end(
    session: Session, handoff_id: int, reason: str = "mentor", now: datetime | None = None
) -> bool:
    """End an active handoff (reason: mentor, parent, idle or erased); its undelivered relays
    are cancelled and its summary forgotten."""
    ended = _transition(
        session,
        handoff_id,
        HandoffState.ACTIVE,
        state=HandoffState.ENDED,
        ended_at=now or utcnow(),
        end_reason=reason,
        summary=None,
    )
    if ended:
        cancel_relays(session, handoff_id)
    return ended


def cancel(session: Session, handoff_id: int, now: datetime | None = None) -> bool:
    """The parent stopped waiting (or erased everything) before a mentor accepted."""
    return _transition(
        session,
        handoff_id,
        HandoffState.QUEUED,
        state=HandoffState.CANCELLED,
        ended_at=now or utcnow(),
        summary=None,
    )


def requeue(session: Session, handoff_id: int) -> bool:
    """Put an active handoff back in the queue, its mentor gone: alerts start again from scratch."""
    moved = _transition(
        session,
        handoff_id,
        HandoffState.ACTIVE,
        state=HandoffState.QUEUED,
        mentor_id=None,
        accepted_at=None,
        alerted_at=None,
        escalated_at=None,
        last_activity_at=None,
    )
    if moved:
        cancel_relays(session, handoff_id)
        retire(session, handoff_id)  # the new round of alerts is what a mentor accepts
    return moved


def idle(session: Session, cutoff: datetime) -> Sequence[Handoff]:
    """Active handoffs in which neither side has written since `cutoff`."""
    return session.scalars(
        select(Handoff)
        .where(
            Handoff.state == HandoffState.ACTIVE,
            func.coalesce(Handoff.last_activity_at, Handoff.accepted_at) <= cutoff,
        )
        .order_by(Handoff.id)
    ).all()


def active_for_mentor(session: Session, mentor_id: int) -> Sequence[Handoff]:
    return session.scalars(
        select(Handoff)
        .where(Handoff.mentor_id == mentor_id, Handoff.state == HandoffState.ACTIVE)
        .order_by(Handoff.id)
    ).all()


def never_alerted(session: Session) -> Sequence[Handoff]:
    return session.scalars(
        select(Handoff)
        .where(Handoff.state == HandoffState.QUEUED, Handoff.alerted_at.is_(None))
        .where(Handoff.alerts_capped.is_(False))
        .order_by(Handoff.id)
    ).all()


def due_for_escalation(session: Session, now: datetime, minutes: int) -> Sequence[Handoff]:
    cutoff = now - timedelta(minutes=minutes)
    return session.scalars(
        select(Handoff)
        .where(
            Handoff.state == HandoffState.QUEUED,
            Handoff.alerted_at.is_not(None),
            Handoff.alerted_at <= cutoff,
        )
        .where(Handoff.escalated_at.is_(None))
        .order_by(Handoff.id)
    ).all()
