"""Each Telegram update is handled once, and none is lost to a crash unanswered.

An update's id is recorded before it is handled, so a re-delivered one is skipped. While it is
handled, its chat is recorded beside it; the mark is cleared once every handler has run (the
parent answered, or told that something went wrong). Telegram considers an update delivered
as soon as the next one is fetched, so after a crash (SIGKILL, power cut) a message that was
being handled never comes back: the marks left behind name the chats to tell, at the next start.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.store import Database
from bot.store.models import ProcessedUpdate, utcnow

# Telegram keeps undelivered updates for 24 hours, so older ids can never come back.
KEEP = timedelta(days=2)


def first_time(db: Database, update_id: int, chat_id: int | None = None) -> bool:
    """Record `update_id` (and the chat it is being handled for); False when it was recorded
    before (a re-delivery)."""
    try:
        with db.session() as session:
            session.add(ProcessedUpdate(update_id=update_id, in_flight_chat_id=chat_id))
    except IntegrityError:
        return False
    return True


def done(db: Database, update_id: int) -> None:
    """The update has been handled: its chat no longer waits for an answer."""
    with db.session() as session:
        session.execute(
            update(ProcessedUpdate)
            .where(
                ProcessedUpdate.update_id == update_id,
                ProcessedUpdate.in_flight_chat_id.is_not(None),
            )
            .values(in_flight_chat_id=None)
        )


def interrupted(db: Database) -> list[int]:
    """The chats whose update was being handled when the last process stopped; the marks are
    cleared. Call it at start, before any update is handled."""
    with db.session() as session:
        chats = session.scalars(
            select(ProcessedUpdate.in_flight_chat_id)
            .where(ProcessedUpdate.in_flight_chat_id.is_not(None))
            .order_by(ProcessedUpdate.update_id)
        ).all()
        session.execute(
            update(ProcessedUpdate)
            .where(ProcessedUpdate.in_flight_chat_id.is_not(None))
            .values(in_flight_chat_id=None)
        )
    return [int(chat) for chat in dict.fromkeys(chats) if chat is not None]


def prune(db: Database) -> int:
    """Forget update ids too old to be delivered again; returns how many."""
    with db.session() as session:
        result = session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < utcnow() - KEEP)
        )
        return int(getattr(result, "rowcount", 0) or 0)
