"""The web chat HTTP API, as DESIGN.md fixes it."""

from __future__ import annotations

import sqlite3

from starlette.testclient import TestClient

from tests.gateway.conftest import Chat, services
from tests.gateway.fake_rasa import FakeRasa


def test_session_has_unguessable_token_kept_only_as_hash(client: TestClient) -> None:
    created = client.post("/api/sessions", json={"language": "so"})
    assert created.status_code == 201
    body = created.json()
    assert set(body) >= {"session", "token"} and len(body["token"]) >= 40
    database = services(client).settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT token_hash, language FROM conversations").fetchall()
    assert stored[0][1] == "so"
    assert body["token"] not in stored[0][0]


def test_session_without_body_and_bad_language(client: TestClient) -> None:
    assert client.post("/api/sessions").status_code == 201
    refused = client.post("/api/sessions", json={"language": "fr"})
    assert refused.status_code == 400 and refused.json()["error"] == "bad_language"


def test_reply_shape(chat: Chat) -> None:
    reply = chat.say("Hello")
    assert reply["language"] == "en"
    assert reply["messages"][0]["text"] == "echo: hello"
    assert reply["messages"][0]["buttons"] == [] and reply["messages"][0]["sender"] == "bot"
    assert isinstance(reply["messages"][0]["id"], int)


def test_missing_and_wrong_token_refused(client: TestClient, chat: Chat) -> None:
    url = f"/api/sessions/{chat.id}/messages"
    missing = client.post(url, json={"text": "hi"})
    assert missing.status_code == 401 and missing.json()["error"] == "unauthorized"
    wrong = client.post(url, json={"text": "hi"}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.json()["error"] == "forbidden"
    other = Chat(client)
    stolen = client.post(url, json={"text": "hi"}, headers=other.headers)
    assert stolen.status_code == 403


def test_oversized_message_is_a_clear_413(chat: Chat, rasa: FakeRasa) -> None:
    response = chat.post("messages", {"text": "a" * 2001})
    assert response.status_code == 413
    assert "2000 characters" in response.json()["message"]
    huge = chat.post("messages", {"text": "a" * 20_000})
    assert huge.status_code == 413
    assert rasa.messages == []


def test_bad_bodies(chat: Chat) -> None:
    assert chat.post("messages", {}).status_code == 400
    assert chat.post("messages", {"text": "a", "payload": "/greet"}).status_code == 400
    bad = chat.client.post(
        f"/api/sessions/{chat.id}/messages", content=b"{not json", headers=chat.headers
    )
    assert bad.status_code == 400 and bad.json()["error"] == "bad_json"


def test_rate_limit_per_session_is_a_429(client: TestClient) -> None:
    services(client).router.limiter.per_minute = 3
    chat = Chat(client)
    for _ in range(3):
        chat.say("hi")
    limited = chat.post("messages", {"text": "hi"})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert "very quickly" in limited.json()["message"]
    assert Chat(client).say("hi")["messages"]  # another sender is not held back


def test_delete_erases_everything_and_the_token_stops_working(chat: Chat, rasa: FakeRasa) -> None:
    chat.say("I feel low")
    database = services(chat.client).settings.database_url.removeprefix("sqlite:///")
    deleted = chat.client.delete(f"/api/sessions/{chat.id}", headers=chat.headers)
    assert deleted.status_code == 200 and deleted.json() == {"erased": True}
    with sqlite3.connect(database) as db:
        for table in ("conversations", "messages", "handoffs", "outbox"):
            assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)
    assert rasa.tracker_db is not None
    with sqlite3.connect(rasa.tracker_db) as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (0,)
    assert chat.post("messages", {"text": "hi"}).status_code == 403


def test_consent_refused_keeps_nothing(client: TestClient) -> None:
    chat = Chat(client, consent=False)
    assert chat.post("consent", {"consent": False}).json()["consent"] is False
    reply = chat.say("hello")
    assert reply["messages"][0]["text"] == "echo: hello" and "id" not in reply["messages"][0]
    assert services(client).conversations.transcript(chat.id, 0) == []
    assert chat.post("consent", {"consent": "yes"}).status_code == 400


def test_strings_are_served_translated(client: TestClient) -> None:
    english = client.get("/api/strings?language=en").json()
    assert english["strings"]["send"] == "Send"
    assert english["languages"]["so"] == "Soomaali"
    assert "30 days" in english["notice"]
    somali = client.get("/api/strings?language=so").json()
    assert somali["language"] == "so" and set(somali["strings"]) == set(english["strings"])


def test_page_and_embed_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text
    assert client.get("/static/chat.js").status_code == 200
    embed = client.get("/embed.js")
    assert embed.status_code == 200 and "iframe" in embed.text
