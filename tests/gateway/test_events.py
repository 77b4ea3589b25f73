"""Server push: every stored message once, in order, resumable from the last event id."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from bot.store.models import Message, utcnow
from tests.gateway.conftest import Chat


def read_events(client: TestClient, url: str, count: int, **headers: str) -> list[dict[str, Any]]:
    """The first `count` message events of a stream, with their ids."""
    found: list[dict[str, Any]] = []
    event: dict[str, Any] = {}
    with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("id:"):
                event["id"] = int(line[3:].strip())
            elif line.startswith("event:"):
                event["event"] = line[6:].strip()
            elif line.startswith("data:"):
                event["data"] = json.loads(line[5:].strip())
            elif not line and "data" in event:
                found.append(event)
                event = {}
                if len(found) >= count:
                    break
    return found


def test_stream_replays_the_conversation_and_resumes_after_the_last_id(chat: Chat) -> None:
    first = chat.say("one")
    chat.say("two")
    url = f"/api/sessions/{chat.id}/events?token={chat.token}"
    events = read_events(chat.client, url, 4)
    assert [e["data"]["text"] for e in events] == ["one", "echo: one", "two", "echo: two"]
    assert [e["data"]["sender"] for e in events] == ["parent", "bot", "parent", "bot"]
    assert events[1]["id"] == first["messages"][0]["id"]
    assert first["parent_message_id"] == events[0]["id"]
    resumed = read_events(chat.client, url, 2, **{"Last-Event-ID": str(events[1]["id"])})
    assert [e["data"]["text"] for e in resumed] == ["two", "echo: two"]
    by_query = read_events(chat.client, f"{url}&last_event_id={events[2]['id']}", 1)
    assert by_query[0]["data"]["text"] == "echo: two"


def test_button_taps_show_their_title_in_the_transcript(chat: Chat) -> None:
    chat.post("messages", {"payload": "/find_groups", "title": "Groups"})
    events = read_events(chat.client, f"/api/sessions/{chat.id}/events?token={chat.token}", 1)
    assert events[0]["data"]["text"] == "Groups"


def test_stream_needs_the_token(client: TestClient, chat: Chat) -> None:
    assert client.get(f"/api/sessions/{chat.id}/events").status_code == 401
    assert client.get(f"/api/sessions/{chat.id}/events?token=wrong").status_code == 403


def test_a_mentor_message_written_elsewhere_is_pushed_marked_as_from_a_person(chat: Chat) -> None:
    services = chat.client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        session.add(
            Message(
                conversation_id=chat.id,
                direction="out",
                sender="mentor",
                text="Hello, I am Amina from Manor Gardens.",
                extra={"push": True, "sender_name": "Amina"},
                expires_at=utcnow() + timedelta(days=1),
            )
        )
    services.notifier.notify(chat.id)
    events = read_events(chat.client, f"/api/sessions/{chat.id}/events?token={chat.token}", 1)
    assert events[0]["data"]["sender"] == "mentor"
    assert events[0]["data"]["sender_name"] == "Amina"


def test_an_open_stream_receives_new_messages_as_they_are_written(chat: Chat) -> None:
    first = chat.say("one")
    url = f"/api/sessions/{chat.id}/events?token={chat.token}&last_event_id={first['messages'][0]['id']}"
    found: list[dict[str, Any]] = []
    reader = threading.Thread(target=lambda: found.extend(read_events(chat.client, url, 2)))
    reader.start()
    time.sleep(0.5)  # the stream is open and waiting
    chat.say("two")
    reader.join(timeout=5)  # under the 10 s poll: only the wake-up can deliver in time
    assert [e["data"]["text"] for e in found] == ["two", "echo: two"]
