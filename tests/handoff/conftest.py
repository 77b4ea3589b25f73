import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.handoff import mentors
from bot.handoff.desk import MentorDesk
from bot.handoff.service import HandoffService
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Conversation, Handoff, Message, OutboxItem

# A Tuesday, mid-morning in London: on duty by default (Mon-Fri 09:00-17:00).
ON_DUTY = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
# A Saturday night: nobody on duty.
OFF_DUTY = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """Our store, on a SQLite file and on PostgreSQL (tests/conftest.py: database_url)."""
    database = Database(database_url)
    database.migrate()
    yield database
    database.engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(ON_DUTY)


@pytest.fixture
def notified() -> list[str]:
    return []


@pytest.fixture
def service(db: Database, settings: Settings, clock: Clock, notified: list[str]) -> HandoffService:
    return HandoffService(db, settings, parent_notify=notified.append, clock=clock)


@pytest.fixture
def desk(db: Database, settings: Settings, clock: Clock, notified: list[str]) -> MentorDesk:
    return MentorDesk(
        db, settings, outbox_notify=lambda: None, parent_notify=notified.append, clock=clock
    )


@pytest.fixture
def add_mentor(db: Database, settings: Settings) -> Callable[..., int]:
    """Invite and register a mentor; returns their Telegram user id (= chat id)."""
    counter = iter(range(1000, 2000))

    def add(
        name: str = "Amina", languages: str = "so,en", organisation: str = "Manor Gardens"
    ) -> int:
        user_id = next(counter)
        with db.session() as session:
            _mentor, code = mentors.invite(session, settings, name, languages, organisation)
        with db.session() as session:
            assert mentors.register(session, settings, code, user_id, user_id) is not None
        return user_id

    return add


@pytest.fixture
def parent(db: Database) -> Callable[..., str]:
    def make(
        language: str = "so",
        channel: str = "web",
        chat_id: int | None = None,
        *,
        consent: bool = False,
    ) -> str:
        with db.session() as session:
            conversation = Conversation(
                channel=channel,
                external_id_hash=f"{channel}-{language}-{chat_id}-{uuid.uuid4().hex}",
                language=language,
                telegram_chat_id=chat_id,
                consent_at=ON_DUTY if consent else None,
            )
            session.add(conversation)
            session.flush()
            return conversation.id

    return make


def outbox_items(db: Database, kind: str = "telegram.send") -> list[OutboxItem]:
    with db.session() as session:
        return list(
            session.scalars(
                select(OutboxItem).where(OutboxItem.kind == kind).order_by(OutboxItem.id)
            )
        )


def texts_to(db: Database, chat_id: int) -> list[str]:
    """What is queued (or was, before it was scrubbed) for one Telegram chat."""
    return [
        item.payload.get("text", "")
        for item in outbox_items(db)
        if item.payload["chat_id"] == chat_id
    ]


def get_handoff(db: Database, handoff_id: int) -> Handoff:
    with db.session() as session:
        handoff = session.get(Handoff, handoff_id)
        assert handoff is not None
        session.expunge(handoff)
        return handoff


def parent_messages(db: Database, conversation_id: str) -> list[Message]:
    with db.session() as session:
        return list(
            session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.id)
            )
        )


@pytest.fixture
def handed_off(
    service: HandoffService, desk: MentorDesk, db: Database
) -> Callable[[int, str], int]:
    """A parent's request accepted by a mentor; returns the handoff id."""

    def start(mentor: int, conversation_id: str) -> int:
        service.request(conversation_id, "talk_to_human")
        with db.session() as session:
            handoff_id = session.scalars(
                select(Handoff.id).where(
                    Handoff.conversation_id == conversation_id, Handoff.state == "queued"
                )
            ).one()
        assert desk.accept(mentor, handoff_id) is None
        return handoff_id

    return start


@dataclass(frozen=True)
class Active:
    """An English web parent talking with Amina, an English mentor."""

    amina: int
    conversation: str
    handoff_id: int


@pytest.fixture
def active(
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
) -> Active:
    amina = add_mentor("Amina", "en")
    conversation = parent("en")
    return Active(amina, conversation, handed_off(amina, conversation))
