"""Each Telegram update is handled once: its id is recorded before it is handled."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.store import Database
from bot.store.models import ProcessedUpdate, utcnow

# Telegram keeps undelivered updates for 24 hours, so older ids can never come back.
KEEP = timedelta(days=2)


def first_time(db: Database, update_id: int) -> bool:
    """Record `update_id`; False when it was recorded before (a re-delivery)."""
    try:
        with db.session() as session:
            session.add(ProcessedUpdate(update_id=update_id))
    except IntegrityError:
        return False
    return True


def prune(db: Database) -> int:
    """Forget update ids too old to be delivered again; returns how many."""
    with db.session() as session:
        result = session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < utcnow() - KEEP)
        )
        return int(getattr(result, "rowcount", 0) or 0)
