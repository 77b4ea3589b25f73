"""Rasa's tracker table, as Rasa 3.6 lays it out, beside a test's database: a SQLite file of its
own, or the schema `rasa` of the same PostgreSQL database (as `familyhub run` places it)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

from bot.conversations.tracker import TrackerStore
from bot.store.engine import make_engine

SCHEMA = "rasa"


def on_postgresql(database_url: str) -> bool:
    return database_url.startswith("postgresql")


def tracker_url(database_url: str, folder: Path) -> str:
    if on_postgresql(database_url):
        return database_url
    return f"sqlite:///{folder / 'rasa_tracker.db'}"


def rasa_tracker(
    database_url: str,
    folder: Path,
    senders: Iterable[str] = (),
    *,
    types: Iterable[str] = ("user", "bot", "slot"),
    at: float | None = None,
) -> TrackerStore:
    """Rasa's `events` table with one event of each of `types` per sender, at `at` (now)."""
    url = tracker_url(database_url, folder)
    postgresql = on_postgresql(database_url)
    table = Table(
        "events",
        MetaData(schema=SCHEMA if postgresql else None),
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255), nullable=False),
        Column("type_name", String(255), nullable=False),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
        Column("action_name", String(255)),
        Column("data", Text),
    )
    engine = make_engine(url)
    with engine.begin() as connection:
        if postgresql:
            connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        table.create(connection, checkfirst=True)
        rows = [
            {
                "sender_id": sender,
                "type_name": kind,
                "timestamp": time.time() if at is None else at,
                "data": '{"text": "waan daalay"}',
            }
            for sender in senders
            for kind in types
        ]
        if rows:
            connection.execute(table.insert(), rows)
    engine.dispose()
    return TrackerStore(url, schema=SCHEMA)
