"""A stand-in for Rasa's HTTP API (REST webhook, tracker events, status) with a SQL tracker store."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Script = Callable[[str, str], list[dict[str, Any]]]


def echo(sender: str, message: str) -> list[dict[str, Any]]:
    return [{"recipient_id": sender, "text": f"echo: {message}"}]


class FakeRasa:
    """Answers like Rasa 3.6 and writes events to an `events` table as Rasa's SQL store does."""

    def __init__(self, tracker_db: Path | None = None) -> None:
        self.script: Script = echo
        # The intent Rasa would read in a message, kept in the tracker like Rasa's own.
        self.intent_of: Callable[[str], str | None] = lambda _message: None
        self.down = False
        # Rasa answers /status before its model is loaded, without a model file.
        self.model_loaded = True
        # The action server's health check is answered here too; set to stop the action server.
        self.actions_down = False
        self.messages: list[dict[str, Any]] = []
        self.slot_events: list[tuple[str, dict[str, Any]]] = []
        self.tracker_db = tracker_db
        if tracker_db is not None:
            with sqlite3.connect(tracker_db) as db:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255),"
                    " type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255),"
                    " action_name VARCHAR(255), data TEXT)"
                )
        self.app = Starlette(
            routes=[
                Route("/webhooks/rest/webhook", self.webhook, methods=["POST"]),
                Route("/conversations/{sender}/tracker/events", self.events, methods=["POST"]),
                Route("/status", self.status, methods=["GET"]),
            ]
        )

    def _store(
        self, sender: str, type_name: str, data: dict[str, Any], intent: str | None = None
    ) -> None:
        if self.tracker_db is None:
            return
        with sqlite3.connect(self.tracker_db) as db:
            db.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data)"
                " VALUES (?, ?, ?, ?, ?)",
                (sender, type_name, time.time(), intent, json.dumps(data)),
            )

    async def webhook(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.messages.append(body)
        message = body["message"]
        self._store(body["sender"], "user", {"text": message}, self.intent_of(message))
        return JSONResponse(self.script(body["sender"], body["message"]))

    async def events(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.slot_events.append((request.path_params["sender"], body))
        self._store(request.path_params["sender"], "slot", body)
        return JSONResponse({"sender_id": request.path_params["sender"], "events": [body]})

    async def status(self, request: Request) -> JSONResponse:
        model = "models/fake.tar.gz" if self.model_loaded else None
        return JSONResponse({"model_file": model, "num_active_training_jobs": 0})

    def transport(self) -> httpx.AsyncBaseTransport:
        """An httpx transport to this app that refuses connections while `down` is set.

        GET /health is the action server's: it answers while `actions_down` is not set.
        """
        inner = httpx.ASGITransport(app=self.app)
        fake = self

        class _Transport(httpx.AsyncBaseTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                if request.url.path == "/health":
                    if fake.actions_down:
                        raise httpx.ConnectError("connection refused", request=request)
                    return httpx.Response(200, json={"status": "ok"}, request=request)
                if fake.down or request.url.port == 5055:
                    raise httpx.ConnectError("connection refused", request=request)
                return await inner.handle_async_request(request)

        return _Transport()
