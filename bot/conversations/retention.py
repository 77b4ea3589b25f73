"""The periodic purge: expired transcripts, old deliveries, old Rasa tracker events, and
conversations nobody has used for the retention period."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select, update

from bot.conversations.erasure import Eraser
from bot.conversations.tracker import TrackerStore
from bot.core import OPEN_HANDOFF_STATES
from bot.store.database import Database
from bot.store.files import drop_expired
from bot.store.models import Conversation, Handoff, Message, OutboxItem, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Purged:
    """How many rows of each kind one purge deleted."""

    messages: int = 0
    outbox: int = 0
    events: int = 0
    conversations: int = 0
    media: int = 0

    def __bool__(self) -> bool:
        return any((self.messages, self.outbox, self.events, self.conversations, self.media))


def stale_conversations(db: Database, cutoff: datetime) -> list[str]:
    """Conversations with no parent message since `cutoff` and no handoff open or ended since."""
    recent_handoff = exists().where(
        Handoff.conversation_id == Conversation.id,
        or_(Handoff.state.in_(OPEN_HANDOFF_STATES), Handoff.ended_at > cutoff),
    )
    with db.session() as session:
        return list(
            session.scalars(
                select(Conversation.id).where(Conversation.last_seen_at <= cutoff, ~recent_handoff)
            )
        )


def purge(
    db: Database, tracker: TrackerStore, retention_days: int, now: datetime | None = None
) -> Purged:
    """Delete what is past RETENTION_DAYS.

    Expired messages and media files; outbox items older than that, whatever their state (a delivery never
    keeps text longer than a transcript would); handoff summaries as old; Rasa tracker events
    as old; and every conversation unused for that long, entirely (its raw Telegram chat id
    and its tracker included), unless a handoff of it is open.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    with db.session() as session:
        messages = session.execute(delete(Message).where(Message.expires_at <= now))
        # A mentor's voice note for a web page expires with its message; an undelivered one
        # to a mentor (normally gone once delivered) after RETENTION_DAYS.
        media = drop_expired(session, now)
        outbox = session.execute(delete(OutboxItem).where(OutboxItem.created_at <= cutoff))
        session.execute(
            update(Handoff)
            .where(Handoff.requested_at <= cutoff, Handoff.summary.is_not(None))
            .values(summary=None)
        )
    stale = stale_conversations(db, cutoff)
    eraser = Eraser(db, tracker)
    for conversation_id in stale:
        eraser.erase(conversation_id)
    events = tracker.purge_before(cutoff.timestamp())
    return Purged(
        messages=int(getattr(messages, "rowcount", 0) or 0),
        outbox=int(getattr(outbox, "rowcount", 0) or 0),
        events=events,
        conversations=len(stale),
        media=media,
    )


async def purge_forever(
    db: Database, tracker: TrackerStore, retention_days: int, interval_minutes: float
) -> None:
    """Purge now and then every interval, until cancelled; a failed purge is retried next time."""
    while True:
        try:
            purged = await asyncio.to_thread(purge, db, tracker, retention_days)
            if purged:
                log.info(
                    "retention purge: %d messages, %d outbox items, %d tracker events, "
                    "%d unused conversations, %d media files",
                    purged.messages,
                    purged.outbox,
                    purged.events,
                    purged.conversations,
                    purged.media,
                )
        except Exception as error:
            log.error("retention purge failed: %s", type(error).__name__)
        await asyncio.sleep(interval_minutes * 60)
