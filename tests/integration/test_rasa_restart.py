"""Rasa stopped mid-conversation: a clear message at once, then recovery when it is back."""

from __future__ import annotations

import pytest

from tests.integration.conftest import WebChat
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration


def test_rasa_down_then_back(stack: Stack, web: object) -> None:
    chat: WebChat = web("so")  # type: ignore[operator]
    assert chat.say("asc walaal")["messages"]
    stack.supervisor.stop_child("rasa")
    try:
        reply = chat.say("kooxaha ilmaha maxaa jira")
        assert reply["language"] == "so"
        assert reply["messages"][0]["sender"] == "system"
        assert "116 123" in reply["messages"][0]["text"]
        crisis = chat.say("waxaan rabaa inaan is dilo")
        assert "999" in " ".join(m["text"] for m in crisis["messages"])
    finally:
        stack.supervisor.start_child("rasa")
        stack.wait_ready()
    recovered = chat.say("kooxaha ilmaha maxaa jira")
    assert recovered["messages"] and recovered["messages"][0]["sender"] == "bot"
