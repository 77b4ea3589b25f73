"""Claims on outbox items: a worker that dies mid-batch holds nobody's messages up for long, and
a live worker's batch is never taken from it (bot.handoff.claims)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.handoff import claims, outbox
from bot.handoff.claims import CLAIM_LEASE, claim, release_all, renew
from bot.handoff.outbox import OutboxWorker, enqueue
from bot.store.database import Database
from bot.store.models import OutboxItem, utcnow


def migrated(url: str) -> Database:
    db = Database(url)
    db.migrate()
    return db


def fill(db: Database, texts: list[str], recipient: str = "chat:1") -> None:
    with db.session() as session:
        for text in texts:
            enqueue(session, "telegram.send", {"chat_id": 1, "text": text}, recipient=recipient)


def stored(db: Database) -> list[OutboxItem]:
    with db.session() as session:
        return list(session.scalars(select(OutboxItem).order_by(OutboxItem.id)))


class Recorder:
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.texts.append(payload["text"])
        return {"message_id": len(self.texts)}


async def test_the_claims_of_a_dead_process_go_at_once_when_the_next_one_starts(
    database_url: str,
) -> None:
    """SQLite's one gateway process was killed between claiming and sending: its successor
    sends them at once, in order, rather than a lease later."""
    db = migrated(database_url)
    fill(db, ["one", "two", "three"])
    dead = OutboxWorker(db, {"telegram.send": Recorder()})
    assert len(dead._claim(10)) == 3  # claimed, then SIGKILL: nothing sent or recorded
    successor = OutboxWorker(db, {"telegram.send": (sent := Recorder())})
    assert await successor.drain() == 0, "without release, the dead claims wait out the lease"
    assert successor.release_abandoned() == 3
    assert await successor.drain() == 3
    assert sent.texts == ["one", "two", "three"]
    assert [(item.status, item.claimed_by) for item in stored(db)] == [("sent", None)] * 3


async def test_a_claim_runs_out_after_the_lease_for_another_worker(database_url: str) -> None:
    """On PostgreSQL a dead worker's claims cannot be told from a live one's: another worker
    takes them once the lease has run out, and only then."""
    db = migrated(database_url)
    fill(db, ["hello"])
    [item] = claim(db, ["telegram.send"], 10, "dead")
    assert claim(db, ["telegram.send"], 10, "alive") == []
    with db.session() as session:  # the lease runs out
        session.execute(update(OutboxItem).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    [again] = claim(db, ["telegram.send"], 10, "alive")
    assert again.id == item.id
    assert stored(db)[0].claimed_by == "alive"


def test_a_worker_renews_and_releases_only_its_own_claims(database_url: str) -> None:
    db = migrated(database_url)
    fill(db, ["a"], recipient="chat:1")
    fill(db, ["b"], recipient="chat:2")
    [mine] = claim(db, ["telegram.send"], 1, "me")
    [theirs] = claim(db, ["telegram.send"], 1, "them")
    before = {item.id: item.next_attempt_at for item in stored(db)}
    renew(db, [mine.id, theirs.id], "me")
    claims.release(db, [mine.id, theirs.id], "nobody")
    after = {item.id: item for item in stored(db)}
    assert after[mine.id].next_attempt_at > before[mine.id]
    assert after[theirs.id].next_attempt_at == before[theirs.id]
    assert {after[mine.id].claimed_by, after[theirs.id].claimed_by} == {"me", "them"}
    assert release_all(db) == 2
    assert all(item.claimed_by is None and item.next_attempt_at <= utcnow() for item in stored(db))


async def test_a_slow_batch_keeps_its_lease_while_it_goes_out(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each send may take the channel's whole timeout: the rest of the batch is renewed as it
    goes, so no other worker finds it due and sends it twice."""
    monkeypatch.setattr(outbox, "RENEW_AFTER", timedelta(0))  # renew before every send
    db = migrated(database_url)
    fill(db, ["one", "two", "three"])
    leases: list[timedelta] = []

    async def slow(payload: dict[str, Any]) -> dict[str, Any]:
        last = stored(db)[-1]
        assert last.claimed_by == worker.name
        leases.append(last.next_attempt_at - utcnow())
        with db.session() as session:  # as if the send had taken most of the lease
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.status == "pending")
                .values(next_attempt_at=utcnow() + timedelta(seconds=1))
            )
        return {"message_id": 1}

    worker = OutboxWorker(db, {"telegram.send": slow})
    assert await worker.drain() == 3
    assert len(leases) == 3
    assert all(lease > CLAIM_LEASE - timedelta(seconds=5) for lease in leases), leases
