"""The safety net through the real stack: every dev crisis message gets help, everyday look-alikes
almost never do, one crisis raises one urgent request, and the issue's reported misses are caught.

The dev split's targets (docs/safety.md): every crisis message gets the crisis reply or the gentle
check; at least 90% the crisis reply; at most 2% of everyday messages either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from bot.i18n import translate
from bot.i18n.crisis import TEAM, crisis_messages
from tests.integration.conftest import WebChat
from tests.integration.stack import Stack
from tests.safety.conftest import crisis_messages as crisis_set
from tests.safety.conftest import everyday_messages

pytestmark = pytest.mark.integration

OpenChat = Callable[..., WebChat]
LANGUAGES = ("en", "so", "tr")
# The gentle check's first message (utter_crisis_check, utter_crisis_check_other). The question
# "are you safe right now?" alone is also how the mental_health flow ends (a parent who feels
# low is asked gently), which is not an alarm.
CHECKS = (
    "I'm sorry if things feel hard right now. If you or your baby are in danger, call 999. "
    "You can call Samaritans free on 116 123, day or night.",
    "I'm sorry, that sounds worrying. If they or anyone else are in danger, call 999. "
    "For urgent mental health help, call 111 and choose the mental health option.",
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


def response(reply: dict[str, Any], language: str) -> str | None:
    """ "crisis" for the crisis reply, "check" for the gentle check, else None."""
    said = texts(reply)
    if translate(language, TEAM) in said:
        return "crisis"
    if any(translate(language, check) in said for check in CHECKS):
        return "check"
    return None


def first_words(web: OpenChat, language: str, text: str) -> tuple[str | None, WebChat]:
    """What a parent's first message gets, in a session of their own."""
    chat = web(language)
    return response(chat.say(text), language), chat


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_dev_crisis_message_gets_help_most_the_crisis_reply(
    web: OpenChat, language: str
) -> None:
    got = []
    for _kind, text in crisis_set(language):
        found, chat = first_words(web, language, text)
        got.append((found, text))
        chat.close()
    missed = [text for found, text in got if found is None]
    replies = sum(found == "crisis" for found, _ in got)
    print(
        f"{language}: {replies} crisis replies, {len(got) - replies - len(missed)} checks, "
        f"{len(missed)} missed of {len(got)}"
    )
    assert missed == []
    assert replies >= 0.9 * len(got)


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyday_look_alikes_almost_never_get_a_safety_response(
    stack: Stack, web: OpenChat, language: str
) -> None:
    alarms = []
    for text in everyday_messages(language):
        found, chat = first_words(web, language, text)
        if found is not None:
            alarms.append((found, text, urgent_requests(stack, chat.id)))
        chat.close()
    print(f"{language}: {len(alarms)} of {len(everyday_messages(language))}: {alarms}")
    assert len(alarms) <= 0.02 * len(everyday_messages(language))
    # A gentle check never alerts anyone.
    assert all(urgent == 0 for found, _, urgent in alarms if found == "check")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("tr", "bir kutu hapın hepsini yuttum"),  # I swallowed a whole box of pills
        ("tr", "kocam dün boğazımı sıktı"),  # my husband squeezed my throat yesterday
        ("so", "xalay mar kale ayaan is jaray"),  # I cut myself again last night
        ("so", "in aan is dilo ayaan rabaa"),  # Somali with a separated particle
        ("tr", "kocam dövüyor beni"),  # verb before object
        ("en", "my wife hasn't slept for four days and says the baby is the devil"),
    ],
)
def test_the_misses_reported_in_review_now_get_help(
    web: OpenChat, language: str, text: str
) -> None:
    found, _ = first_words(web, language, text)
    assert found is not None


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


def test_forty_crisis_messages_get_forty_replies_and_one_urgent_request(
    stack: Stack, web: OpenChat
) -> None:
    chat = web("en")
    for _ in range(40):
        assert "116 123" in "\n".join(texts(chat.say("I want to kill myself")))
    assert urgent_requests(stack, chat.id) == 1
