"""Server push: every stored message once, in order, resumable from the last event id."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from bot.gateway import tickets
from bot.store.models import Message, utcnow
from tests.gateway.conftest import Chat, services


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
    url = chat.events_url()
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
    events = read_events(chat.client, chat.events_url(), 1)
    assert events[0]["data"]["text"] == "Groups"


def test_stream_needs_a_ticket_or_the_token_in_a_header(client: TestClient, chat: Chat) -> None:
    url = f"/api/sessions/{chat.id}/events"
    assert client.get(url).status_code == 401
    # The token never goes in a URL (proxy logs, history): as a query parameter it opens nothing.
    in_url = client.get(f"{url}?token={chat.token}")
    assert in_url.status_code == 401 and in_url.json()["error"] == "unauthorized"
    assert client.get(f"{url}?ticket=wrong").status_code == 403
    other = Chat(client)
    others_ticket = other.events_url().split("ticket=")[1]
    assert client.get(f"{url}?ticket={others_ticket}").json()["error"] == "forbidden"
    # A ticket is good for a minute only.
    key = services(client).settings.hashing_key()
    stale = tickets.issue(key, chat.id, now=time.time() - tickets.TICKET_SECONDS - 1)
    assert client.get(f"{url}?ticket={stale}").status_code == 403
    assert tickets.valid(key, chat.id, tickets.issue(key, chat.id))
    # Without the token, no ticket.
    refused = client.post(f"/api/sessions/{chat.id}/ticket")
    assert refused.status_code == 401
    # A program may still send the token in the Authorization header.
    chat.say("hello")
    header = read_events(client, url, 1, Authorization=f"Bearer {chat.token}")
    assert header[0]["data"]["text"] == "hello"


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
    events = read_events(chat.client, chat.events_url(), 1)
    assert events[0]["data"]["sender"] == "mentor"
    assert events[0]["data"]["sender_name"] == "Amina"


def test_an_open_stream_receives_new_messages_as_they_are_written(chat: Chat) -> None:
    first = chat.say("one")
    url = f"{chat.events_url()}&last_event_id={first['messages'][0]['id']}"
    found: list[dict[str, Any]] = []
    reader = threading.Thread(target=lambda: found.extend(read_events(chat.client, url, 2)))
    reader.start()
    time.sleep(0.5)  # the stream is open and waiting
    chat.say("two")
    reader.join(timeout=5)  # under the 10 s poll: only the wake-up can deliver in time
    assert [e["data"]["text"] for e in found] == ["two", "echo: two"]
