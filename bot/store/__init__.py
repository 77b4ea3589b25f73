"""Our database: SQLAlchemy models (`bot.store.models`), engines, sessions, the Alembic
migration applied at start, and, between processes on PostgreSQL, wake-ups (LISTEN/NOTIFY)
and a lock one process holds at a time (an advisory lock)."""

from bot.store.advisory_lock import AdvisoryLock
from bot.store.database import Database
from bot.store.engine import make_engine
from bot.store.notifications import CONVERSATION, OUTBOX, Notifications, on_postgresql

__all__ = [
    "CONVERSATION",
    "OUTBOX",
    "AdvisoryLock",
    "Database",
    "Notifications",
    "make_engine",
    "on_postgresql",
]
