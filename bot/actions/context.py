"""What the actions read from a Rasa tracker: the parent's language and the latest message's entities."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker

from bot.core import DEFAULT_LANGUAGE, LANGUAGES


def now() -> datetime:
    """The current time; tests replace it."""
    return datetime.now(UTC)


def parent_language(tracker: Tracker) -> str:
    """The conversation's language slot, English when unset or unknown."""
    value = tracker.get_slot("language")
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def entities(tracker: Tracker) -> dict[str, str]:
    """The latest message's entities by name (the first value of each), as strings."""
    found: dict[str, str] = {}
    for entity in tracker.latest_message.get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if isinstance(name, str) and value is not None and name not in found:
            found[name] = str(value).strip()
    return found


def page(found: dict[str, str]) -> int:
    """The page a "more" button asked for; 1 when absent or not a positive number."""
    try:
        number = int(found.get("page", "1"))
    except ValueError:
        return 1
    return number if number >= 1 else 1


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the latest user message."""
    intent: dict[str, Any] = tracker.latest_message.get("intent") or {}
    name = intent.get("name")
    return name if isinstance(name, str) else None
