"""KeepAliveNLG against a small aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from rasa_addons.nlg import KeepAliveNLG, check_response

DOMAIN = Domain.from_dict(
    {
        "slots": {
            "language": {
                "type": "categorical",
                "values": ["en", "so", "tr"],
                "mappings": [{"type": "custom"}],
            }
        },
        "responses": {"utter_hello": [{"text": "Hello"}]},
    }
)


def tracker() -> DialogueStateTracker:
    found = DialogueStateTracker.from_events("c0ffee", [], slots=DOMAIN.slots)
    found.update(SlotSet("language", "so"))
    for number in range(50):
        found.update(UserUttered(f"message {number}", {"name": "greet", "confidence": 1.0}))
    return found


class Server:
    """Answers every POST with `answer(body)`; records bodies and the connections used."""

    def __init__(self, answer: Callable[[dict[str, Any]], Any], keepalive: float = 75.0) -> None:
        self.answer = answer
        self.keepalive = keepalive
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.connections: list[int] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.bodies.append(await request.json())
        self.headers.append(dict(request.headers))
        self.queries = [*getattr(self, "queries", []), request.query_string]
        self.connections.append(id(request.transport))
        found = self.answer(self.bodies[-1])
        if isinstance(found, web.StreamResponse):
            return found
        return web.json_response(found)

    async def __aenter__(self) -> str:
        app = web.Application()
        app.router.add_post("/nlg", self.handle)
        self.runner = web.AppRunner(app, keepalive_timeout=self.keepalive)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}/nlg"

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()


def with_nlg(server: Server, test: Callable[[KeepAliveNLG], Awaitable[None]]) -> None:
    async def main() -> None:
        async with server as url:
            nlg = NaturalLanguageGenerator.create(
                EndpointConfig(url=url, type="rasa_addons.nlg.KeepAliveNLG"), DOMAIN
            )
            assert isinstance(nlg, KeepAliveNLG)
            try:
                await test(nlg)
            finally:
                await nlg.close()

    asyncio.run(main())


def test_it_sends_the_response_its_arguments_the_slots_and_the_channel() -> None:
    server = Server(lambda body: {"text": f"rendered {body['response']}", "buttons": []})

    async def test(nlg: KeepAliveNLG) -> None:
        found = await nlg.generate("utter_card", tracker(), "rest", service_id="hub-1")
        assert found == {"text": "rendered utter_card", "buttons": []}

    with_nlg(server, test)
    (body,) = server.bodies
    assert body["response"] == "utter_card"
    assert body["arguments"] == {"service_id": "hub-1"}
    assert body["channel"] == {"name": "rest"}
    assert body["id"] is None
    # The slots, not the conversation's events.
    assert body["tracker"]["sender_id"] == "c0ffee"
    assert body["tracker"]["slots"]["language"] == "so"
    assert "events" not in body["tracker"]


def test_it_passes_on_the_response_id_the_domain_gives() -> None:
    server = Server(lambda body: {"text": "ok"})
    responses = {"utter_hello": [{"text": "Hello", "id": "hello-1"}]}

    async def test(nlg: KeepAliveNLG) -> None:
        await nlg.generate("utter_hello", tracker(), "rest", domain_responses=responses)

    with_nlg(server, test)
    assert server.bodies[0]["id"] == "hello-1"
    assert "domain_responses" not in server.bodies[0]["arguments"]


def test_it_keeps_one_connection_open_across_responses() -> None:
    server = Server(lambda body: {"text": "ok"})

    async def test(nlg: KeepAliveNLG) -> None:
        for _ in range(5):
            await nlg.generate("utter_hello", tracker(), "rest")

    with_nlg(server, test)
    assert len(server.bodies) == 5
    assert len(set(server.connections)) == 1


def test_it_recovers_when_the_server_closed_an_idle_connection() -> None:
    server = Server(lambda body: {"text": "ok"}, keepalive=0.05)

    async def test(nlg: KeepAliveNLG) -> None:
        for _ in range(3):
            assert await nlg.generate("utter_hello", tracker(), "rest") == {"text": "ok"}
            await asyncio.sleep(0.2)

    with_nlg(server, test)
    assert len(server.bodies) == 3


@pytest.mark.parametrize(
    "answer",
    [
        web.json_response({"error": "boom"}, status=500),
        web.json_response(["not", "an", "object"]),
        web.json_response({"text": 42}),
        web.json_response({"buttons": ["not an object"]}),
    ],
    ids=["http-500", "not-an-object", "text-not-a-string", "button-not-an-object"],
)
def test_a_bad_answer_is_an_error(answer: web.Response) -> None:
    server = Server(lambda body: answer)

    async def test(nlg: KeepAliveNLG) -> None:
        with pytest.raises(RasaException):
            await nlg.generate("utter_hello", tracker(), "rest")

    with_nlg(server, test)


def test_check_response_accepts_what_rasas_schema_accepts() -> None:
    good = {
        "text": "Hi",
        "id": None,
        "buttons": [{"title": "Yes", "payload": "/affirm"}],
        "elements": None,
        "attachment": None,
        "image": None,
        "custom": {"directive": "handoff"},
    }
    assert check_response(good) is good
    assert check_response({}) == {}
    with pytest.raises(RasaException):
        check_response({"custom": None})
    with pytest.raises(RasaException):
        check_response({"image": 1})


def test_it_needs_a_url() -> None:
    with pytest.raises(RasaException):
        KeepAliveNLG(EndpointConfig(url=None))


PROJECT_ENDPOINTS = Path(__file__).resolve().parents[2] / "bot" / "endpoints.yml"


def test_the_projects_endpoints_send_the_nlg_secret_in_a_header(monkeypatch) -> None:
    """The gateway's /nlg answers only with NLG_SECRET in X-NLG-Secret (never in the URL)."""
    server = Server(lambda body: {"text": "ok"})

    async def main() -> None:
        async with server as url:
            monkeypatch.setitem(os.environ, "NLG_URL", url)
            monkeypatch.setitem(os.environ, "NLG_SECRET", "s3cret-for-rasa")
            monkeypatch.setitem(os.environ, "ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
            monkeypatch.setitem(os.environ, "RASA_TRACKER_URL", "sqlite:////tmp/unused.db")
            config = read_endpoint_config(str(PROJECT_ENDPOINTS), "nlg")
            nlg = NaturalLanguageGenerator.create(config, DOMAIN)
            assert isinstance(nlg, KeepAliveNLG)
            try:
                for _ in range(2):  # the kept-alive session sends it every time
                    await nlg.generate("utter_hello", tracker(), "rest")
            finally:
                await nlg.close()

    asyncio.run(main())
    assert [h.get("X-NLG-Secret") for h in server.headers] == ["s3cret-for-rasa"] * 2
    assert all("s3cret" not in q for q in server.queries)
