"""Conversations on a real SQLite file and on PostgreSQL: opening them, and writing a turn in one transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.conversations.records import Conversations, TurnRecord
from bot.core import Button, Outbound
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Conversation, Message


@pytest.fixture
def records(settings: Settings, database_url: str) -> Iterator[Conversations]:
    db = Database(database_url)
    db.migrate()
    yield Conversations(db, retention_days=30, hashing_key=settings.hashing_key())
    db.engine.dispose()


def turn(conversation_id: str, **changes: object) -> TurnRecord:
    fields: dict[str, object] = {
        "conversation_id": conversation_id,
        "language": "so",
        "language_locked": True,
        "rasa_language": "so",
        "inbound_text": "kooxaha ilmaha",
        "outbound": [
            Outbound("Halkan ayay joogaan:", [Button("Hooyo", "/find_mentor")]),
            Outbound("Amina waa halkan", sender="mentor", sender_name="Amina"),
        ],
        "intent": "find_groups",
    }
    return TurnRecord(**{**fields, **changes})  # type: ignore[arg-type]


def stored(records: Conversations, conversation_id: str) -> list[Message]:
    with records.db.session() as session:
        query = select(Message).where(Message.conversation_id == conversation_id)
        return list(session.scalars(query.order_by(Message.id)))


def test_a_token_opens_only_its_own_web_session(records: Conversations) -> None:
    mine = records.create_web_session("tr")
    other = records.create_web_session(None)
    opened = records.authenticate(mine.id, mine.token)
    assert opened is not None and opened.id == mine.id
    assert (opened.language, opened.language_locked, opened.channel) == ("tr", True, "web")
    assert records.authenticate(mine.id, other.token) is None
    assert records.authenticate(mine.id, "") is None
    assert records.authenticate("x" * 65, mine.token) is None
    assert records.authenticate("no-such-session", mine.token) is None
    telegram = records.for_telegram_chat(42, None)
    assert records.authenticate(telegram.id, mine.token) is None


def test_a_telegram_chat_is_created_once_and_found_by_its_hashed_id(
    records: Conversations,
) -> None:
    first = records.for_telegram_chat(123456789, "tr")
    again = records.for_telegram_chat(123456789, "so")
    assert again.id == first.id and again.language == "tr"
    with records.db.session() as session:
        row = session.get(Conversation, first.id)
        assert row is not None and "123456789" not in row.external_id_hash


def test_a_consented_turn_stores_both_sides_in_order_and_returns_their_ids(
    records: Conversations,
) -> None:
    session = records.create_web_session("en")
    records.record_consent(session.id, True)
    ids = records.finish_turn(turn(session.id))
    rows = stored(records, session.id)
    assert ids == [row.id for row in rows] and ids == sorted(ids)
    assert [(r.direction, r.sender, r.text) for r in rows] == [
        ("in", "parent", "kooxaha ilmaha"),
        ("out", "bot", "Halkan ayay joogaan:"),
        ("out", "mentor", "Amina waa halkan"),
    ]
    assert rows[0].intent == "find_groups" and rows[1].intent is None
    assert rows[1].buttons == [{"title": "Hooyo", "payload": "/find_mentor"}]
    assert rows[2].extra == {"sender_name": "Amina"}
    assert all(r.expires_at > r.created_at for r in rows)
    after = records.get(session.id)
    assert after is not None
    assert (after.language, after.language_locked, after.rasa_language) == ("so", True, "so")


def test_without_consent_the_turn_updates_the_conversation_but_stores_no_words(
    records: Conversations,
) -> None:
    session = records.create_web_session("en")
    assert records.finish_turn(turn(session.id)) == []
    assert stored(records, session.id) == []
    after = records.get(session.id)
    assert after is not None and after.language == "so"

    records.record_consent(session.id, True)
    assert records.finish_turn(turn(session.id, store=False)) == []
    assert stored(records, session.id) == []


def test_the_notice_is_marked_shown_once(records: Conversations) -> None:
    session = records.create_web_session("en")
    records.finish_turn(turn(session.id, notice_shown=True))

    def shown_at() -> object:
        with records.db.session() as db_session:
            row = db_session.get(Conversation, session.id)
            assert row is not None
            return row.notice_shown_at

    first = shown_at()
    assert first is not None
    records.finish_turn(turn(session.id, notice_shown=True))
    assert shown_at() == first
    state = records.get(session.id)
    assert state is not None and state.notice_shown and not state.consented


def test_a_turn_for_an_erased_conversation_writes_nothing(records: Conversations) -> None:
    assert records.finish_turn(turn("gone")) == []
    assert records.get("gone") is None
