"""The Rasa client: one server per conversation, and its calls over real TCP to a stand-in server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.core import Button, Outbound
from bot.gateway.rasa import Answer, RasaClient, RasaUnavailable, read_answers


async def test_each_conversation_stays_on_one_server_and_all_servers_are_used() -> None:
    client = RasaClient(["http://r:5005", "http://r:5006", "http://r:5007"], 1.0)
    ids = [f"{i:032x}" for i in range(300)]
    chosen = [client.server_for(i) for i in ids]
    assert chosen == [client.server_for(i) for i in ids]
    assert {c: chosen.count(c) > 50 for c in client.base_urls} == dict.fromkeys(
        client.base_urls, True
    )
    await client.aclose()


def test_answers_are_messages_to_show_and_directives_to_act_on() -> None:
    handoff = {"directive": "handoff", "topic": "find_mentor", "urgent": False}
    replies = [
        {"recipient_id": "c1", "text": "Here:", "buttons": [{"title": "More", "payload": "/x"}]},
        {"recipient_id": "c1", "custom": handoff},
        {"recipient_id": "c1", "custom": {"not": "a directive"}},
        {"recipient_id": "c1", "image": "https://example.org/a.png"},
    ]
    assert read_answers(replies) == [
        Answer(message=Outbound("Here:", [Button("More", "/x")])),
        Answer(directive=handoff),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Webhook:
    """A REST webhook on 127.0.0.1 (uvicorn) that answers as `mode` says and notes each request."""

    def __init__(self, keep_alive_seconds: int = 5, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mode = "answer"
        self.bodies: list[dict[str, Any]] = []
        self.client_ports: list[int] = []
        self.release = asyncio.Event()
        app = Starlette(
            routes=[
                Route("/webhooks/rest/webhook", self.webhook, methods=["POST"]),
                Route("/status", self.status),
            ]
        )
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning",
            timeout_keep_alive=keep_alive_seconds, timeout_graceful_shutdown=1,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def status(self, request: Request) -> Response:
        return JSONResponse({"model_file": "" if self.mode == "no_model" else "m.tar.gz"})

    async def webhook(self, request: Request) -> Response:
        body = await request.json()
        self.bodies.append(body)
        assert request.client is not None
        self.client_ports.append(request.client.port)
        if self.mode == "hang":
            await self.release.wait()
        if self.mode == "fail":
            return JSONResponse({"error": "boom"}, status_code=500)
        if self.mode == "no_model":
            return JSONResponse({"message": "No agent loaded."}, status_code=409)
        if self.mode == "html":
            return PlainTextResponse("<html>not json</html>")
        return JSONResponse([{"recipient_id": body["sender"], "text": f"echo: {body['message']}"}])

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.release.set()
        self.server.should_exit = True
        if self.task is not None:
            await self.task


@pytest.fixture
async def webhook() -> AsyncIterator[Webhook]:
    server = Webhook()
    await server.start()
    yield server
    await server.stop()


async def test_a_message_goes_to_the_webhook_with_its_language_and_the_replies_come_back(
    webhook: Webhook,
) -> None:
    client = RasaClient([webhook.url], 5.0)
    try:
        first = await client.send("c1", "salaan", "so")
        second = await client.send("c1", "mahadsanid", "so")
    finally:
        await client.aclose()
    assert first == [{"recipient_id": "c1", "text": "echo: salaan"}]
    assert second == [{"recipient_id": "c1", "text": "echo: mahadsanid"}]
    assert webhook.bodies[0] == {
        "sender": "c1",
        "message": "salaan",
        "metadata": {"language": "so"},
    }
    # One kept-alive connection, not a new one per message.
    assert webhook.client_ports[0] == webhook.client_ports[1]


async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    server = Webhook(keep_alive_seconds=1)
    await server.start()
    client = RasaClient([server.url], 5.0)
    try:
        await client.send("c1", "one", "en")
        await asyncio.sleep(1.5)  # uvicorn closes the idle connection after 1 s
        assert await client.send("c1", "two", "en") == [{"recipient_id": "c1", "text": "echo: two"}]
    finally:
        await client.aclose()
        await server.stop()
    assert server.client_ports[0] != server.client_ports[1]


async def assert_unavailable(url: str, timeout: float) -> None:
    client = RasaClient([url], timeout)
    try:
        with pytest.raises(RasaUnavailable):
            await client.send("c1", "hello", "en")
    finally:
        await client.aclose()


@pytest.mark.parametrize("mode", ["fail", "html", "hang"])
async def test_an_error_a_non_json_answer_or_no_answer_in_time_is_rasa_unavailable(
    webhook: Webhook, mode: str
) -> None:
    webhook.mode = mode
    await assert_unavailable(webhook.url, 0.5)


async def test_a_server_that_is_not_running_is_rasa_unavailable() -> None:
    await assert_unavailable(f"http://127.0.0.1:{free_port()}", 2.0)


async def test_after_the_server_restarts_the_next_message_gets_through() -> None:
    server = Webhook()
    await server.start()
    client = RasaClient([server.url], 2.0)
    try:
        await client.send("c1", "one", "en")
        await server.stop()
        with pytest.raises(RasaUnavailable):
            await client.send("c1", "two", "en")
        server = Webhook(port=server.port)
        await server.start()
        assert await client.send("c1", "three", "en") == [
            {"recipient_id": "c1", "text": "echo: three"}
        ]
    finally:
        await client.aclose()
        await server.stop()


async def test_an_answer_that_is_not_http_is_rasa_unavailable() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"this is not HTTP\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(garbage, "127.0.0.1", 0)
    try:
        await assert_unavailable(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", 2.0)
    finally:
        server.close()
        await server.wait_closed()


async def test_the_api_token_goes_to_rasas_api_routes_and_never_to_the_webhook() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/status":
            token = request.url.params.get("token")
            if token != "t0ken":
                return httpx.Response(401, json={})
            return httpx.Response(200, json={"model_file": "m.tar.gz"})
        if request.url.path == "/health":
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(200, json=[])

    client = RasaClient(
        ["http://r:5005"], 1.0, transport=httpx.MockTransport(answer), auth_token="t0ken"
    )
    try:
        await client.set_language("c1", "so", fresh=False)
        await client.send("c1", "salaan", "so")
        assert (await client.health())["ok"]
    finally:
        await client.aclose()
    by_path = {request.url.path: request.url.params for request in seen}
    assert by_path["/conversations/c1/tracker/events"]["token"] == "t0ken"
    assert by_path["/conversations/c1/tracker/events"]["include_events"] == "NONE"
    assert by_path["/status"]["token"] == "t0ken"
    assert "token" not in by_path["/webhooks/rest/webhook"]

    wrong = RasaClient(["http://r:5005"], 1.0, transport=httpx.MockTransport(answer))
    try:
        health = await wrong.health()
    finally:
        await wrong.aclose()
    assert not health["ok"] and "RASA_AUTH_TOKEN" in health["servers"][0]["error"]
