from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.database import Database
from bot.store.models import Conversation, Handoff, Message, utcnow
from tests.store.test_migrations import migrated


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = migrated(database_url)
    yield database
    database.engine.dispose()


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = migrated(f"sqlite:///{tmp_path / 'store.db'}")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "store.db").exists()


def test_deleting_a_conversation_deletes_its_messages(db: Database) -> None:
    with db.session() as session:
        conversation = Conversation(channel="web", external_id_hash="h1")
        session.add(conversation)
        session.flush()
        session.add(
            Message(
                conversation_id=conversation.id,
                direction="in",
                sender="parent",
                text="hello",
                expires_at=utcnow() + timedelta(days=30),
            )
        )
        conversation_id = conversation.id
    with db.session() as session:
        session.delete(session.get(Conversation, conversation_id))
    with db.session() as session:
        assert session.scalars(select(Message)).all() == []


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            Message(
                conversation_id="missing",
                direction="in",
                sender="parent",
                expires_at=utcnow(),
            )
        )


def test_one_open_handoff_per_conversation(db: Database) -> None:
    with db.session() as session:
        conversation = Conversation(channel="telegram", external_id_hash="h2")
        session.add(conversation)
        session.flush()
        session.add(Handoff(conversation_id=conversation.id, language="so"))
        conversation_id = conversation.id
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Handoff(conversation_id=conversation_id, language="so"))
    with db.session() as session:
        handoff = session.scalars(select(Handoff)).one()
        handoff.state = "ended"
    with db.session() as session:
        session.add(Handoff(conversation_id=conversation_id, language="so"))
