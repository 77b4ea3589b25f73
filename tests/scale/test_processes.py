"""Two gateway processes and two Rasa processes on PostgreSQL and Redis: a Telegram parent, a
web parent and a mentor, through a handoff whose accept and relay cross processes; then one
gateway is killed mid-conversation: nothing is lost, and no message is sent twice."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.handoff import mentors
from bot.store import Database
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff_flows.conftest import buttons, to_chat
from tests.scale.cluster import Cluster

pytestmark = pytest.mark.integration

AMINA = 4001  # the mentor, on Telegram
TELEGRAM_PARENT = 4101
# Cross-process wake-ups may fall back to the event stream's poll (10 s): wait longer than that.
WAIT = 40.0


class WebParent:
    """A web chat parent, on whichever gateway `url` is (a load balancer would choose)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = ""
        self.token = ""
        self.last_event = 0

    async def open(self) -> WebParent:
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            created = (await client.post("/api/sessions", json={"language": "en"})).json()
        self.path = f"/api/sessions/{created['session']}"
        self.token = created["token"]
        await self.post("consent", {"consent": True})
        return self

    async def post(self, what: str, body: dict[str, Any]) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            response = await client.post(
                f"{self.path}/{what}", json=body, headers={"Authorization": f"Bearer {self.token}"}
            )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def say(self, text: str) -> dict[str, Any]:
        return await self.post("messages", {"text": text})

    async def tap(self, payload: str) -> dict[str, Any]:
        return await self.post("messages", {"payload": payload})

    @contextlib.asynccontextmanager
    async def events(self) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """The event stream from the last event seen (Last-Event-ID, as a browser reconnects)."""
        found: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def read() -> None:
            # The token in a header (a browser uses a ticket; both open the same stream).
            headers = {
                "Authorization": f"Bearer {self.token}",
                "Last-Event-ID": str(self.last_event),
            }
            async with (
                httpx.AsyncClient(base_url=self.url, timeout=None) as client,
                client.stream("GET", f"{self.path}/events", headers=headers) as response,
            ):
                event, ident = "", ""
                async for line in response.aiter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                    elif line.startswith("id:"):
                        ident = line.split(":", 1)[1].strip()
                    elif line.startswith("data:") and event == "message":
                        self.last_event = int(ident)
                        found.put_nowait(json.loads(line.split(":", 1)[1]))

        reader = asyncio.create_task(read())
        try:
            yield found
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await reader


async def from_mentor(stream: asyncio.Queue[dict[str, Any]], text: str) -> dict[str, Any]:
    async with asyncio.timeout(WAIT):
        while True:
            message = await stream.get()
            if message["sender"] == "mentor" and message["text"] == text:
                return message


