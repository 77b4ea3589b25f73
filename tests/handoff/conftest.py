from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.handoff import mentors
from bot.handoff.desk import MentorDesk
from bot.handoff.service import HandoffService
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Conversation

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
def db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'handoff.db'}")
    database.migrate()
    return database


@pytest.fixture
def settings() -> Settings:
    return Settings(duty_hours="Mon-Fri 09:00-17:00", handoff_escalate_minutes=10)


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
def desk(db: Database, notified: list[str]) -> MentorDesk:
    return MentorDesk(db, outbox_notify=lambda: None, parent_notify=notified.append)


@pytest.fixture
def add_mentor(db: Database) -> Callable[..., int]:
    """Invite and register a mentor; returns their Telegram user id (= chat id)."""
    counter = iter(range(1000, 2000))

    def add(
        name: str = "Amina", languages: str = "so,en", organisation: str = "Manor Gardens"
    ) -> int:
        user_id = next(counter)
        with db.session() as session:
            _mentor, code = mentors.invite(session, name, languages, organisation)
        with db.session() as session:
            assert mentors.register(session, code, user_id, user_id) is not None
        return user_id

    return add


@pytest.fixture
def parent(db: Database) -> Callable[..., str]:
    def make(language: str = "so", channel: str = "web", chat_id: int | None = None) -> str:
        with db.session() as session:
            conversation = Conversation(
                channel=channel,
                external_id_hash=f"{channel}-{language}-{chat_id}-{id(object())}",
                language=language,
                telegram_chat_id=chat_id,
            )
            session.add(conversation)
            session.flush()
            return conversation.id

    return make
