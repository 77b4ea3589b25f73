"""Server push: every stored message once, in order, resumable from the last event id."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient

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
