"""The durable outbox: alerts and relayed messages are stored first, then delivered with retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.database import Database
from bot.store.models import OutboxItem, utcnow

log = logging.getLogger(__name__)

# A sender delivers one item's payload and returns what the channel answered (e.g. message id).
Sender = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]
# Called after a successful delivery, inside the same transaction that marks the item sent.
AfterSend = Callable[[Session, OutboxItem, dict[str, Any] | None], None]

MAX_ATTEMPTS = 8


class PermanentFailure(Exception):
    """A delivery that must not be retried (e.g. the user blocked the bot)."""


class RetryLater(Exception):
    """A delivery refused for now, with the channel's own wait (e.g. Telegram's retry_after)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


def enqueue(
    session: Session, kind: str, payload: dict[str, Any], conversation_id: str | None = None
) -> OutboxItem:
    """Store an item for delivery; it is sent after the surrounding transaction commits."""
    item = OutboxItem(kind=kind, payload=payload, conversation_id=conversation_id)
    session.add(item)
    session.flush()
    return item


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2 ** min(attempts, 9)))


class OutboxWorker:
    """Delivers pending items in order, one kind at a time per sender, retrying with backoff."""

    def __init__(
        self,
        db: Database,
        senders: dict[str, Sender],
        after_send: dict[str, AfterSend] | None = None,
    ) -> None:
        self.db = db
        self.senders = senders
        self.after_send = after_send or {}
        self.wakeup = asyncio.Event()

    def notify(self) -> None:
        """Tell the worker new items are waiting, so it need not wait for its next poll."""
        self.wakeup.set()

    async def drain(self, limit: int = 100) -> int:
        """Deliver every item that is due now; return how many were sent."""
        with self.db.session() as session:
            due = session.scalars(
                select(OutboxItem)
                .where(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= utcnow())
                .where(OutboxItem.kind.in_(list(self.senders)))
                .order_by(OutboxItem.id)
                .limit(limit)
            ).all()
        sent = 0
        for item in due:
            sent += await self._deliver(item)
        return sent

    async def _deliver(self, item: OutboxItem) -> int:
        sender = self.senders[item.kind]
        try:
            result = await sender(item.payload)
        except RetryLater as wait:
            self._reschedule(item, timedelta(seconds=wait.seconds), str(wait), count=False)
            return 0
        except PermanentFailure as error:
            self._fail(item, str(error))
            return 0
        except Exception as error:  # noqa: BLE001 - any channel error is retried
            log.warning("outbox item %s (%s) failed: %s", item.id, item.kind, type(error).__name__)
            self._reschedule(item, backoff(item.attempts + 1), type(error).__name__, count=True)
            return 0
        with self.db.session() as session:
            claimed = session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item.id, OutboxItem.status == "pending")
                .values(status="sent", sent_at=utcnow(), attempts=OutboxItem.attempts + 1)
            )
            if claimed.rowcount and item.kind in self.after_send:  # type: ignore[attr-defined]
                self.after_send[item.kind](session, item, result)
        return 1

    def _reschedule(self, item: OutboxItem, delay: timedelta, error: str, *, count: bool) -> None:
        with self.db.session() as session:
            stored = session.get(OutboxItem, item.id)
            if stored is None or stored.status != "pending":
                return
            if count:
                stored.attempts += 1
            stored.last_error = error
            stored.next_attempt_at = utcnow() + delay
            if stored.attempts >= MAX_ATTEMPTS:
                stored.status = "failed"
                log.error(
                    "outbox item %s (%s) gave up after %s attempts",
                    item.id,
                    item.kind,
                    stored.attempts,
                )

    def _fail(self, item: OutboxItem, error: str) -> None:
        with self.db.session() as session:
            stored = session.get(OutboxItem, item.id)
            if stored is not None:
                stored.status = "failed"
                stored.last_error = error
        log.error("outbox item %s (%s) failed permanently", item.id, item.kind)
