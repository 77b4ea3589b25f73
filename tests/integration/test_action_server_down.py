"""The action server stopped mid-conversation: a clear message in the parent's language, then recovery."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core import TALK_TO_HUMAN_PAYLOAD
from bot.gateway import replies
from tests.integration import expected
from tests.integration.conftest import WebChat
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration

OpenChat = Callable[..., WebChat]

# Runs action_find_groups (a custom action) whatever the NLU makes of a sentence.
ALL_GROUPS = '/find_groups{"group_type": "any"}'
PHONE = re.compile(r"\b\d{3}(?: ?\d{3})?\b")  # 999, 111, 116 123, 020 7946 0101 …


def texts(reply: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def offers_a_person(message: dict[str, Any]) -> bool:
    """A button to ask for a person, or a number to call."""
    return any(b["payload"] == TALK_TO_HUMAN_PAYLOAD for b in message["buttons"]) or bool(
        PHONE.search(message["text"])
    )


@contextmanager
def stopped_action_server(stack: Stack) -> Iterator[None]:
    """The action server stopped (Rasa and the gateway still up); started again afterwards."""
    stack.supervisor.stop_child("actions")
    try:
        health = stack.health()
        assert health.get("action_server", {}).get("ok") is False, health
        assert health.get("rasa", {}).get("ok") is True, health
        yield
    finally:
        stack.supervisor.start_child("actions")
        stack.wait_ready()


@pytest.fixture
def actions_down(stack: Stack) -> Iterator[None]:
    with stopped_action_server(stack):
        yield


def test_action_server_down_then_back(stack: Stack, web: OpenChat) -> None:
    chat = web("so")
    greeting = chat.say("asc walaal")
    assert greeting["messages"] and greeting["messages"][0]["sender"] == "bot"
    with stopped_action_server(stack):
        reply = chat.tap(ALL_GROUPS)
        assert reply["language"] == "so"
        assert reply["messages"], "silence while the action server is down"
        # Somali, every text and button (an English fallback fails here), and no group cards.
        assert expected.check_language(reply["messages"], "so", (datetime.now(UTC),)) == []
        problem = [m for m in reply["messages"] if m["sender"] == "system"]
        assert problem, f"no message about the problem: {texts(reply)!r}"
        assert any(offers_a_person(m) for m in problem), f"no way to reach a person: {problem}"
        assert texts(reply) != replies.no_answer("en").text
    before = datetime.now(UTC)
    recovered = chat.tap(ALL_GROUPS)
    moments = (before, datetime.now(UTC))
    assert recovered["language"] == "so"
    assert all(m["sender"] == "bot" for m in recovered["messages"]), texts(recovered)
    cards = expected.check_language(recovered["messages"], "so", moments)
    assert [c for c in cards if c.service.category == "group"], texts(recovered)


def test_asking_for_a_person_works_while_the_action_server_is_down(
    web: OpenChat, actions_down: None
) -> None:
    """The error message says "ask to talk to a person": doing so must not give the same error."""
    chat = web("so")
    error = chat.tap(ALL_GROUPS)
    button = next(
        (
            b
            for m in error["messages"]
            for b in m["buttons"]
            if b["payload"] == TALK_TO_HUMAN_PAYLOAD
        ),
        None,
    )
    assert button is not None, texts(error)
    asked = chat.tap(button["payload"])
    assert asked["language"] == "so" and asked["messages"], "silence"
    expected.check_language(asked["messages"], "so", (datetime.now(UTC),))
    assert texts(asked) != texts(error), "asking for a person gives the same error again"
    assert replies.no_answer("so").text not in texts(asked), texts(asked)


def test_no_promise_of_services_left_unkept_while_the_action_server_is_down(
    web: OpenChat, actions_down: None
) -> None:
    """Rules say "these can support you:" before the action that lists them: if it fails, say so."""
    chat = web("so")
    reply = chat.say("niyad jab baan qabaa")
    assert reply["language"] == "so" and reply["messages"], "silence"
    expected.check_language(reply["messages"], "so", (datetime.now(UTC),))
    problem = [m for m in reply["messages"] if m["sender"] == "system"]
    assert problem and any(offers_a_person(m) for m in problem), (
        f"the list of services failed silently: {texts(reply)!r}"
    )
