"""Crisis handling through the real stack: the screen answers, and everyday look-alikes never do.

The assistant's own crisis intent is a second signal only: on words the screen did not catch
it checks gently ("are you safe?") and raises no alert until the parent says they are not safe.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from bot.i18n import translate
from bot.i18n.crisis import crisis_messages
from tests.integration.conftest import WebChat
from tests.integration.stack import Stack
from tests.safety.conftest import crisis_messages as crisis_set
from tests.safety.conftest import everyday_messages

pytestmark = pytest.mark.integration

OpenChat = Callable[..., WebChat]
LANGUAGES = ("en", "so", "tr")
CHECK = (
    "I'm sorry if things feel hard right now. If you or your baby are in danger, call 999. "
    "You can call Samaritans free on 116 123, day or night."
)


def urgent_requests(stack: Stack, conversation_id: str) -> int:
    with sqlite3.connect(stack.settings.database_url.removeprefix("sqlite:///")) as db:
        found: int = db.execute(
            "SELECT COUNT(*) FROM handoffs WHERE conversation_id = ? AND urgent = 1",
            (conversation_id,),
        ).fetchone()[0]
    return found


def texts(reply: dict[str, Any]) -> list[str]:
    return [m["text"] for m in reply["messages"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyday_look_alikes_get_no_crisis_reply_and_no_alert(
    stack: Stack, web: OpenChat, language: str
) -> None:
    crisis_texts = {m.text for m in crisis_messages(language, None)}
    check = translate(language, CHECK)
    triggered, checked = [], []
    for text in everyday_messages(language):
        chat = web(language)  # each as a parent's first words, out of any other flow
        reply = chat.say(text)
        if crisis_texts & set(texts(reply)) or urgent_requests(stack, chat.id):
            triggered.append(text)
        elif check in texts(reply):
            checked.append(text)
        chat.close()
    print(f"{language}: {len(checked)} of {len(everyday_messages(language))} checked gently")
    assert triggered == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_crisis_message_gets_the_crisis_reply_first_and_an_urgent_alert(
    stack: Stack, web: OpenChat, language: str
) -> None:
    chat = web(language)
    kind, text = crisis_set(language)[0]
    reply = chat.say(text)
    assert texts(reply)[: len(crisis_messages(language, kind))] == [
        m.text for m in crisis_messages(language, kind)
    ]
    assert "116 123" in "\n".join(texts(reply))
    assert urgent_requests(stack, chat.id) == 1
