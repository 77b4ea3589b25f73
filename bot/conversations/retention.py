"""The periodic purge: transcripts past their expiry, and Rasa tracker events past retention."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.conversations.tracker import TrackerStore
from bot.store.database import Database
from bot.store.models import Message, utcnow

log = logging.getLogger(__name__)


def purge(
    db: Database, tracker: TrackerStore, retention_days: int, now: datetime | None = None
) -> tuple[int, int]:
    """Delete expired messages and old tracker events; returns (messages, events) deleted."""
    now = now or utcnow()
    with db.session() as session:
        result = session.execute(delete(Message).where(Message.expires_at <= now))
        messages = getattr(result, "rowcount", 0)
    cutoff = (now - timedelta(days=retention_days)).timestamp()
    events = tracker.purge_before(cutoff)
    return int(messages or 0), events


async def purge_forever(
    db: Database, tracker: TrackerStore, retention_days: int, interval_minutes: float
) -> None:
    """Purge now and then every interval, until cancelled; a failed purge is retried next time."""
    while True:
        try:
            messages, events = await asyncio.to_thread(purge, db, tracker, retention_days)
            if messages or events:
                log.info("retention purge: %d messages, %d tracker events", messages, events)
        except Exception as error:
            log.error("retention purge failed: %s", type(error).__name__)
        await asyncio.sleep(interval_minutes * 60)
