"""Two live outbox workers on one PostgreSQL database never both send one item: each claims its
batch with SELECT … FOR UPDATE SKIP LOCKED, and a claim keeps the other off for its lease."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

from sqlalchemy import select

from bot.handoff.claims import CLAIM_BATCH
from bot.handoff.outbox import OutboxWorker, enqueue
from bot.store.database import Database
from bot.store.models import OutboxItem


def migrated(url: str) -> Database:
    db = Database(url)
    db.migrate()
    return db


def fill(db: Database, count: int, recipients: int) -> None:
    with db.session() as session:
        for number in range(count):
            enqueue(
                session,
                "telegram.send",
                {"chat_id": number % recipients, "text": f"message {number}"},
                recipient=f"chat:{number % recipients}",
            )


def test_two_workers_draining_at_once_send_each_item_once(fresh_postgres_url: str) -> None:
    fill(migrated(fresh_postgres_url), count=120, recipients=12)
    sent: list[tuple[str, str]] = []
    lock = threading.Lock()
    both_started = threading.Barrier(2)

    def run_worker(name: str) -> None:
        # Each worker as a gateway process has it: its own engine and connections.
        db = Database(fresh_postgres_url)

        async def send(payload: dict[str, Any]) -> dict[str, Any]:
            with lock:
                sent.append((name, payload["text"]))
            await asyncio.sleep(0.002)  # a channel's round trip, so the workers interleave
            return {"message_id": 1}

        both_started.wait()
        worker = OutboxWorker(db, {"telegram.send": send})
        while asyncio.run(worker.drain()):
            pass
        db.engine.dispose()

    threads = [threading.Thread(target=run_worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    texts = Counter(text for _, text in sent)
    assert len(texts) == 120, "every item went out"
    assert [text for text, times in texts.items() if times > 1] == [], "none went out twice"
    assert {name for name, _ in sent} == {"a", "b"}, "both workers shared the work"
    # Per recipient, in the order they were queued, whichever worker sent them.
    for chat in range(12):
        mine = [int(text.split()[1]) for _, text in sent if int(text.split()[1]) % 12 == chat]
        assert mine == sorted(mine)


async def nowhere(payload: dict[str, Any]) -> None:
    return None


def test_rows_being_claimed_are_skipped_not_waited_for(fresh_postgres_url: str) -> None:
    db = migrated(fresh_postgres_url)
    fill(db, count=CLAIM_BATCH + 3, recipients=CLAIM_BATCH + 3)
    other = Database(fresh_postgres_url)
    with db.session() as session:
        # Another worker, mid-claim: its transaction holds the oldest rows' locks.
        locked = session.scalars(
            select(OutboxItem.id)
            .order_by(OutboxItem.id)
            .limit(CLAIM_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = OutboxWorker(other, {"telegram.send": nowhere})._claim(CLAIM_BATCH)
        assert [item.id for item in claimed] == sorted(
            set(range(min(locked), min(locked) + CLAIM_BATCH + 3)) - set(locked)
        )
    # Once claimed, the items are not due for anyone else until the lease runs out.
    again = OutboxWorker(db, {"telegram.send": nowhere})._claim(CLAIM_BATCH)
    assert {item.id for item in again}.isdisjoint(item.id for item in claimed)
    assert len(again) == CLAIM_BATCH
    other.engine.dispose()
    db.engine.dispose()
