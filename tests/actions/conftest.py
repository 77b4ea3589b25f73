"""A small services directory in tmp_path and rasa-sdk tracker fixtures for the action tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import context
from bot.directory import live
from bot.settings import Settings

# A Tuesday morning in London.
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

HEADER = """\
version: 1
locations:
  - id: hub-north
    name: {en: North Hub, so: Xarunta Waqooyi, tr: Kuzey Merkezi}
    address: 1 High Street, London
    postcode: N7 6AA
    area: Holloway
services:
"""


def service(
    id: str,
    category: str,
    *,
    tags: str = "",
    languages: str = "en",
    access: str = "drop_in",
    day: str = "wednesday",
    start: str = "10:00",
) -> str:
    """One service entry of the test directory."""
    return f"""\
  - id: {id}
    name: {{en: "{id}"}}
    description: {{en: "About {id}"}}
    category: {category}
    tags: [{tags}]
    languages: [{languages}]
    locations: [hub-north]
    schedule:
      - {{day: {day}, start: "{start}", end: "23:00"}}
    access: [{access}]
    last_reviewed: 2026-11-01
"""


SERVICES = [
    service(
        "hub-north-centre",
        "family_hub",
        tags="family_hub",
        languages="en, so",
        day="tuesday",
        start="08:00",
    ),
    service("hub-east-centre", "family_hub", tags="family_hub", day="friday"),
    service("play-1", "group", tags="stay_and_play", day="monday"),
    service("play-2", "group", tags="stay_and_play", day="tuesday"),
    service("play-3", "group", tags="stay_and_play", day="wednesday"),
    service("play-4", "group", tags="stay_and_play", day="thursday"),
    service("play-5", "group", tags="stay_and_play", day="friday"),
    service("massage", "group", tags="baby_massage", day="thursday"),
    service("somali-parents", "group", tags="parenting", languages="so, en", day="wednesday"),
    service("turkish-parents", "group", tags="parenting", languages="tr, en", day="friday"),
    service("mentors-so", "maternity_mentor", tags="maternity_mentor", languages="so, en"),
    service("mentors-tr", "maternity_mentor", tags="maternity_mentor", languages="tr, en"),
    service("perinatal-team", "mental_health", access="gp_referral, health_visitor_referral"),
    service("psychology", "mental_health", access="health_visitor_referral", day="thursday"),
    service("talking-therapies", "mental_health", access="self_referral", day="friday"),
    service("pandas", "mental_health", access="self_referral", day="saturday"),
    service("feeding-team", "infant_feeding", tags="breastfeeding"),
]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context, "now", lambda: NOW)


@pytest.fixture
def directory_file(tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test directory, made the process-wide live directory for the test's duration."""
    path = tmp_path / "services_directory.yaml"
    path.write_text(HEADER + "".join(SERVICES), encoding="utf-8")
    monkeypatch.setattr(live, "_live", None)
    live.set_directory_path(path, settings.zone, reload_seconds=0)
    return path


def make_tracker(
    intent: str = "greet",
    entities: dict[str, str] | None = None,
    *,
    language: str | None = "en",
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message has this intent and these entities."""
    latest = {
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
        "text": f"/{intent}",
    }
    slots = {"language": language, "group_type": None, "day": None, "page": None}
    history = [*(events or []), {"event": "user", "text": latest["text"], "parse_data": latest}]
    return Tracker("conversation-1", slots, latest, history, False, None, {}, "action_listen")


def user(intent: str) -> dict[str, Any]:
    """A past user message event with this intent."""
    return {
        "event": "user",
        "text": intent,
        "parse_data": {"intent": {"name": intent}, "entities": []},
    }


Run = Callable[..., tuple[list[dict[str, Any]], list[dict[str, Any]]]]


@pytest.fixture
def run() -> Run:
    """Run an action on a tracker; returns (messages sent, events returned)."""

    def _run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        dispatcher = CollectingDispatcher()
        events = action.run(dispatcher, tracker, {})
        return dispatcher.messages, events

    return _run


def responses(messages: list[dict[str, Any]]) -> list[str]:
    """The response name (or directive) of each message, in order."""
    return [m.get("response") or f"directive:{m['custom'].get('directive')}" for m in messages]


def cards(messages: list[dict[str, Any]]) -> list[str]:
    """The service ids of the cards sent, in order."""
    return [m["service_id"] for m in messages if "service_id" in m]
