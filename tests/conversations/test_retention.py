"""The periodic purge removes expired transcripts and old Rasa tracker events only."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.conversations.records import Conversations, Turn
from bot.conversations.retention import purge
from bot.conversations.tracker import TrackerStore
from bot.gateway.messages import Outbound
from bot.settings import get_settings
from bot.store.database import Database
from bot.store.models import utcnow


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "test")
    get_settings.cache_clear()


def test_purge(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    db.migrate()
    records = Conversations(db, retention_days=30)
    session = records.create_web_session("en")
    records.record_consent(session.id, True)
    records.finish_turn(Turn(session.id, "en", False, "en", "hello", [Outbound("hi")]))
    tracker_path = tmp_path / "tracker.sqlite"
    with sqlite3.connect(tracker_path) as raw:
        raw.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp FLOAT)")
        raw.execute(
            "INSERT INTO events (sender_id, timestamp) VALUES ('old', ?)",
            (time.time() - 40 * 86400,),
        )
        raw.execute("INSERT INTO events (sender_id, timestamp) VALUES ('new', ?)", (time.time(),))
    tracker = TrackerStore(f"sqlite:///{tracker_path}")
    assert purge(db, tracker, 30) == (0, 1)
    assert len(records.transcript(session.id, 0)) == 2
    assert tracker.count("new") == 1 and tracker.count("old") == 0
    assert purge(db, tracker, 30, now=utcnow() + timedelta(days=31))[0] == 2
    assert records.transcript(session.id, 0) == []


def test_tracker_store_not_created_yet_is_fine(tmp_path: Path) -> None:
    tracker = TrackerStore(f"sqlite:///{tmp_path / 'missing.db'}")
    assert tracker.erase("x") == 0 and tracker.purge_before(time.time()) == 0
    assert not (tmp_path / "missing.db").exists()
