"""Several Rasa servers: a stable server per conversation, the next one while it is down (and
back when it recovers), each shown in the health view; over real TCP to stand-in servers."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.gateway import rasa as rasa_module
from bot.gateway.rasa import RasaClient, RasaUnavailable
from bot.gateway.servers import ServerPool
from tests.gateway.test_rasa import Webhook


def conversation_on(pool: ServerPool, url: str) -> str:
    """A conversation id whose own server is `url`."""
    return next(f"{i:032x}" for i in range(1000) if pool.ranked(f"{i:032x}")[0] == url)


def test_adding_a_server_moves_only_the_conversations_it_takes() -> None:
    ids = [f"{i:032x}" for i in range(3000)]
    two = ServerPool(["http://a:5005", "http://b:5005"])
    three = ServerPool(["http://a:5005", "http://b:5005", "http://c:5005"])
    moved = [i for i in ids if two.first(i) != three.first(i)]
    # Every moved conversation went to the new server; about a third of them moved.
    assert {three.first(i) for i in moved} == {"http://c:5005"}
    assert 800 < len(moved) < 1200


@pytest.fixture
async def two_servers() -> list[Webhook]:
    servers = [Webhook(), Webhook()]
    for server in servers:
        await server.start()
    yield servers
    for server in servers:
        await server.stop()


async def wait_until(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_a_conversation_fails_over_while_its_server_is_down_and_comes_back(
    two_servers: list[Webhook], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rasa_module, "PROBE_SECONDS", 0.2)
    first, second = two_servers
    client = RasaClient([first.url, second.url], 2.0)
    conversation = conversation_on(client.pool, first.url)
    try:
        await client.send(conversation, "one", "en")
        assert [b["message"] for b in first.bodies] == ["one"] and second.bodies == []

        await first.stop()
        assert await client.send(conversation, "two", "en") == [
            {"recipient_id": conversation, "text": "echo: two"}
        ]
        assert [b["message"] for b in second.bodies] == ["two"]
        health = await client.health()
        assert health["ok"] is False and health["serving"] is True
        assert [(s["url"], s["up"], s["failed_over"]) for s in health["servers"]] == [
            (first.url, False, True),
            (second.url, True, False),
        ]
        # While it is down, its conversations go straight to the next server.
        await client.send(conversation, "three", "en")
        assert [b["message"] for b in second.bodies] == ["two", "three"]

        restarted = Webhook(port=first.port)
        await restarted.start()
        two_servers[0] = restarted
        await wait_until(lambda: not client.pool.down())
        await client.send(conversation, "four", "en")
        assert [b["message"] for b in restarted.bodies] == ["four"]
        assert (await client.health())["ok"] is True
    finally:
        await client.aclose()


async def test_a_server_without_its_model_is_passed_over_until_it_has_one(
    two_servers: list[Webhook], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rasa_module, "PROBE_SECONDS", 0.2)
    first, second = two_servers
    first.mode = "no_model"
    client = RasaClient([first.url, second.url], 2.0)
    conversation = conversation_on(client.pool, first.url)
    try:
        await client.send(conversation, "one", "en")
        assert [b["message"] for b in second.bodies] == ["one"]
        first.mode = "answer"
        await wait_until(lambda: not client.pool.down())
        await client.send(conversation, "two", "en")
        assert [b["message"] for b in first.bodies] == ["one", "two"]
    finally:
        await client.aclose()


async def test_a_message_a_server_took_is_never_sent_to_another(
    two_servers: list[Webhook],
) -> None:
    """An error or no answer in time after the request went out: that server may have processed
    it, so it is not sent again elsewhere (the parent is told Rasa is unavailable)."""
    first, second = two_servers
    client = RasaClient([first.url, second.url], 0.5)
    conversation = conversation_on(client.pool, first.url)
    try:
        for mode in ("fail", "hang"):
            first.mode = mode
            with pytest.raises(RasaUnavailable):
                await client.send(conversation, mode, "en")
        assert second.bodies == [] and not client.pool.down()
    finally:
        await client.aclose()


async def test_a_connection_closed_after_the_request_went_out_is_not_sent_again() -> None:
    """A server that died mid-turn: the request reached it, so it goes nowhere else."""
    taken: list[bytes] = []

    async def dies(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        taken.append(await reader.readuntil(b"\r\n\r\n"))
        writer.close()

    dying = await asyncio.start_server(dies, "127.0.0.1", 0)
    other = Webhook()
    await other.start()
    url = f"http://127.0.0.1:{dying.sockets[0].getsockname()[1]}"
    client = RasaClient([url, other.url], 2.0)
    try:
        with pytest.raises(RasaUnavailable):
            await client.send(conversation_on(client.pool, url), "hello", "en")
        assert len(taken) == 1 and other.bodies == []
    finally:
        await client.aclose()
        await other.stop()
        dying.close()
        await dying.wait_closed()


async def test_when_every_server_is_down_rasa_is_unavailable(two_servers: list[Webhook]) -> None:
    client = RasaClient([s.url for s in two_servers], 2.0)
    for server in two_servers:
        await server.stop()
    try:
        with pytest.raises(RasaUnavailable):
            await client.send("c1", "hello", "en")
        health = await client.health()
        assert health["ok"] is False and health["serving"] is False
    finally:
        await client.aclose()
