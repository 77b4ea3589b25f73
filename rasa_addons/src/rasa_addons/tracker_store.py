"""A SQL tracker store that loads a bounded window of the conversation session.

Rasa's `SQLTrackerStore` loads every event of the current session on every message and
replays them into a tracker. Everything after that (the RulePolicy's featurisation, the
tracker copy made for each action, the tracker sent to the action server) walks the whole
session too, so a turn got slower with every message until the session expired.

`WindowedSQLTrackerStore` keeps Rasa's table (`events`, one row per event) and writes exactly
the rows Rasa's store writes, so anything that reads or deletes rows by `sender_id` (the
gateway's erasure and retention) works as before. It changes what is loaded:

* the events from the start of the `max_turns`-th latest user turn (the `action_listen`
  before that user message) up to now, and
* before them, only the events that still carry state: the latest value of each slot (after
  the latest restart or slot reset), the latest active loop and loop interruption, and the
  latest pause or resume.

A tracker rebuilt from these has the same slots, active loop, latest message, latest action
and recent turns as one rebuilt from the whole session; rules see the same recent history
(a rule spans one or two turns). A session shorter than the window, or one with a rewind or
undo before the window (they revert events by position), is loaded whole, as Rasa does.
Rules with `conversation_start: true` must not be used with a window: to the policies a
windowed tracker starts at its window.

Saving writes only the events added since the tracker was loaded. A tracker this store did
not load (Rasa builds some, e.g. when it replaces a conversation's events over the HTTP API)
is saved by Rasa's own logic.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

log = logging.getLogger(__name__)

# How many of the latest user turns a loaded tracker holds, unless endpoints.yml says otherwise.
DEFAULT_MAX_TURNS = 5

INDEX_NAME = "ix_events_sender_id_type_name"

# The number of this tracker's events that are already stored; set on trackers we load.
_STORED = "_rasa_addons_stored_events"

# Events whose latest occurrence before the window still shapes the tracker (besides slots).
_LOOP_TYPES = ("active_loop", "form", "loop_interrupted", "form_validation")
_PAUSE_TYPES = ("pause", "resume")
# Events that reset state: everything before them is irrelevant to the state.
_RESET_ALL = "restart"
_RESET_SLOTS = "reset_slots"
# Events that undo earlier events by position: with one before the window, load the session whole.
_POSITIONAL = ("rewind", "undo")


def sqlite_engine(url: sa.engine.URL, wal: bool) -> sa.engine.Engine:
    """An engine that keeps one SQLite connection open between messages.

    SQLAlchemy 1.4 opens and closes a SQLite file connection for every use (NullPool), which
    also drops SQLite's page cache. A kept connection sees other processes' writes (the
    gateway's erasure) as any SQLite connection does: SQLite checks the file at each transaction.
    With `wal`, the file is switched to write-ahead logging with synchronous=NORMAL: a commit
    no longer writes and deletes a journal file, and stays safe when a process crashes; an
    operating-system crash or power cut may lose the last turns' events.
    """
    engine = sa.create_engine(
        url,
        poolclass=sa.pool.QueuePool,
        pool_size=1,
        max_overflow=4,
        connect_args={"check_same_thread": False},
    )
    if wal:

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    return engine


def ensure_schema(url: str, schema: str) -> None:
    """Create the PostgreSQL schema Rasa's tables go in (POSTGRESQL_SCHEMA), when missing.

    Rasa sets the schema as the connections' search_path and creates its tables there, but
    stops when the schema does not exist. Several Rasa processes may start at once: the
    loser of the race finds the schema made.
    """
    # Rasa puts the name unquoted in the search_path: a plain lower-case name means one schema.
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
        raise ValueError("POSTGRESQL_SCHEMA must be a plain lower-case name")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    except (sa.exc.IntegrityError, sa.exc.ProgrammingError) as error:
        log.debug("schema %s made by another process (%s)", schema, type(error).__name__)
    finally:
        engine.dispose()


_EVENT_CLASSES: dict[str, type] = {}


def deserialise(data: str) -> Event | None:
    """One stored event, as `Event.from_parameters` makes it, without its per-event class search.

    Rasa looks for the event's class by walking every subclass of Event, recursively, for each
    event it reads: ~0.1 ms an event, most of the cost of loading a tracker.
    """
    parameters = json.loads(data)
    name = parameters.get("event")
    if not _EVENT_CLASSES:
        for cls in all_subclasses(Event):  # the first class of a name wins, as in Rasa
            _EVENT_CLASSES.setdefault(cls.type_name, cls)
    cls = _EVENT_CLASSES.get(name) if isinstance(name, str) else None
    if cls is None:  # an event class imported later, or none: Rasa's own rules
        return Event.from_parameters(parameters)
    return cls._from_parameters(parameters)


class WindowedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, loading the latest `max_turns` turns and the state before them.

    endpoints.yml:

        tracker_store:
          type: rasa_addons.tracker_store.WindowedSQLTrackerStore
          dialect: sqlite
          db: var/rasa_tracker.db
          max_turns: 5
          sqlite_wal: true    # optional, see sqlite_engine

    or, with a whole SQLAlchemy URL as `url` (Rasa takes a URL in `url` as it is):
    `sqlite:////abs/path.db`, or `postgresql+psycopg2://user:pw@host/db` with the schema in
    the POSTGRESQL_SCHEMA environment variable (Rasa's own setting; made when missing).
    """

    def __init__(
        self,
        domain: Domain | None = None,
        event_broker: EventBroker | None = None,
        max_turns: int = DEFAULT_MAX_TURNS,
        sqlite_wal: bool = False,
        **kwargs: Any,
    ) -> None:
        host = kwargs.get("host")
        schema = os.environ.get("POSTGRESQL_SCHEMA")
        if schema and isinstance(host, str) and host.startswith("postgresql"):
            ensure_schema(host, schema)
        super().__init__(domain=domain, event_broker=event_broker, **kwargs)
        self.max_turns = int(max_turns)
        if self.max_turns < 1:
            raise ValueError("max_turns must be at least 1")
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, ""):
            self.engine = sqlite_engine(self.engine.url, wal=bool(sqlite_wal))
        self._events = self.SQLEvent.__table__
        # The window's queries look up a sender's events by type; without this index each one
        # reads every row of the sender, which grows with the conversation.
        # Plain DDL (SQLite and PostgreSQL both know IF NOT EXISTS): an Index object would be
        # added to the table of Rasa's own store class, which every instance shares.
        # Two PostgreSQL processes starting at once may race to make it: one wins, as with
        # Rasa's own tables.
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.text(
                        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
                        f"ON {self._events.name} (sender_id, type_name)"
                    )
                )
        except (sa.exc.IntegrityError, sa.exc.ProgrammingError) as error:
            log.debug("index made by another process (%s)", type(error).__name__)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session's tracker, from its state-carrying events and its latest turns."""
        with self.engine.connect() as connection:
            rows = self._window_rows(connection, sender_id)
        if not rows:
            return None
        events = [event for event in map(deserialise, rows) if event is not None]
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        setattr(tracker, _STORED, len(tracker.events))
        return tracker

    def _window_rows(self, connection: sa.engine.Connection, sender_id: str) -> list[str]:
        """The `data` of the events to load, in order: state before the window, then the window."""
        table = self._events
        mine = table.c.sender_id == sender_id
        session_start = connection.execute(
            sa.select(sa.func.max(table.c.timestamp)).where(
                mine, table.c.type_name == "session_started"
            )
        ).scalar()
        in_session = [mine]
        if session_start is not None:
            in_session.append(table.c.timestamp >= session_start)

        # The max_turns-th latest user message of the session, and the action before it.
        first_user = connection.execute(
            sa.select(table.c.id)
            .where(*in_session, table.c.type_name == "user")
            .order_by(table.c.id.desc())
            .limit(1)
            .offset(self.max_turns - 1)
        ).scalar()
        start = None
        if first_user is not None:
            start = connection.execute(
                sa.select(sa.func.max(table.c.id)).where(
                    *in_session, table.c.type_name == "action", table.c.id < first_user
                )
            ).scalar()
        if start is None:  # the whole session fits in the window
            return self._data(connection, sa.and_(*in_session))

        before = [*in_session, table.c.id < start]
        latest = dict(
            connection.execute(
                sa.select(table.c.type_name, sa.func.max(table.c.id))
                .where(
                    *before,
                    table.c.type_name.in_(
                        (_RESET_ALL, _RESET_SLOTS, *_POSITIONAL, *_LOOP_TYPES, *_PAUSE_TYPES)
                    ),
                )
                .group_by(table.c.type_name)
            ).all()
        )
        if any(kind in latest for kind in _POSITIONAL):
            return self._data(connection, sa.and_(*in_session))

        restart = latest.get(_RESET_ALL, 0)
        slots_from = max(restart, latest.get(_RESET_SLOTS, 0))
        # The latest loop, the latest interruption of it, and the latest pause or resume.
        loop = max(latest.get(kind, 0) for kind in _LOOP_TYPES[:2])
        interrupted = max(latest.get(kind, 0) for kind in _LOOP_TYPES[2:])
        paused = max(latest.get(kind, 0) for kind in _PAUSE_TYPES)
        kept = [i for i in (loop, interrupted if interrupted > loop else 0, paused) if i > restart]
        # The latest event of each slot (Rasa stores a slot event's slot name as action_name).
        slots = (
            sa.select(sa.func.max(table.c.id))
            .where(*before, table.c.type_name == "slot", table.c.id > slots_from)
            .group_by(table.c.action_name)
        )
        kept.extend(connection.execute(slots).scalars().all())
        return self._data(
            connection,
            sa.or_(sa.and_(*in_session, table.c.id >= start), table.c.id.in_(sorted(kept))),
        )

    def _data(self, connection: sa.engine.Connection, where: Any) -> list[str]:
        table = self._events
        query = sa.select(table.c.data).where(where).order_by(table.c.id)
        return list(connection.execute(query).scalars().all())

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events added since this store loaded the tracker."""
        stored = getattr(tracker, _STORED, None)
        if stored is None:
            await super().save(tracker)
            return
        new = list(itertools.islice(tracker.events, stored, None))
        if not new:
            return
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new, tracker.sender_id)
        rows: list[dict[str, Any]] = []
        for event in new:
            data = event.as_dict()
            rows.append(
                {
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                }
            )
        with self.engine.begin() as connection:
            connection.execute(self._events.insert(), rows)
        setattr(tracker, _STORED, len(tracker.events))
