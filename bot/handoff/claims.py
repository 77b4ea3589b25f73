"""Claims on outbox items: which worker is sending an item, and until when the others keep off.

A worker claims a batch of due items (`claim`): it writes its name on them and moves their next
attempt a lease ahead, in one transaction. On PostgreSQL the rows are read with
`SELECT … FOR UPDATE SKIP LOCKED`, so a second worker skips rows being claimed at that moment
and then finds them not due. While it sends, the worker renews the lease of what is left of its
batch (`renew`), so a slow batch is never taken over by a live worker's neighbour.

A worker that dies mid-batch leaves its claims behind. On SQLite only one gateway process
runs, so whatever is claimed when it starts belongs to a process that is gone: it is given
back at once (`release_all`). On PostgreSQL another worker may be alive and sending, so a dead
worker's claims run out after the lease (CLAIM_LEASE) and another worker sends them then:
at-least-once, with a rare duplicate if the dead worker had sent and not yet recorded it.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, aliased

from bot.store.database import Database
from bot.store.models import OutboxItem, utcnow

# Items one worker claims at a time.
CLAIM_BATCH = 10
# How long a claim keeps other workers off: far longer than one send takes (each has the
# channel's own timeout); renewed while the batch goes out. Also the longest a dead worker's
# items wait on PostgreSQL before another worker sends them.
CLAIM_LEASE = timedelta(seconds=60)
# A batch still being sent this long after its claim (or its last renewal) is renewed.
RENEW_AFTER = timedelta(seconds=20)


def worker_name() -> str:
    """A name no other worker has, that says where it runs (for an operator reading the table)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def claim(db: Database, kinds: list[str], limit: int, worker: str) -> list[OutboxItem]:
    """Up to `limit` due items of these kinds, claimed for `worker`, oldest first.

    An item is due only when no earlier item to its recipient waits (rescheduled, or claimed by
    another worker), so a parent or mentor never sees messages out of order.
    """
    now = utcnow()
    earlier = aliased(OutboxItem)
    waiting_behind = exists().where(
        earlier.recipient == OutboxItem.recipient,
        earlier.status == "pending",
        earlier.kind.in_(kinds),
        earlier.id < OutboxItem.id,
        earlier.next_attempt_at > now,
    )
    due = (
        select(OutboxItem)
        .where(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= now)
        .where(OutboxItem.kind.in_(kinds))
        .where(~waiting_behind)
        .order_by(OutboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxItem)
    )
    with db.session() as session:
        items = _in_order(session, list(session.scalars(due).all()), kinds)
        if items:
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_([item.id for item in items]))
                .values(next_attempt_at=now + CLAIM_LEASE, claimed_by=worker)
                .execution_options(synchronize_session=False)
            )
        return items


def _in_order(session: Session, items: list[OutboxItem], kinds: list[str]) -> list[OutboxItem]:
    """The locked items whose recipient has no earlier item pending outside this claim.

    SKIP LOCKED passes over an earlier item another worker is claiming at this very moment;
    its later items must not go before it, so they are left (unclaimed) for next time.
    """
    recipients = {item.recipient for item in items if item.recipient is not None}
    if not recipients:
        return items
    ours = {item.id for item in items}
    pending = session.execute(
        select(OutboxItem.recipient, func.min(OutboxItem.id))
        .where(
            OutboxItem.status == "pending",
            OutboxItem.kind.in_(kinds),
            OutboxItem.recipient.in_(recipients),
            OutboxItem.id.not_in(ours),
        )
        .group_by(OutboxItem.recipient)
    ).all()
    first_not_ours = {recipient: first for recipient, first in pending}
    return [
        item
        for item in items
        if item.recipient is None or item.id < first_not_ours.get(item.recipient, item.id + 1)
    ]


def renew(db: Database, ids: list[int], worker: str) -> None:
    """Move the lease of `worker`'s items still pending a full lease ahead."""
    _update_own(db, ids, worker, next_attempt_at=utcnow() + CLAIM_LEASE)


def release(db: Database, ids: list[int], worker: str) -> None:
    """Give back claimed items `worker` did not try: due again (behind their recipient's
    earlier item, if it waits)."""
    _update_own(db, ids, worker, next_attempt_at=utcnow(), claimed_by=None)


def _update_own(db: Database, ids: list[int], worker: str, **values: object) -> None:
    """Change those of `ids` that are still pending and still `worker`'s: a claim another
    worker took over after the lease is left alone."""
    with db.session() as session:
        session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id.in_(ids),
                OutboxItem.status == "pending",
                OutboxItem.claimed_by == worker,
            )
            .values(**values)
        )


def release_all(db: Database) -> int:
    """Give back every claim: only when no other worker can be alive (SQLite, at start)."""
    with db.session() as session:
        result = session.execute(
            update(OutboxItem)
            .where(OutboxItem.status == "pending", OutboxItem.claimed_by.is_not(None))
            .values(next_attempt_at=utcnow(), claimed_by=None)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
