"""A flood from one sender is slowed down, but a crisis message always gets the crisis reply."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from bot.gateway import replies
from bot.i18n.crisis import crisis_messages
from bot.safety import screen
from tests.integration.conftest import WebChat
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration

OpenChat = Callable[..., WebChat]

CRISIS = "kendimi öldürmek istiyorum"


def _post(chat: WebChat, text: str) -> httpx.Response:
    return chat.http.post(f"/api/sessions/{chat.id}/messages", json={"text": text})


def test_a_crisis_message_gets_the_crisis_reply_while_rate_limited(
    stack: Stack, web: OpenChat
) -> None:
    chat = web("tr")
    limit = stack.settings.rate_limit_per_minute
    # Empty messages count towards the limit, and the gateway answers them without Rasa: quick.
    answered = 0
    while (flooded := _post(chat, "")).status_code == 200:
        answered += 1
        assert answered <= limit, f"{answered} messages in a minute and no rate limit"
    assert flooded.status_code == 429, flooded.text
    assert answered == limit, f"rate limited after {answered} messages, not {limit}"
    limited = _post(chat, "merhaba")
    assert limited.status_code == 429
    assert (
        limited.json()["message"]
        == replies.too_fast("tr", int(limited.headers["Retry-After"])).text
    )

    match = screen(CRISIS, "tr")
    assert match is not None
    response = _post(chat, CRISIS)
    assert response.status_code == 200, f"{response.status_code}: {response.text}"
    reply = response.json()
    assert reply["language"] == "tr"
    shown = [m["text"] for m in reply["messages"]]
    wanted = [m.text for m in crisis_messages("tr", match.kind)]
    assert shown[: len(wanted)] == wanted, shown
    everything = "\n".join(shown)
    for number in ("999", "111", "116 123", "85258"):
        assert number in everything, f"{number} missing from {everything!r}"

    # The crisis got through; the flood is still slowed down.
    assert _post(chat, "merhaba").status_code == 429
