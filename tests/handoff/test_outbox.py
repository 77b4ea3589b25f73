from typing import Any

from sqlalchemy import select

from bot.handoff.outbox import OutboxWorker, PermanentFailure, RetryLater, enqueue
from bot.store.database import Database
from bot.store.models import OutboxItem, utcnow


def make_db(url: str) -> Database:
    db = Database(url)
    db.migrate()
    return db


def items(db: Database) -> list[OutboxItem]:
    with db.session() as session:
        return list(session.scalars(select(OutboxItem).order_by(OutboxItem.id)))


async def test_failed_send_is_retried_with_backoff_then_sent(database_url: str) -> None:
    db = make_db(database_url)
    with db.session() as session:
        enqueue(session, "telegram.send", {"chat_id": 1, "text": "hello"})
    calls: list[dict[str, Any]] = []

    async def flaky(payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(payload)
        if len(calls) == 1:
            raise ConnectionError("network down")
        return {"message_id": 7}

    worker = OutboxWorker(db, {"telegram.send": flaky})
    assert await worker.drain() == 0
    [item] = items(db)
    assert item.status == "pending" and item.attempts == 1 and item.next_attempt_at > utcnow()
    assert await worker.drain() == 0, "not due yet"
    with db.session() as session:
        stored = session.get(OutboxItem, item.id)
        assert stored is not None
        stored.next_attempt_at = utcnow()
    assert await worker.drain() == 1
    assert items(db)[0].status == "sent" and len(calls) == 2


async def test_retry_after_waits_as_told_without_counting_an_attempt(database_url: str) -> None:
    db = make_db(database_url)
    with db.session() as session:
        enqueue(session, "telegram.send", {"chat_id": 1, "text": "hello"})

    async def limited(payload: dict[str, Any]) -> dict[str, Any]:
        raise RetryLater(30)

    await OutboxWorker(db, {"telegram.send": limited}).drain()
    [item] = items(db)
    assert item.attempts == 0 and (item.next_attempt_at - utcnow()).total_seconds() > 25


async def test_permanent_failure_stops_retries(database_url: str) -> None:
    db = make_db(database_url)
    with db.session() as session:
        enqueue(session, "telegram.send", {"chat_id": 1, "text": "hello"})

    async def blocked(payload: dict[str, Any]) -> dict[str, Any]:
        raise PermanentFailure("Forbidden")

    await OutboxWorker(db, {"telegram.send": blocked}).drain()
    assert items(db)[0].status == "failed"


async def test_items_survive_a_restart_and_are_sent_once(database_url: str) -> None:
    db = make_db(database_url)
    with db.session() as session:
        enqueue(session, "telegram.send", {"chat_id": 1, "text": "one"})
        enqueue(session, "telegram.send", {"chat_id": 1, "text": "two"})
    sent: list[str] = []

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        sent.append(payload["text"])
        return {"message_id": len(sent)}

    restarted = OutboxWorker(Database(db.url), {"telegram.send": send})
    assert await restarted.drain() == 2
    assert await restarted.drain() == 0
    assert sent == ["one", "two"]


async def test_a_later_item_to_the_same_recipient_waits_for_an_earlier_retry(
    database_url: str,
) -> None:
    db = make_db(database_url)
    with db.session() as session:
        for chat_id, text in ((1, "first"), (1, "second"), (2, "other chat")):
            enqueue(
                session,
                "telegram.send",
                {"chat_id": chat_id, "text": text},
                recipient=f"telegram:{chat_id}",
            )
    delivered: list[str] = []
    failures = iter([True])

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        if payload["text"] == "first" and next(failures, False):
            raise ConnectionError("network down")
        delivered.append(payload["text"])
        return {"message_id": len(delivered)}

    worker = OutboxWorker(db, {"telegram.send": send})
    assert await worker.drain() == 1
    assert delivered == ["other chat"], "another chat is not held up"
    assert await worker.drain() == 0, "'second' waits while 'first' waits for its retry"
    with db.session() as session:
        first = session.scalars(select(OutboxItem).order_by(OutboxItem.id)).first()
        assert first is not None
        first.next_attempt_at = utcnow()
    assert await worker.drain() == 2
    assert delivered == ["other chat", "first", "second"]


async def test_a_failed_item_does_not_hold_up_the_rest_for_ever(database_url: str) -> None:
    db = make_db(database_url)
    with db.session() as session:
        for text in ("blocked", "next"):
            enqueue(session, "telegram.send", {"chat_id": 1, "text": text}, recipient="telegram:1")
    delivered: list[str] = []

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        if payload["text"] == "blocked":
            raise PermanentFailure("BadRequest")
        delivered.append(payload["text"])
        return {"message_id": 1}

    await OutboxWorker(db, {"telegram.send": send}).drain()
    assert delivered == ["next"]


async def test_a_settled_item_keeps_no_text(database_url: str) -> None:
    db = make_db(database_url)
    with db.session() as session:
        enqueue(session, "telegram.send", {"chat_id": 1, "text": "private", "buttons": []})

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        return {"message_id": 3}

    await OutboxWorker(db, {"telegram.send": send}).drain()
    [item] = items(db)
    assert item.status == "sent" and item.payload == {"chat_id": 1}
