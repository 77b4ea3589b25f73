"""English, Somali and Turkish parents through the web chat API, with the real Rasa model."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.directory.live import get_directory
from bot.gateway import replies
from tests.integration import expected
from tests.integration.conftest import WebChat
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration

OpenChat = Callable[..., WebChat]

MESSAGES = {
    "en": {
        "greet": "hello",
        "groups": "are there any baby groups near me?",
        "mentor": "I would like a maternity mentor",
        "low": "I have been feeling really low since the baby came",
    },
    "so": {
        "greet": "asc walaal",
        "groups": "kooxaha ilmaha maxaa jira",
        "mentor": "waxaan rabaa maternity mentor",
        "low": "niyad jab baan qabaa",
    },
    "tr": {
        "greet": "merhaba",
        "groups": "bebek grupları var mı",
        "mentor": "mentor istiyorum",
        "low": "kendimi iyi hissetmiyorum",
    },
}
CATEGORIES = {
    "groups": {"group", "family_hub"},
    "mentor": {"maternity_mentor"},
    "low": {"mental_health"},
}


def texts(reply: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def service_names(categories: set[str], language: str) -> set[str]:
    """Each active service's name in `language`, for the categories asked about."""
    return {
        s.text("name", language) or ""
        for s in get_directory()
        if s.category in categories and s.active
    } - {""}


def assert_answered(reply: dict[str, Any], language: str) -> None:
    assert reply["language"] == language
    assert reply["messages"], "silence"
    assert all(m["sender"] != "system" for m in reply["messages"]), texts(reply)


class Timed:
    """A chat that remembers when each reply was asked for, to render the expected cards then."""

    def __init__(self, chat: WebChat) -> None:
        self.chat = chat
        self.moments: tuple[datetime, datetime] = (datetime.now(UTC), datetime.now(UTC))

    def _send(self, send: Callable[[str], dict[str, Any]], what: str) -> dict[str, Any]:
        before = datetime.now(UTC)
        reply = send(what)
        self.moments = (before, datetime.now(UTC))
        return reply

    def say(self, text: str) -> dict[str, Any]:
        return self._send(self.chat.say, text)

    def tap(self, payload: str) -> dict[str, Any]:
        return self._send(self.chat.tap, payload)


def assert_in_language(reply: dict[str, Any], language: str, chat: Timed) -> list[expected.Card]:
    """Answered, every text and button in `language`; the service cards shown."""
    assert_answered(reply, language)
    return expected.check_language(reply["messages"], language, chat.moments)


@pytest.mark.parametrize("language", ["en", "so", "tr"])
def test_a_parent_is_answered_and_signposted_in_their_language(
    web: OpenChat, language: str
) -> None:
    chat = Timed(web(language))
    said = MESSAGES[language]
    greeting = chat.say(said["greet"])
    assert_in_language(greeting, language, chat)
    # The greeting is the domain's, in the parent's language (text and buttons), not the English.
    greet = expected.rendered("utter_greet", language)
    shown = greeting["messages"][-1]
    assert shown["text"] == greet["text"]
    assert [b["title"] for b in shown["buttons"]] == [b["title"] for b in greet["buttons"]]
    if language != "en":
        assert shown["text"] != expected.rendered("utter_greet", "en")["text"]
    buttons: list[dict[str, str]] = []
    for topic in ("groups", "mentor", "low"):
        reply = chat.say(said[topic])
        for _ in range(2):  # a question first ("what kind of group?"): answer with its first button
            cards = assert_in_language(reply, language, chat)
            buttons += [b for m in reply["messages"] for b in m["buttons"]]
            wanted = [c for c in cards if c.service.category in CATEGORIES[topic]]
            if wanted:
                break
            reply = chat.tap(reply["messages"][-1]["buttons"][0]["payload"])
        assert wanted, f"{topic}: no {language} service card in {texts(reply)!r}"
        # Where the directory has the service in the parent's language, that is what they see.
        # (Every card already equals the card rendered in `language`; here, at least one of them
        # must show a name and description written in it, not the English fallback.)
        translated = [
            c
            for c in wanted
            if c.service.name.has(language) and c.service.description.has(language)
        ]
        assert translated, f"{topic}: no card with {language} text in {texts(reply)!r}"
        for card in translated:
            assert card.text.startswith(card.service.name.get(language) + "\n")
            assert card.service.description.get(language) in card.text
            if language != "en":
                assert card.service.name.en not in card.text.split("\n")
                assert card.service.description.en not in card.text
    assert buttons, "no buttons to tap"
    for button in buttons[:4]:
        reply = chat.tap(button["payload"])
        assert_in_language(reply, language, chat)
        assert texts(reply) != replies.unknown_payload(language).text


