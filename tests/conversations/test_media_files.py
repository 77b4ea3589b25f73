"""Voice notes and photos kept for delivery: a mentor's for a web page lives as long as its
message; consent withdrawn, retention and erasure remove them; the outbox lets a parent's go
once it is settled, delivered or not."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.conversations import Eraser, TrackerStore, purge
from bot.conversations.records import Conversations
from bot.core import Media, Outbound
from bot.handoff.delivery import Parents
from bot.handoff.outbox import cancel, enqueue
from bot.settings import Settings
from bot.store.database import Database
from bot.store.files import TO_MENTOR, TO_PARENT, add_file, load_file
from bot.store.models import Conversation, MediaFile, Message, OutboxItem, utcnow


def count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(MediaFile)) or 0)


def setup(tmp_path: Path, settings: Settings, consent: bool) -> tuple[Database, Conversations, str]:
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    db.migrate()
    records = Conversations(db, retention_days=30, hashing_key=settings.hashing_key())
    web = records.create_web_session("en")
    records.record_consent(web.id, consent)
    return db, records, web.id


def mentor_voice(db: Database, conversation_id: str) -> int:
    """A mentor's voice note pushed to a web chat parent; returns its file id."""
    voice = Media(kind="voice", data=b"\0\0\0\x18ftypM4A ", mime_type="audio/mp4")
    with db.session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        message = Parents(30).send(
            session, conversation, Outbound("", sender="mentor", media=voice)
        )
        assert message is not None and message.extra is not None
        return int(message.extra["media"]["file_id"])


def test_a_mentors_file_lives_as_long_as_its_message(tmp_path: Path, settings: Settings) -> None:
    db, _records, cid = setup(tmp_path, settings, consent=True)
    file_id = mentor_voice(db, cid)
    assert load_file(db, file_id, direction=TO_PARENT, conversation_id=cid) is not None
    assert load_file(db, file_id, direction=TO_PARENT, conversation_id="someone-else") is None
    with db.session() as session:
        [message] = session.scalars(select(Message)).all()
        [kept] = session.scalars(select(MediaFile)).all()
        assert kept.expires_at == message.expires_at
    tracker = TrackerStore(f"sqlite:///{tmp_path / 'tracker.sqlite'}")
    assert purge(db, tracker, 30, now=utcnow() + timedelta(days=29)).media == 0
    assert purge(db, tracker, 30, now=utcnow() + timedelta(days=30, minutes=1)).media == 1
    assert count(db) == 0


def test_without_consent_it_is_kept_a_day_and_withdrawing_consent_removes_it(
    tmp_path: Path, settings: Settings
) -> None:
    db, records, cid = setup(tmp_path, settings, consent=False)
    mentor_voice(db, cid)
    with db.session() as session:
        [kept] = session.scalars(select(MediaFile)).all()
        assert kept.expires_at - utcnow() < timedelta(hours=24, minutes=1)
    records.record_consent(cid, True)
    mentor_voice(db, cid)
    records.record_consent(cid, False)
    assert count(db) == 0


def test_erasure_removes_every_file_of_the_conversation_at_once(
    tmp_path: Path, settings: Settings
) -> None:
    db, _records, cid = setup(tmp_path, settings, consent=True)
    mentor_voice(db, cid)
    with db.session() as session:
        add_file(session, cid, TO_MENTOR, "photo", "image/jpeg", b"\xff\xd8\xff", utcnow())
    assert count(db) == 2
    Eraser(db, TrackerStore(f"sqlite:///{tmp_path / 'tracker.sqlite'}")).erase(cid)
    assert count(db) == 0


def test_a_cancelled_delivery_lets_its_file_go(tmp_path: Path, settings: Settings) -> None:
    db, _records, cid = setup(tmp_path, settings, consent=True)
    with db.session() as session:
        later = utcnow() + timedelta(days=30)
        file_id = add_file(session, cid, TO_MENTOR, "voice", "audio/ogg", b"OggS", later)
        item = enqueue(
            session,
            "telegram.send",
            {"chat_id": 1, "text": "x", "media": {"kind": "voice", "file_id": file_id}},
        )
    with db.session() as session:
        stored = session.get(OutboxItem, item.id)
        assert stored is not None
        assert cancel(session, [stored]) == 1
    assert count(db) == 0
