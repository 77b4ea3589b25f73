"""Rasa's SQL tracker store, reached directly so that erasure and retention cover it too."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from bot.store.engine import make_engine

log = logging.getLogger(__name__)

EVENTS_TABLE = "events"


class TrackerStore:
    """The `events` table Rasa writes (one row per event, keyed by sender_id = conversation id).

    On PostgreSQL Rasa's tables live in their own schema (`schema`, RASA_TRACKER_SCHEMA), which
    Rasa sets as its connections' search path; here the table is named with it.
    """

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        on_postgresql = make_url(url).get_backend_name() == "postgresql"
        self.schema = schema if on_postgresql and schema else None
        self.table = f"{self.schema}.{EVENTS_TABLE}" if self.schema else EVENTS_TABLE
        self._engine: Engine | None = None

    def _ready(self) -> Engine | None:
        """The engine, or None while Rasa has not created its database or table yet."""
        parsed = make_url(self.url)
        on_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
            None,
            "",
            ":memory:",
        )
        # Never create Rasa's database file ourselves: Rasa would then find an empty file.
        if on_file and not Path(parsed.database or "").exists():
            return None
        if self._engine is None:
            self._engine = make_engine(self.url)
        if not inspect(self._engine).has_table(EVENTS_TABLE, schema=self.schema):
            return None
        return self._engine

    def erase(self, sender_id: str) -> int:
        """Delete every event of one sender; returns how many rows went."""
        engine = self._ready()
        if engine is None:
            return 0
        with engine.begin() as connection:
            result = connection.execute(
                text(f"DELETE FROM {self.table} WHERE sender_id = :sender"), {"sender": sender_id}
            )
        return int(result.rowcount or 0)

    def count(self, sender_id: str) -> int:
        """How many events one sender has (0 when the table does not exist)."""
        engine = self._ready()
        if engine is None:
            return 0
        with engine.connect() as connection:
            found = connection.execute(
                text(f"SELECT COUNT(*) FROM {self.table} WHERE sender_id = :sender"),
                {"sender": sender_id},
            ).scalar_one()
        return int(found)

    def latest_intent(self, sender_id: str, until: float) -> str | None:
        """The intent Rasa read in one sender's latest message up to `until` (a Unix time)."""
        engine = self._ready()
        if engine is None:
            return None
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    f"SELECT intent_name FROM {self.table} WHERE sender_id = :sender"
                    " AND type_name = 'user' AND timestamp <= :until ORDER BY id DESC LIMIT 1"
                ),
                {"sender": sender_id, "until": until},
            ).first()
        return str(found[0]) if found is not None and found[0] else None

    def purge_before(self, cutoff_timestamp: float) -> int:
        """Delete events older than a Unix timestamp (Rasa stores event time as a float)."""
        engine = self._ready()
        if engine is None:
            return 0
        with engine.begin() as connection:
            result = connection.execute(
                text(f"DELETE FROM {self.table} WHERE timestamp < :cutoff"),
                {"cutoff": cutoff_timestamp},
            )
        return int(result.rowcount or 0)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
