"""WindowedSQLTrackerStore on PostgreSQL, in a schema of its own, as `familyhub run` starts it.

The server is a throwaway cluster (tests/servers.py); Rasa's side reaches it with psycopg2.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.events import ActiveLoop, Restarted, SlotSet, UserUtteranceReverted
from rasa.utils.endpoints import read_endpoint_config
from test_tracker_store import (
    DOMAIN,
    PROJECT_ENDPOINTS,
    SENDER,
    append,
    run,
    session_start,
    talk,
    turn,
    user_texts,
)

from rasa_addons.tracker_store import INDEX_NAME, WindowedSQLTrackerStore

SCHEMA = "rasa"


@pytest.fixture(autouse=True)
def schema(monkeypatch: pytest.MonkeyPatch) -> str:
    """Rasa's own setting for the schema of its tables, as `familyhub run` sets it."""
    monkeypatch.setenv("POSTGRESQL_SCHEMA", SCHEMA)
    monkeypatch.setenv("POSTGRESQL_POOL_SIZE", "2")
    monkeypatch.setenv("POSTGRESQL_MAX_OVERFLOW", "2")
    return SCHEMA


def windowed(url: str, max_turns: int = 3) -> WindowedSQLTrackerStore:
    return WindowedSQLTrackerStore(domain=DOMAIN, host=url, max_turns=max_turns)


def rasas(url: str) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, host=url)


def rows(url: str, query: str) -> list[tuple]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def test_its_tables_and_index_are_made_in_their_own_schema(postgres_url: str) -> None:
    windowed(postgres_url)
    assert rows(postgres_url, "SELECT schemaname FROM pg_tables WHERE tablename = 'events'") == [
        (SCHEMA,)
    ]
    assert rows(
        postgres_url, f"SELECT schemaname FROM pg_indexes WHERE indexname = '{INDEX_NAME}'"
    ) == [(SCHEMA,)]


def test_a_long_session_loads_as_on_sqlite(postgres_url: str) -> None:
    store = windowed(postgres_url, max_turns=3)
    append(store, [*session_start(), SlotSet("language", "so")])
    append(store, turn(0, SlotSet("group_type", "massage"), ActiveLoop("a_form")))
    append(store, turn(1, ActiveLoop(None)))
    talk(store, 20, start=2)
    mine, theirs = run(store.retrieve(SENDER)), run(rasas(postgres_url).retrieve(SENDER))
    assert mine is not None and theirs is not None
    assert user_texts(mine) == ["message 19", "message 20", "message 21"]
    assert mine.current_slot_values() == theirs.current_slot_values()
    assert mine.active_loop_name == theirs.active_loop_name
    assert mine.latest_message.text == theirs.latest_message.text


def test_restarts_and_rewinds_are_read_as_rasa_reads_them(postgres_url: str) -> None:
    store = windowed(postgres_url, max_turns=2)
    append(store, [*session_start(), SlotSet("language", "tr")])
    append(store, turn(0, UserUtteranceReverted()))
    append(store, turn(1, Restarted()))
    talk(store, 5, start=2)
    mine, theirs = run(store.retrieve(SENDER)), run(rasas(postgres_url).retrieve(SENDER))
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]


def test_deleted_events_are_gone_for_a_running_store(postgres_url: str) -> None:
    store = windowed(postgres_url)
    append(store, session_start())
    talk(store, 3)
    engine = sa.create_engine(postgres_url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:  # what the gateway's erasure does
        connection.execute(
            sa.text(f"DELETE FROM {SCHEMA}.events WHERE sender_id = :s"), {"s": SENDER}
        )
    engine.dispose()
    assert run(store.retrieve(SENDER)) is None


def test_processes_starting_at_once_share_the_schema(postgres_url: str) -> None:
    stores: list[WindowedSQLTrackerStore] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            stores.append(windowed(postgres_url))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(stores) == 3
    append(stores[0], session_start())
    talk(stores[0], 1)
    assert user_texts(run(stores[1].retrieve(SENDER))) == ["message 0"]


def test_the_projects_endpoints_file_reaches_postgresql(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
        "NLG_URL": "http://127.0.0.1:8000/nlg",
        "RASA_TRACKER_URL": postgres_url,
    }.items():
        monkeypatch.setitem(os.environ, name, value)
    config = read_endpoint_config(str(PROJECT_ENDPOINTS), "tracker_store")
    store = TrackerStore.create(config, DOMAIN)
    assert isinstance(store, WindowedSQLTrackerStore)
    assert store.engine.dialect.name == "postgresql"
    append(store, session_start())
    assert rows(postgres_url, f"SELECT count(*) FROM {SCHEMA}.events") == [(3,)]


def test_a_sqlite_url_in_the_endpoints_file_is_a_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("POSTGRESQL_SCHEMA")
    for name, value in {
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
        "NLG_URL": "http://127.0.0.1:8000/nlg",
        "RASA_TRACKER_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
    }.items():
        monkeypatch.setitem(os.environ, name, value)
    config = read_endpoint_config(str(PROJECT_ENDPOINTS), "tracker_store")
    store = TrackerStore.create(config, DOMAIN)
    assert isinstance(store, WindowedSQLTrackerStore)
    append(store, session_start())
    assert (tmp_path / "tracker.db").exists()
    assert (tmp_path / "tracker.db-wal").exists()  # sqlite_wal: true applies
