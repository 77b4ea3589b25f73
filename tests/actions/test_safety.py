"""action_safety_check follows the gateway's verdict on a message the NLU reads as a crisis."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from bot.actions.safety import ActionSafetyCheck
from tests.actions.conftest import Run


def tracker_with(metadata: Any) -> Tracker:
    latest = {"intent": {"name": "crisis", "confidence": 0.9}, "entities": [], "metadata": metadata}
    return Tracker("c1", {}, latest, [], False, None, {}, "action_listen")


@pytest.mark.parametrize("check", ["self", "other", "none"])
def test_the_gateways_verdict_sets_the_slot(run: Run, check: str) -> None:
    messages, events = run(ActionSafetyCheck(), tracker_with({"safety": {"check": check}}))
    assert messages == []
    assert events == [{"event": "slot", "name": "safety_check", "value": check, "timestamp": None}]


@pytest.mark.parametrize(
    "metadata", [None, {}, {"safety": None}, {"safety": {"check": "maybe"}}, "text", {"safety": 1}]
)
def test_without_a_verdict_the_parent_is_asked(run: Run, metadata: Any) -> None:
    """No gateway (rasa shell, a story test) or a garbled verdict: ask gently, never stay silent."""
    _, events = run(ActionSafetyCheck(), tracker_with(metadata))
    assert events[0]["value"] == "self"
