"""Our database: SQLAlchemy models (`bot.store.models`), engines, sessions, the Alembic
migration applied at start, and wake-ups between processes on PostgreSQL (LISTEN/NOTIFY)."""

from bot.store.database import Database
from bot.store.engine import make_engine
from bot.store.notifications import CONVERSATION, OUTBOX, Notifications, on_postgresql

__all__ = ["CONVERSATION", "OUTBOX", "Database", "Notifications", "make_engine", "on_postgresql"]
