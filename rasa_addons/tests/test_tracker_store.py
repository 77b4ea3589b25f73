"""WindowedSQLTrackerStore against Rasa's own SQLTrackerStore on the same database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from rasa_addons.tracker_store import WindowedSQLTrackerStore

SENDER = "c0ffee"

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "find_groups", "crisis"],
        "entities": ["group_type"],
        "slots": {
            "language": {
                "type": "categorical",
                "values": ["en", "so", "tr"],
                "influence_conversation": False,
                "mappings": [{"type": "custom"}],
            },
            "group_type": {
                "type": "text",
                "influence_conversation": False,
                "mappings": [{"type": "from_entity", "entity": "group_type"}],
            },
            "safety_check": {
                "type": "categorical",
                "values": ["self", "other", "none"],
                "influence_conversation": True,
                "mappings": [{"type": "custom"}],
            },
        },
        "responses": {"utter_greet": [{"text": "Hello"}]},
        "actions": ["action_find_groups"],
        "forms": {"a_form": {"required_slots": []}},
    }
)


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


def windowed(db: Path, max_turns: int = 3) -> WindowedSQLTrackerStore:
    return WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), max_turns=max_turns)


def rasas(db: Path) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))


def session_start() -> list[Event]:
    return [
        ActionExecuted(ACTION_SESSION_START_NAME),
        SessionStarted(),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


def turn(number: int, *extra: Event) -> list[Event]:
    """One user turn as Rasa logs it: the message, any slots, a reply, then listening again."""
    return [
        UserUttered(f"message {number}", {"name": "greet", "confidence": 1.0}),
        *extra,
        ActionExecuted("utter_greet"),
        BotUttered(f"reply {number}"),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


def append(store: TrackerStore, events: list[Event]) -> DialogueStateTracker:
    """What Rasa does on a message: retrieve (or create), add events, save."""
    tracker = run(store.retrieve(SENDER)) or store.init_tracker(SENDER)
    for event in events:
        tracker.update(event, DOMAIN)
    run(store.save(tracker))
    return tracker


def talk(store: TrackerStore, turns: int, start: int = 0) -> None:
    for number in range(start, start + turns):
        append(store, turn(number))


def names(tracker: DialogueStateTracker) -> list[str]:
    return [event.type_name for event in tracker.events]


def user_texts(tracker: DialogueStateTracker) -> list[str]:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_a_short_session_loads_as_rasa_loads_it(db: Path) -> None:
    store = windowed(db, max_turns=5)
    append(store, session_start())
    talk(store, 4)
    mine, theirs = run(store.retrieve(SENDER)), run(rasas(db).retrieve(SENDER))
    assert mine is not None and theirs is not None
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]


def test_a_long_session_loads_its_latest_turns_and_the_state_before_them(db: Path) -> None:
    store = windowed(db, max_turns=3)
    append(store, [*session_start(), SlotSet("language", "so")])
    append(store, turn(0, SlotSet("group_type", "massage"), SlotSet("safety_check", "none")))
    append(store, turn(1, SlotSet("group_type", "stay_and_play")))
    talk(store, 20, start=2)
    mine, theirs = run(store.retrieve(SENDER)), run(rasas(db).retrieve(SENDER))
    assert user_texts(mine) == ["message 19", "message 20", "message 21"]
    # The state before the window: only the latest value of each slot, then the window itself,
    # from the action_listen before its first message.
    assert names(mine)[:4] == ["slot", "slot", "slot", "action"]
    assert mine.current_slot_values() == theirs.current_slot_values()
    assert mine.get_slot("group_type") == "stay_and_play"
    assert mine.latest_message.text == theirs.latest_message.text
    assert mine.latest_action_name == theirs.latest_action_name == ACTION_LISTEN_NAME
    assert [e.as_dict() for e in mine.events][-13:] == [e.as_dict() for e in theirs.events][-13:]


def test_the_loaded_window_does_not_grow_with_the_session(db: Path) -> None:
    store = windowed(db, max_turns=3)
    append(store, [*session_start(), SlotSet("language", "tr")])
    talk(store, 10)
    at_ten = len(run(store.retrieve(SENDER)).events)
    talk(store, 40, start=10)
    assert len(run(store.retrieve(SENDER)).events) == at_ten


def test_saving_a_loaded_tracker_writes_only_its_new_events(db: Path) -> None:
    store = windowed(db, max_turns=2)
    append(store, session_start())
    talk(store, 12)
    reference_db = db.parent / "reference.db"
    reference = rasas(reference_db)
    append(reference, session_start())
    talk(reference, 12)

    def stored(path: Path) -> list:
        query = "SELECT type_name, intent_name, action_name FROM events ORDER BY id"
        return sqlite3.connect(path).execute(query).fetchall()

    assert stored(db) == stored(reference_db)
    full = run(rasas(db).retrieve(SENDER))
    untimed = lambda tracker: [  # noqa: E731
        {k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in tracker.events
    ]
    assert untimed(full) == untimed(run(reference.retrieve(SENDER)))


def test_saving_twice_writes_each_event_once(db: Path) -> None:
    store = windowed(db, max_turns=2)
    append(store, session_start())
    tracker = run(store.retrieve(SENDER))
    tracker.update(SlotSet("language", "en"))
    run(store.save(tracker))
    run(store.save(tracker))
    tracker.update(SlotSet("language", "so"))
    run(store.save(tracker))
    slots = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events WHERE type_name = 'slot'")
    assert slots.fetchone()[0] == 2


def test_a_tracker_it_did_not_load_is_saved_by_rasas_rules(db: Path) -> None:
    store = windowed(db)
    append(store, session_start())
    built = DialogueStateTracker.from_events(
        SENDER, [*session_start(), *turn(0)], slots=DOMAIN.slots
    )
    run(store.save(built))  # Rasa's store skips as many events as it already holds
    assert len(run(rasas(db).retrieve(SENDER)).events) == len(built.events)


def test_slot_resets_and_restarts_before_the_window_are_respected(db: Path) -> None:
    store = windowed(db, max_turns=2)
    append(store, [*session_start(), SlotSet("language", "so"), SlotSet("group_type", "x")])
    append(store, turn(0, AllSlotsReset(), SlotSet("group_type", "massage")))
    append(store, turn(1, ActiveLoop("a_form"), ConversationPaused()))
    append(store, turn(2, Restarted(), SlotSet("language", "tr")))
    talk(store, 6, start=3)
    mine, theirs = run(store.retrieve(SENDER)), run(rasas(db).retrieve(SENDER))
    assert mine.current_slot_values() == theirs.current_slot_values()
    assert mine.get_slot("group_type") is None and mine.get_slot("language") == "tr"
    assert mine.active_loop_name == theirs.active_loop_name is None
    assert mine.is_paused() == theirs.is_paused() is False


def test_loop_and_pause_before_the_window_are_kept(db: Path) -> None:
    store = windowed(db, max_turns=2)
    append(store, session_start())
    append(store, turn(0, ActiveLoop("a_form"), ConversationPaused()))
    talk(store, 6, start=1)
    mine, theirs = run(store.retrieve(SENDER)), run(rasas(db).retrieve(SENDER))
    assert mine.active_loop_name == theirs.active_loop_name == "a_form"
    assert mine.is_paused() and theirs.is_paused()


def test_a_rewind_before_the_window_loads_the_whole_session(db: Path) -> None:
    store = windowed(db, max_turns=2)
    append(store, session_start())
    append(store, turn(0, UserUtteranceReverted()))
    talk(store, 6, start=1)
    mine, theirs = run(store.retrieve(SENDER)), run(rasas(db).retrieve(SENDER))
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]


def test_only_the_latest_session_is_loaded(db: Path) -> None:
    store = windowed(db, max_turns=3)
    append(store, [*session_start(), SlotSet("language", "so")])
    talk(store, 5)
    append(store, [*session_start(), SlotSet("language", "so")])  # a new session, slots carried
    talk(store, 1, start=100)
    mine = run(store.retrieve(SENDER))
    assert user_texts(mine) == ["message 100"]
    assert [e.as_dict() for e in mine.events] == [
        e.as_dict() for e in run(rasas(db).retrieve(SENDER)).events
    ]


def test_a_conversation_whose_events_were_deleted_is_gone(db: Path) -> None:
    store = windowed(db)
    append(store, session_start())
    talk(store, 5)
    with sqlite3.connect(db) as connection:  # what the gateway's erasure does
        connection.execute("DELETE FROM events WHERE sender_id = ?", (SENDER,))
    assert run(store.retrieve(SENDER)) is None
    assert run(store.retrieve("someone else")) is None


def test_max_turns_must_be_positive(db: Path) -> None:
    with pytest.raises(ValueError):
        windowed(db, max_turns=0)


def test_rasa_creates_it_from_an_endpoint_config(db: Path) -> None:
    config = EndpointConfig(
        type="rasa_addons.tracker_store.WindowedSQLTrackerStore",
        dialect="sqlite",
        db=str(db),
        max_turns=4,
    )
    store = TrackerStore.create(config, DOMAIN)
    assert isinstance(store, WindowedSQLTrackerStore) and store.max_turns == 4


PROJECT_ENDPOINTS = Path(__file__).resolve().parents[2] / "bot" / "endpoints.yml"


def test_the_projects_endpoints_file_names_this_store(db: Path, monkeypatch) -> None:
    """Rasa falls back to an in-memory store, with only a warning, on a type it cannot import."""
    for name, value in {
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
        "NLG_URL": "http://127.0.0.1:8000/nlg",
        "RASA_TRACKER_URL": f"sqlite:///{db}",
    }.items():
        monkeypatch.setitem(os.environ, name, value)
    config = read_endpoint_config(str(PROJECT_ENDPOINTS), "tracker_store")
    assert isinstance(TrackerStore.create(config, DOMAIN), WindowedSQLTrackerStore)


def test_with_sqlite_wal_the_file_uses_write_ahead_logging_and_sees_deletions(db: Path) -> None:
    store = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), sqlite_wal=True)
    append(store, session_start())
    talk(store, 3)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        connection.execute("DELETE FROM events WHERE sender_id = ?", (SENDER,))
    assert run(store.retrieve(SENDER)) is None
    talk(store, 1)  # a new conversation under the same id starts from nothing
    assert user_texts(run(store.retrieve(SENDER))) == ["message 0"]
