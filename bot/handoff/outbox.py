"""The durable outbox: alerts and relayed messages are stored first, then delivered with retries."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from enum import Enum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.core import HandoffState
from bot.handoff import claims
from bot.handoff.claims import CLAIM_BATCH, RENEW_AFTER
from bot.store.database import Database
from bot.store.files import drop_file
from bot.store.models import Handoff, OutboxItem, utcnow

log = logging.getLogger(__name__)

# A sender delivers one item's payload and returns what the channel answered (e.g. message id).
Sender = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]
# Called after a successful delivery, inside the same transaction that marks the item sent.
AfterSend = Callable[[Session, OutboxItem, dict[str, Any] | None], None]
# Called when an item is given up for good, inside the transaction that marks it failed.
AfterFailure = Callable[[Session, OutboxItem], None]

MAX_ATTEMPTS = 8
# What a payload says to a person; removed once the item is settled, so the outbox never
# keeps message text longer than delivery needs it.
TEXT_KEYS = frozenset({"text", "buttons", "sender_name"})


class PermanentFailure(Exception):
    """A delivery that must not be retried (e.g. the user blocked the bot)."""


class RetryLater(Exception):
    """A delivery refused for now, with the channel's own wait (e.g. Telegram's retry_after)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # rescheduled: later items to the same recipient wait for it
    DROPPED = "dropped"  # failed for good, or no longer wanted: later items may go


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    conversation_id: str | None = None,
    *,
    recipient: str | None = None,
    relay_handoff_id: int | None = None,
) -> OutboxItem:
    """Store an item for delivery; it is sent after the surrounding transaction commits."""
    item = OutboxItem(
        kind=kind,
        payload=payload,
        conversation_id=conversation_id,
        recipient=recipient,
        relay_handoff_id=relay_handoff_id,
    )
    session.add(item)
    session.flush()
    return item


def scrubbed(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without what it said: kept for diagnostics once the item is settled.

    An erasure's item (a deletion, bot.conversations.trail) keeps nothing: not even the chat.
    """
    if payload.get("erasure"):
        return {"erasure": True}
    return {key: value for key, value in payload.items() if key not in TEXT_KEYS}


def release_media(session: Session, payload: dict[str, Any]) -> None:
    """A settled item's file (a web chat parent's voice note or photo) is not kept any longer:
    the mentor's Telegram has it, or it will never go."""
    file_id = (payload.get("media") or {}).get("file_id")
    if file_id is not None:
        drop_file(session, int(file_id))


def cancel(session: Session, items: Iterable[OutboxItem]) -> int:
    """Stop items that have not gone out yet, and forget their text; returns how many."""
    cancelled = 0
    for item in items:
        if item.status == "pending":
            release_media(session, item.payload)
            item.status = "cancelled"
            item.claimed_by = None
            item.payload = scrubbed(item.payload)
            cancelled += 1
    return cancelled


def cancel_relays(session: Session, handoff_id: int) -> int:
    """Stop every relayed message of a handoff that is still waiting (it has ended or moved)."""
    waiting = session.scalars(
        select(OutboxItem).where(
            OutboxItem.relay_handoff_id == handoff_id, OutboxItem.status == "pending"
        )
    ).all()
    return cancel(session, waiting)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2 ** min(attempts, 9)))


