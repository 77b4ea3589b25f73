"""The action server's health: a watched TCP connection while it runs, a health check otherwise."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.gateway.action_server import ActionServer

HEALTHY = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
HEALTHY += b'{"status":"ok"}'


class HealthServer:
    """A real TCP server on 127.0.0.1 that answers GET /health; it can stop and start again."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.health_checks = 0
        self.connections = 0

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        """As when the process stops: no more connections, and the open ones closed."""
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        await self.server.wait_closed()

    def close_idle(self) -> None:
        """As a server closing idle connections: the process runs on."""
        for writer in list(self.writers):
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.add(writer)
        try:
            while request := await reader.readuntil(b"\r\n\r\n"):
                if request.startswith(b"GET /health "):
                    self.health_checks += 1
                    writer.write(HEALTHY)
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[HealthServer]:
    found = HealthServer()
    await found.start()
    yield found
    if found.server is not None and found.server.is_serving():
        await found.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as found:
        yield found


async def settle(condition: object, seconds: float = 2.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


async def test_after_one_health_check_the_connection_answers_for_free(
    server: HealthServer, client: httpx.AsyncClient
) -> None:
    actions = ActionServer(server.webhook_url, client, watch=True)
    assert await actions.ready()
    assert actions.watched
    for _ in range(20):
        assert await actions.ready()
    assert server.health_checks == 1
    await actions.aclose()


async def test_a_stopped_action_server_is_known_at_once_and_its_return_too(
    server: HealthServer, client: httpx.AsyncClient
) -> None:
    actions = ActionServer(server.webhook_url, client, watch=True)
    assert await actions.ready()
    await server.stop()
    await settle(lambda: not actions.watched)
    assert not await actions.ready()
    assert not await actions.ready()  # still down: every message checks again

    await server.start()
    assert await actions.ready()
    assert actions.watched
    await actions.aclose()


async def test_an_idle_close_is_watched_again_without_waiting_for_a_message(
    server: HealthServer, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.gateway.action_server.REOPEN_AFTER_SECONDS", 0.0)
    actions = ActionServer(server.webhook_url, client, watch=True)
    assert await actions.ready()
    server.close_idle()
    await settle(lambda: server.connections >= 3 and actions.watched)
    assert server.health_checks == 2
    await actions.aclose()


async def test_a_watch_closed_at_once_is_not_reopened_until_a_message_asks(
    server: HealthServer, client: httpx.AsyncClient
) -> None:
    actions = ActionServer(server.webhook_url, client, watch=True)
    assert await actions.ready()
    server.close_idle()
    await settle(lambda: not actions.watched)
    await asyncio.sleep(0.1)
    assert server.health_checks == 1
    assert await actions.ready()
    assert server.health_checks == 2
    await actions.aclose()


async def test_without_a_watch_every_message_checks(
    server: HealthServer, client: httpx.AsyncClient
) -> None:
    actions = ActionServer(server.webhook_url, client, watch=False)
    for _ in range(3):
        assert await actions.ready()
    assert server.health_checks == 3
    assert not actions.watched


async def test_closing_closes_the_watch(server: HealthServer, client: httpx.AsyncClient) -> None:
    actions = ActionServer(server.webhook_url, client, watch=True)
    assert await actions.ready()
    open_before = len(server.writers)  # the watch, and the health check's keep-alive connection
    await actions.aclose()
    assert not actions.watched
    await settle(lambda: len(server.writers) == open_before - 1)