def test_switching_language_mid_conversation(web: OpenChat) -> None:
    chat = web("en")
    assert_answered(chat.say("hello"), "en")
    switched = chat.tap('/choose_language{"language": "so"}')
    assert switched["language"] == "so"
    question = chat.say(MESSAGES["so"]["groups"])
    assert_answered(question, "so")
    reply = chat.tap(question["messages"][-1]["buttons"][-1]["payload"])  # "all groups"
    names = service_names(CATEGORIES["groups"], "so") - service_names(CATEGORIES["groups"], "en")
    assert any(name in texts(reply) for name in names), texts(reply)


def test_typed_language_choice_switches(web: OpenChat) -> None:
    chat = web("en")
    chat.say("hello")
    reply = chat.say("Türkçe")
    assert reply["language"] == "tr"
    assert_answered(chat.say(MESSAGES["tr"]["groups"]), "tr")


def test_wrong_token_is_refused(stack: Stack, web: OpenChat) -> None:
    chat = web("en")
    response = httpx.post(
        f"{stack.url}/api/sessions/{chat.id}/messages",
        json={"text": "hello"},
        headers={"Authorization": "Bearer not-the-token"},
    )
    assert response.status_code == 403 and response.json()["error"] == "forbidden"


def test_oversized_message_gets_a_clear_error(web: OpenChat) -> None:
    chat = web("tr")
    response = chat.http.post(f"/api/sessions/{chat.id}/messages", json={"text": "a" * 2001})
    assert response.status_code == 413
    assert "2000" in response.json()["message"]


def _rows_about(stack: Stack, conversation_id: str) -> dict[str, int]:
    ours = stack.settings.database_url.removeprefix("sqlite:///")
    found = {}
    with sqlite3.connect(ours) as db:
        found["conversations"] = db.execute(
            "SELECT COUNT(*) FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()[0]
        for table in ("messages", "handoffs", "outbox"):
            found[table] = db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
    tracker = stack.settings.rasa_tracker_store_url.removeprefix("sqlite:///")
    with sqlite3.connect(tracker) as db:
        found["rasa events"] = db.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation_id,)
        ).fetchone()[0]
    return found


def test_deleting_the_conversation_leaves_nothing(stack: Stack, web: OpenChat) -> None:
    chat = web("so")
    chat.say(MESSAGES["so"]["low"])
    before = _rows_about(stack, chat.id)
    assert before["messages"] and before["rasa events"] and before["conversations"]
    assert chat.http.delete(f"/api/sessions/{chat.id}").json() == {"erased": True}
    assert set(_rows_about(stack, chat.id).values()) == {0}
    assert (
        chat.http.post(f"/api/sessions/{chat.id}/messages", json={"text": "hi"}).status_code == 403
    )


def test_delete_my_data_by_message_leaves_nothing(stack: Stack, web: OpenChat) -> None:
    chat = web("en")
    chat.say("hello")
    reply = chat.say("please delete my data")
    assert_answered(reply, "en")
    for _ in range(3):  # confirm with the offered button, or a plain yes
        if reply.get("erased"):
            break
        yes = [b["payload"] for m in reply["messages"] for b in m["buttons"]]
        reply = chat.tap(yes[0]) if yes else chat.say("yes")
    assert reply.get("erased") is True
    assert set(_rows_about(stack, chat.id).values()) == {0}
