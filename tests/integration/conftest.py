"""Integration tests run against the real stack (see stack.py), started once per test run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.stack import Stack, start_stack, stop_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield start_stack(tmp_path_factory)
    stop_stack()


class WebChat:
    """One parent's session through the web chat API."""

    def __init__(self, stack: Stack, language: str | None) -> None:
        self.stack = stack
        self.http = httpx.Client(base_url=stack.url, timeout=30)
        created = self.http.post("/api/sessions", json={"language": language} if language else {})
        assert created.status_code == 201, created.text
        self.id, self.token = created.json()["session"], created.json()["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        assert self.http.post(f"/api/sessions/{self.id}/consent", json={"consent": True}).is_success

    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(f"/api/sessions/{self.id}/messages", json=body)
        assert response.status_code == 200, response.text
        reply: dict[str, Any] = response.json()
        return reply

    def say(self, text: str) -> dict[str, Any]:
        return self.send({"text": text})

    def tap(self, payload: str) -> dict[str, Any]:
        return self.send({"payload": payload})

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def web(stack: Stack) -> Iterator[Any]:
    opened: list[WebChat] = []

    def open_chat(language: str | None = "en") -> WebChat:
        chat = WebChat(stack, language)
        opened.append(chat)
        return chat

    yield open_chat
    for chat in opened:
        chat.close()
