"""Handoff states, enforced in the database: queued → active → ended, or queued → cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import Handoff, Mentor, utcnow

OPEN_STATES = ("queued", "active")


def open_handoff(session: Session, conversation_id: str) -> Handoff | None:
    return session.scalars(
        select(Handoff).where(
            Handoff.conversation_id == conversation_id, Handoff.state.in_(OPEN_STATES)
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


def accept(session: Session, handoff_id: int, mentor: Mentor) -> bool:
    """Give the handoff to `mentor` if it is still waiting; exactly one Accept can win."""
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.state == "queued")
        .values(state="active", mentor_id=mentor.id, accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end(session: Session, handoff_id: int) -> bool:
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.state == "active")
        .values(state="ended", ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def cancel(session: Session, handoff_id: int) -> bool:
    result = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.state == "queued")
        .values(state="cancelled", ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def active_for_mentor(session: Session, mentor_id: int) -> Sequence[Handoff]:
    return session.scalars(
        select(Handoff)
        .where(Handoff.mentor_id == mentor_id, Handoff.state == "active")
        .order_by(Handoff.id)
    ).all()


def waiting(session: Session) -> Sequence[Handoff]:
    return session.scalars(
        select(Handoff).where(Handoff.state == "queued").order_by(Handoff.id)
    ).all()


def never_alerted(session: Session) -> Sequence[Handoff]:
    return session.scalars(
        select(Handoff)
        .where(Handoff.state == "queued", Handoff.alerted_at.is_(None))
        .order_by(Handoff.id)
    ).all()


def due_for_escalation(session: Session, now: datetime, minutes: int) -> Sequence[Handoff]:
    cutoff = now - timedelta(minutes=minutes)
    return session.scalars(
        select(Handoff)
        .where(
            Handoff.state == "queued", Handoff.alerted_at.is_not(None), Handoff.alerted_at <= cutoff
        )
        .where(Handoff.escalated_at.is_(None))
        .order_by(Handoff.id)
    ).all()
