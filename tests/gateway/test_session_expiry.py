"""A web token stops working after WEB_IDLE_HOURS without a message, unless a request for a
person is open; then it lasts until the request ends (and the idle time counts from there)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.core import HandoffState
from bot.store.models import Conversation, Handoff, utcnow
from tests.gateway.conftest import Chat, services


def idle_for(chat: Chat, hours: float) -> None:
    db = services(chat.client).db
    with db.session() as session:
        session.execute(
            update(Conversation)
            .where(Conversation.id == chat.id)
            .values(last_seen_at=utcnow() - timedelta(hours=hours))
        )


def add_handoff(chat: Chat, state: str, ended_hours_ago: float | None = None) -> None:
    with services(chat.client).db.session() as session:
        ended = None if ended_hours_ago is None else utcnow() - timedelta(hours=ended_hours_ago)
        session.add(Handoff(conversation_id=chat.id, state=state, language="en", ended_at=ended))


def test_the_token_expires_after_hours_without_a_message(chat: Chat) -> None:
    hours = services(chat.client).settings.web_idle_hours
    assert hours <= 24  # hours, not weeks
    chat.say("hello")
    idle_for(chat, hours - 0.5)
    chat.say("still here")  # and the idle time starts again
    idle_for(chat, hours + 0.5)
    expired = chat.post("messages", {"text": "hello?"})
    assert expired.status_code == 403
    assert expired.json()["error"] == "session_expired" and expired.json()["message"]
    assert chat.post("ticket", {}).status_code == 403
    assert chat.client.delete(f"/api/sessions/{chat.id}", headers=chat.headers).status_code == 403


def test_an_open_request_for_a_person_keeps_the_token_until_it_ends(chat: Chat) -> None:
    hours = services(chat.client).settings.web_idle_hours
    chat.say("I want to talk to a person")
    add_handoff(chat, HandoffState.QUEUED)
    idle_for(chat, hours * 3)  # asked in the evening, read the answer next morning
    assert chat.post("ticket", {}).status_code == 201
    with services(chat.client).db.session() as session:
        session.execute(
            update(Handoff)
            .where(Handoff.conversation_id == chat.id)
            .values(state=HandoffState.ENDED, ended_at=utcnow() - timedelta(hours=1))
        )
    # Ended an hour ago: the idle time counts from the end, so the mentor's last words are read.
    assert chat.post("ticket", {}).status_code == 201
    with services(chat.client).db.session() as session:
        session.execute(
            update(Handoff)
            .where(Handoff.conversation_id == chat.id)
            .values(ended_at=utcnow() - timedelta(hours=hours + 1))
        )
    assert chat.post("ticket", {}).json()["error"] == "session_expired"
