"""A gateway on real SQLite files in tmp_path, in front of a stand-in Rasa server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.core import Media, Outbound
from bot.gateway.app import create_app
from bot.gateway.startup import Options, Services
from bot.settings import Settings
from tests.gateway.fake_rasa import FakeRasa


class RecordingHandoff:
    """A stand-in for the handoff (bot.gateway.handoff.Handoff) that records what turns asked."""

    payload_intents = frozenset({"handoff_cancel"})

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.active: set[str] = set()
        # The media each relay carried (None for words alone), in the order of the relays.
        self.media: list[Media | None] = []

    def is_handed_off(self, conversation_id: str) -> bool:
        return conversation_id in self.active

    def request(
        self,
        conversation_id: str,
        topic: str | None,
        *,
        urgent: bool = False,
        crisis_kind: str | None = None,
        about_other: bool = False,
    ) -> list[Outbound]:
        self.calls.append(("request", conversation_id, topic, urgent))
        return [Outbound("asked a mentor")]

    def relay_to_mentor(
        self, conversation_id: str, text: str, *, urgent: bool = False, media: Media | None = None
    ) -> list[Outbound]:
        self.calls.append(("relay", conversation_id, text, urgent))
        self.media.append(media)
        return []

    def handle_payload(
        self, conversation_id: str, intent: str, entities: dict[str, str]
    ) -> list[Outbound]:
        self.calls.append(("payload", conversation_id, intent))
        return [Outbound("cancelled")]

    def forget(self, conversation_id: str) -> None:
        self.calls.append(("forget", conversation_id))


@pytest.fixture
def rasa(tmp_path: Path) -> FakeRasa:
    return FakeRasa(tmp_path / "rasa_tracker.db")


@pytest.fixture
def handoff() -> RecordingHandoff:
    return RecordingHandoff()


@pytest.fixture
def client(settings: Settings, rasa: FakeRasa, handoff: RecordingHandoff) -> Iterator[TestClient]:
    app = create_app(settings, Options(rasa_transport=rasa.transport(), handoff=handoff))
    with TestClient(app) as test_client:
        yield test_client


def services(client: TestClient) -> Services:
    found: Services = client.app.state.services  # type: ignore[attr-defined]
    return found


class Chat:
    """One web chat session driven through the HTTP API."""

    def __init__(
        self, client: TestClient, language: str | None = "en", consent: bool = True
    ) -> None:
        self.client = client
        body = {"language": language} if language else {}
        created = client.post("/api/sessions", json=body).json()
        self.id, self.token = created["session"], created["token"]
        if consent:
            assert self.post("consent", {"consent": True}).status_code == 200

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(f"/api/sessions/{self.id}/{path}", json=body, headers=self.headers)

    def events_url(self) -> str:
        """The event stream's URL with a fresh ticket: the token never goes in a URL."""
        ticket = self.post("ticket", {})
        assert ticket.status_code == 201, ticket.text
        return f"/api/sessions/{self.id}/events?ticket={ticket.json()['ticket']}"

    def say(self, text: str) -> dict[str, Any]:
        response = self.post("messages", {"text": text})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def tap(self, payload: str) -> dict[str, Any]:
        response = self.post("messages", {"payload": payload})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def chat(client: TestClient) -> Chat:
    return Chat(client)
