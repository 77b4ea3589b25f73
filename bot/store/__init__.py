"""Our database: SQLAlchemy models (`bot.store.models`), engines, sessions and the Alembic
migration applied at start."""

from bot.store.database import Database
from bot.store.engine import make_engine

__all__ = ["Database", "make_engine"]
