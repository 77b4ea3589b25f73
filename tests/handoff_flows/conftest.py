"""The real gateway with the handoff, a stand-in Rasa, and mentors on the fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.gateway.app import create_app
from bot.gateway.startup import Options, Services
from bot.handoff import mentors
from bot.settings import Settings
from bot.store.models import Message
from tests.fakes.telegram_api import Call, FakeTelegram
from tests.gateway.fake_rasa import FakeRasa

# A Tuesday, mid-morning in London: on duty (Mon-Fri 09:00-17:00).
ON_DUTY = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
# A Saturday night: nobody on duty.
OFF_DUTY = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)
HANDOFF = {"directive": "handoff", "topic": "talk_to_human", "urgent": False}


class Clock:
    """The handoff's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def rasa_script(sender: str, message: str) -> list[dict[str, Any]]:
    """Rasa's answers: the handoff directive for a request for a person, else an echo."""
    if message.startswith("/talk_to_human") or message == "I want to talk to a person":
        return [{"recipient_id": sender, "custom": HANDOFF}]
    return [{"recipient_id": sender, "text": f"echo: {message}"}]


@pytest.fixture
def rasa(tmp_path: Path) -> FakeRasa:
    fake = FakeRasa(tmp_path / "rasa_tracker.db")
    fake.script = rasa_script
    return fake


@pytest.fixture
def clock() -> Clock:
    return Clock(ON_DUTY)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Gateway:
    """One running gateway process (uvicorn on a free port), with an HTTP client for the web chat."""

    def __init__(
        self, settings: Settings, rasa: FakeRasa, clock: Clock, *, telegram: bool = True
    ) -> None:
        self.settings, self.rasa, self.clock = settings, rasa, clock
        self.telegram = telegram
        self.server: uvicorn.Server | None = None
        self.task: asyncio.Task[None] | None = None
        self.services: Services
        self.client: httpx.AsyncClient

    async def start(self) -> Gateway:
        options = Options(
            rasa_transport=self.rasa.transport(),
            clock=self.clock,
            tick_seconds=0.05,
            poll_seconds=0.05,
            retention=False,
            telegram=self.telegram,
        )
        app = create_app(self.settings, options)
        port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.01)
        self.services = app.state.services
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10)
        return self

    async def stop(self) -> None:
        if self.server is None or self.task is None:
            return
        await self.client.aclose()
        self.server.should_exit = True
        await self.task
        self.server = self.task = None

    def invite(self, name: str, languages: str, organisation: str = "Manor Gardens") -> str:
        with self.services.db.session() as session:
            _mentor, code = mentors.invite(session, self.settings, name, languages, organisation)
        return code

    def transcript(self, conversation_id: str) -> list[Message]:
        return list(self.services.conversations.transcript(conversation_id, 0))


@pytest.fixture
async def gateway(
    telegram_settings: Settings, rasa: FakeRasa, clock: Clock
) -> AsyncIterator[Gateway]:
    running = await Gateway(telegram_settings, rasa, clock).start()
    try:
        yield running
    finally:
        await running.stop()


class WebParent:
    """A web chat parent, through the gateway's HTTP API."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.id = ""
        self.token = ""

    async def open(self, language: str) -> WebParent:
        client = self.gateway.client
        created = (await client.post("/api/sessions", json={"language": language})).json()
        self.id, self.token = created["session"], created["token"]
        response = await self.post("consent", {"consent": True})
        assert response.status_code == 200, response.text
        return self

    async def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return await self.gateway.client.post(
            f"/api/sessions/{self.id}/{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
        )

    async def say(self, text: str) -> dict[str, Any]:
        response = await self.post("messages", {"text": text})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    @contextlib.asynccontextmanager
    async def events(self) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """The server push stream, read into a queue of message events while open."""
        found: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        url = f"/api/sessions/{self.id}/events"

        async def read() -> None:
            base = self.gateway.client.base_url
            async with (
                httpx.AsyncClient(base_url=base, timeout=None) as c,
                c.stream("GET", url, headers={"Authorization": f"Bearer {self.token}"}) as response,
            ):
                event = ""
                async for line in response.aiter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                    elif line.startswith("data:") and event == "message":
                        found.put_nowait(json.loads(line.split(":", 1)[1]))

        reader = asyncio.create_task(read())
        try:
            yield found
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await reader

    async def tap(self, payload: str) -> dict[str, Any]:
        response = await self.post("messages", {"payload": payload})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll a condition the gateway reaches asynchronously."""
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


def to_chat(chat_id: int, contains: str = "") -> Any:
    """A `where` for the fake API: sendMessage to one chat, with a text containing `contains`."""

    def where(call: Call) -> bool:
        return call.params.get("chat_id") == chat_id and contains in call.params.get("text", "")

    return where


def buttons(call: Call) -> list[str]:
    """The callback data of the inline buttons of one sent message."""
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def register(
    fake_api: FakeTelegram, gateway: Gateway, user_id: int, name: str, languages: str
) -> None:
    """Invite a mentor and register them with `/start CODE` on the fake Bot API."""
    code = gateway.invite(name, languages)
    fake_api.push_text(user_id, f"/start {code}", language_code=languages.split(",")[0])
    await fake_api.wait_for_call("sendMessage", where=to_chat(user_id, name))


async def accept(fake_api: FakeTelegram, mentor: int, number: int = 1) -> None:
    """The mentor gets the alert for handoff `number`, accepts it, and gets the End button."""
    await fake_api.wait_for_call("sendMessage", where=to_chat(mentor, f"#{number}"))
    fake_api.push_callback(mentor, f"handoff:accept:{number}")
    await fake_api.wait_for_call(
        "sendMessage", where=lambda c: f"handoff:end:{number}" in buttons(c)
    )


async def web_parent_with_mentor(
    fake_api: FakeTelegram, gateway: Gateway, mentor: int, name: str = "Amina"
) -> WebParent:
    """A web chat parent whose request for a person `mentor` (registered now) has accepted."""
    await register(fake_api, gateway, mentor, name, "en")
    parent = await WebParent(gateway).open("en")
    await parent.tap("/talk_to_human")
    await accept(fake_api, mentor)
    return parent