async def test_a_handoff_crosses_processes_and_survives_a_gateway_killed_mid_conversation(
    cluster: Cluster, scale_api: FakeTelegram
) -> None:
    api = scale_api
    db = Database(cluster.settings.database_url)
    with db.session() as session:
        _mentor, code = mentors.invite(session, cluster.settings, "Amina", "en", "Manor Gardens")
    db.engine.dispose()
    api.push_text(AMINA, f"/start {code}", language_code="en")
    await api.wait_for_call("sendMessage", where=to_chat(AMINA, "Amina"), timeout=WAIT)

    # A Telegram parent talks to Rasa through whichever gateway polls Telegram.
    api.push_text(TELEGRAM_PARENT, "/start en", language_code="en")
    await api.wait_for_call("sendMessage", where=to_chat(TELEGRAM_PARENT), timeout=WAIT)
    before = len(api.sent_texts(TELEGRAM_PARENT))
    api.push_text(TELEGRAM_PARENT, "are there any baby groups near me?", language_code="en")
    await api.wait_for_call("sendMessage", before + 1, where=to_chat(TELEGRAM_PARENT), timeout=WAIT)

    # A web parent on the second gateway asks for a person: the request is written there, the
    # alert goes out through Telegram from the gateway that polls it.
    first, second = cluster.urls
    parent = await WebParent(second).open()
    await parent.tap("/talk_to_human")
    alert = (
        await api.wait_for_call(
            "sendMessage",
            where=lambda c: any(b.startswith("handoff:accept:") for b in buttons(c)),
            timeout=WAIT,
        )
    )[0]
    assert alert.params["chat_id"] == AMINA
    number = next(b for b in buttons(alert) if b.startswith("handoff:accept:")).rsplit(":", 1)[1]
    await parent.tap('/handoff_share{"share": "yes"}')

    api.push_callback(AMINA, f"handoff:accept:{number}", language_code="en")
    await api.wait_for_call(
        "sendMessage", where=lambda c: f"handoff:end:{number}" in buttons(c), timeout=WAIT
    )
    async with parent.events() as stream:
        api.push_text(AMINA, "Hello, I am here")
        shown = await from_mentor(stream, "Hello, I am here")
    assert shown["sender_name"] == "Amina (Manor Gardens)"

    answer = await parent.say("Thank you, my baby cries a lot at night")
    assert answer["messages"] == []  # relayed to the mentor, not answered by Rasa
    await api.wait_for_call(
        "sendMessage", where=to_chat(AMINA, "my baby cries a lot at night"), timeout=WAIT
    )

    # A burst through both gateways at once: both outbox workers race for the relays.
    burst = [f"Question {i} about sleep" for i in range(8)]
    others = WebParent(first)
    others.path, others.token = parent.path, parent.token
    await asyncio.gather(*((parent if i % 2 else others).say(text) for i, text in enumerate(burst)))
    for text in burst:
        await api.wait_for_call("sendMessage", where=to_chat(AMINA, text), timeout=WAIT)

    # The parent's gateway dies (SIGKILL, no goodbye) mid-conversation; the load balancer
    # sends the parent to the other one, which has everything.
    async with parent.events() as stream:
        api.push_text(AMINA, "Does feeding help?")
        await from_mentor(stream, "Does feeding help?")
        cluster.kill("gateway2")
        api.push_text(AMINA, "Are you still there?")
        await asyncio.sleep(1)
    parent.url = first
    async with parent.events() as stream:
        await from_mentor(stream, "Are you still there?")
    await parent.say("Yes, feeding helps a little")
    await api.wait_for_call(
        "sendMessage", where=to_chat(AMINA, "feeding helps a little"), timeout=WAIT
    )
    before = len(api.sent_texts(TELEGRAM_PARENT))
    api.push_text(TELEGRAM_PARENT, "where is the nearest family hub?", language_code="en")
    await api.wait_for_call("sendMessage", before + 1, where=to_chat(TELEGRAM_PARENT), timeout=WAIT)

    # Nothing was sent twice: every message to the mentor went out once, although both
    # gateways' outbox workers ran and one died.
    await asyncio.sleep(3)  # time for a second copy, were one to be sent
    to_mentor = Counter(api.sent_texts(AMINA))
    assert [text for text, count in to_mentor.items() if count > 1] == []
    for text in ("my baby cries a lot at night", "feeding helps a little", *burst):
        assert sum(count for sent, count in to_mentor.items() if text in sent) == 1

    # Nothing was lost: the web parent's conversation holds each message once, in order.
    parent.last_event = 0
    seen: list[str] = []
    async with parent.events() as stream:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                while True:
                    seen.append((await stream.get())["text"])
    wanted = [
        "Hello, I am here",
        "Thank you, my baby cries a lot at night",
        *sorted(burst),
        "Does feeding help?",
        "Are you still there?",
        "Yes, feeding helps a little",
    ]
    kept = [text for text in seen if text in wanted]
    # The burst's order is whichever gateway wrote first; each once, between its neighbours.
    assert kept[:2] + sorted(kept[2:10]) + kept[10:] == wanted