class OutboxWorker:
    """Delivers pending items, in order per recipient, retrying with backoff.

    An item waits while an earlier item to the same recipient is pending (e.g. rescheduled
    after a failure, or claimed by another worker), so a parent or mentor never sees messages
    out of order.

    Several gateway processes may run a worker on one PostgreSQL database: each claims the
    items it sends, under its own `name` (bot.handoff.claims). On SQLite (one process) the
    same statements run without the row locks, which SQLite does not have.
    """

    def __init__(
        self,
        db: Database,
        senders: dict[str, Sender],
        after_send: dict[str, AfterSend] | None = None,
        after_failure: dict[str, AfterFailure] | None = None,
    ) -> None:
        self.db = db
        self.senders = senders
        self.after_send = after_send or {}
        self.after_failure = after_failure or {}
        self.wakeup = asyncio.Event()
        self.name = claims.worker_name()

    def notify(self) -> None:
        """Tell the worker new items are waiting, so it need not wait for its next poll."""
        self.wakeup.set()

    def pending(self) -> int:
        """How many items wait for delivery."""
        with self.db.session() as session:
            count = session.scalar(
                select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "pending")
            )
            return int(count or 0)

    def _claim(self, limit: int) -> list[OutboxItem]:
        """Up to `limit` due items, claimed for this worker (bot.handoff.claims)."""
        return claims.claim(self.db, list(self.senders), limit, self.name)

    def release_abandoned(self) -> int:
        """Give back the claims a dead process left, when none but this one can be sending
        (SQLite: one gateway process); returns how many items are due again."""
        released = claims.release_all(self.db)
        if released:
            log.warning(
                "outbox: %d items claimed by a process that stopped are due again", released
            )
        return released

    async def drain(self, limit: int = 100) -> int:
        """Deliver every item that is due now (up to `limit`); return how many were sent."""
        sent = 0
        taken = 0
        held: set[str] = set()
        while taken < limit:
            due = await asyncio.to_thread(self._claim, min(CLAIM_BATCH, limit - taken))
            if not due:
                break
            taken += len(due)
            skipped: list[int] = []
            claimed_at = time.monotonic()
            for index, item in enumerate(due):
                if time.monotonic() - claimed_at > RENEW_AFTER.total_seconds():
                    rest = [later.id for later in due[index:]]
                    await asyncio.to_thread(claims.renew, self.db, rest, self.name)
                    claimed_at = time.monotonic()
                if item.recipient is not None and item.recipient in held:
                    skipped.append(item.id)
                    continue
                outcome = await self._deliver(item)
                if outcome is Outcome.SENT:
                    sent += 1
                elif outcome is Outcome.RETRY and item.recipient is not None:
                    held.add(item.recipient)
            if skipped:
                await asyncio.to_thread(claims.release, self.db, skipped, self.name)
        return sent

    async def _deliver(self, item: OutboxItem) -> Outcome:
        if item.relay_handoff_id is not None and not await asyncio.to_thread(
            self._still_wanted, item
        ):
            return Outcome.DROPPED
        sender = self.senders[item.kind]
        try:
            result = await sender(item.payload)
        except RetryLater as wait:
            return await asyncio.to_thread(
                self._reschedule, item, timedelta(seconds=wait.seconds), str(wait), False
            )
        except PermanentFailure as error:
            await asyncio.to_thread(self._fail, item, str(error))
            return Outcome.DROPPED
        except Exception as error:  # noqa: BLE001 - any channel error is retried
            log.warning("outbox item %s (%s) failed: %s", item.id, item.kind, type(error).__name__)
            return await asyncio.to_thread(
                self._reschedule, item, backoff(item.attempts + 1), type(error).__name__, True
            )
        await asyncio.to_thread(self._mark_sent, item, result)
        return Outcome.SENT

    def _still_wanted(self, item: OutboxItem) -> bool:
        """A relayed message goes out only while its handoff is active; otherwise it is cancelled."""
        with self.db.session() as session:
            state = session.scalar(select(Handoff.state).where(Handoff.id == item.relay_handoff_id))
            if state == HandoffState.ACTIVE:
                return True
            stored = session.get(OutboxItem, item.id)
            if stored is not None:
                cancel(session, [stored])
        log.info("outbox item %s dropped: its handoff is no longer active", item.id)
        return False

    def _mark_sent(self, item: OutboxItem, result: dict[str, Any] | None) -> None:
        with self.db.session() as session:
            claimed = session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item.id, OutboxItem.status == "pending")
                .values(
                    status="sent",
                    sent_at=utcnow(),
                    claimed_by=None,
                    attempts=OutboxItem.attempts + 1,
                    payload=scrubbed(item.payload),
                )
            )
            if claimed.rowcount:  # type: ignore[attr-defined]
                release_media(session, item.payload)
            if claimed.rowcount and item.kind in self.after_send:  # type: ignore[attr-defined]
                # `item` is the copy read before sending: its payload still has the link.
                self.after_send[item.kind](session, item, result)

    def _reschedule(self, item: OutboxItem, delay: timedelta, error: str, count: bool) -> Outcome:
        with self.db.session() as session:
            stored = session.get(OutboxItem, item.id)
            if stored is None or stored.status != "pending":
                return Outcome.DROPPED
            if count:
                stored.attempts += 1
            stored.last_error = error
            stored.next_attempt_at = utcnow() + delay
            stored.claimed_by = None
            if stored.attempts < MAX_ATTEMPTS:
                return Outcome.RETRY
            log.error(
                "outbox item %s (%s) gave up after %s attempts", item.id, item.kind, stored.attempts
            )
            self._give_up(session, stored)
        return Outcome.DROPPED

    def _fail(self, item: OutboxItem, error: str) -> None:
        with self.db.session() as session:
            stored = session.get(OutboxItem, item.id)
            if stored is not None and stored.status == "pending":
                stored.last_error = error
                self._give_up(session, stored)
        log.error("outbox item %s (%s) failed permanently", item.id, item.kind)

    def _give_up(self, session: Session, stored: OutboxItem) -> None:
        hook = self.after_failure.get(stored.kind)
        if hook is not None:
            hook(session, stored)  # before the text goes: the hook may need to know what it was
        release_media(session, stored.payload)
        stored.status = "failed"
        stored.claimed_by = None
        stored.payload = scrubbed(stored.payload)
