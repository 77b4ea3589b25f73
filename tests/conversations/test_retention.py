"""The periodic purge removes expired transcripts and old Rasa tracker events only, on SQLite
and on PostgreSQL (Rasa's table in its own schema there)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.conversations.records import Conversations, TurnRecord
from bot.conversations.retention import Purged, purge
from bot.conversations.tracker import TrackerStore
from bot.core import Outbound
from bot.handoff.outbox import enqueue
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Conversation, Handoff, OutboxItem, utcnow
from tests.trackers import rasa_tracker


def test_purge(tmp_path: Path, settings: Settings, database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    records = Conversations(db, retention_days=30, hashing_key=settings.hashing_key())
    session = records.create_web_session("en")
    records.record_consent(session.id, True)
    records.finish_turn(TurnRecord(session.id, "en", False, "en", "hello", [Outbound("hi")]))
    rasa_tracker(database_url, tmp_path, ["old"], types=["user"], at=time.time() - 40 * 86400)
    tracker = rasa_tracker(database_url, tmp_path, ["new"], types=["user"])
    assert purge(db, tracker, 30) == Purged(events=1)
    assert len(records.transcript(session.id, 0)) == 2
    assert tracker.count("new") == 1 and tracker.count("old") == 0
    assert purge(db, tracker, 30, now=utcnow() + timedelta(days=29, hours=23)) == Purged()
    later = purge(db, tracker, 30, now=utcnow() + timedelta(days=30, minutes=1))
    assert later.messages == 2 and later.conversations == 1, "unused for 30 days: deleted"
    assert records.transcript(session.id, 0) == []


def test_tracker_store_not_created_yet_is_fine(tmp_path: Path) -> None:
    tracker = TrackerStore(f"sqlite:///{tmp_path / 'missing.db'}")
    assert tracker.erase("x") == 0 and tracker.purge_before(time.time()) == 0
    assert not (tmp_path / "missing.db").exists()


def test_tracker_schema_not_created_yet_is_fine_on_postgresql(fresh_postgres_url: str) -> None:
    tracker = TrackerStore(fresh_postgres_url, schema="rasa")
    assert tracker.erase("x") == 0 and tracker.purge_before(time.time()) == 0
    assert tracker.count("x") == 0
    tracker.dispose()


def test_outbox_items_never_outlive_the_retention_period(tmp_path: Path, database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    old = utcnow() - timedelta(days=31)
    with db.session() as session:
        for status, created in (
            ("sent", old),
            ("failed", old),
            ("pending", old),
            ("sent", utcnow()),
        ):
            item = enqueue(session, "telegram.send", {"chat_id": 1, "text": f"{status} text"})
            item.status, item.created_at = status, created
    purged = purge(db, TrackerStore(f"sqlite:///{tmp_path / 'none.db'}"), 30)
    assert purged.outbox == 3
    with db.session() as session:
        assert [item.created_at > old for item in session.scalars(select(OutboxItem))] == [True]


def test_a_conversation_unused_for_the_retention_period_is_deleted_entirely(
    tmp_path: Path, settings: Settings, database_url: str
) -> None:
    db = Database(database_url)
    db.migrate()
    records = Conversations(db, retention_days=30, hashing_key=settings.hashing_key())
    unused = records.for_telegram_chat(777, "so").id
    waiting = records.for_telegram_chat(778, "so").id
    recent = records.for_telegram_chat(779, "so").id
    with db.session() as session:
        for conversation_id in (unused, waiting):
            conversation = session.get(Conversation, conversation_id)
            assert conversation is not None
            conversation.last_seen_at = utcnow() - timedelta(days=31)
        session.add(Handoff(conversation_id=waiting, language="so", state="queued"))
        session.add(
            OutboxItem(kind="telegram.send", payload={"chat_id": 777}, conversation_id=unused)
        )
    tracker = rasa_tracker(database_url, tmp_path, [unused, waiting, recent], types=["user"])

    assert purge(db, tracker, 30).conversations == 1

    with db.session() as session:
        assert session.get(Conversation, unused) is None
        assert (
            session.scalar(
                select(func.count())
                .select_from(Conversation)
                .where(Conversation.telegram_chat_id == 777)
            )
            == 0
        ), "the raw Telegram chat id is gone with it"
        assert session.scalars(select(OutboxItem)).all() == []
        assert session.get(Conversation, waiting) is not None, "an open handoff keeps it"
        assert session.get(Conversation, recent) is not None
    assert tracker.count(unused) == 0, "Rasa's tracker for that sender goes too"
    assert tracker.count(waiting) == 1 and tracker.count(recent) == 1
