"""LISTEN/NOTIFY between two processes' connections on a real PostgreSQL (tests/servers.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.store import CONVERSATION, OUTBOX, Notifications
from tests.servers import PostgresServer


async def until(check: Callable[[], bool], seconds: float = 20.0) -> None:
    async with asyncio.timeout(seconds):
        while not check():
            await asyncio.sleep(0.02)


async def test_what_one_process_publishes_reaches_the_other(fresh_postgres_url: str) -> None:
    one, other = Notifications(fresh_postgres_url), Notifications(fresh_postgres_url)
    heard: list[tuple[str, str | None]] = []
    handlers = {
        CONVERSATION: lambda payload: heard.append((CONVERSATION, payload)),
        OUTBOX: lambda payload: heard.append((OUTBOX, payload)),
    }
    tasks = [
        asyncio.create_task(one.run({})),
        asyncio.create_task(other.run(handlers)),
    ]
    try:
        await until(lambda: other.listening.is_set())
        assert sorted(heard, key=str) == [(CONVERSATION, None), (OUTBOX, None)], (
            "told to look again on connecting"
        )
        heard.clear()
        one.publish(CONVERSATION, "c0ffee")
        await asyncio.to_thread(one.publish, OUTBOX)  # from another thread, as the handoff does
        await until(lambda: len(heard) == 2)
        assert sorted(heard) == [(CONVERSATION, "c0ffee"), (OUTBOX, "")]
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_lost_listening_connection_comes_back_and_says_so(
    fresh_postgres_url: str, postgres_server: PostgresServer
) -> None:
    sender, listener = Notifications(fresh_postgres_url), Notifications(fresh_postgres_url)
    heard: list[str | None] = []
    tasks = [
        asyncio.create_task(sender.run({})),
        asyncio.create_task(listener.run({CONVERSATION: heard.append})),
    ]
    database = fresh_postgres_url.rsplit("/", 1)[1]
    try:
        await until(lambda: listener.listening.is_set())
        sender.publish(CONVERSATION, "before")
        await until(lambda: "before" in heard)
        # The server ends every session on the database (a restart, a failover).
        await asyncio.to_thread(
            postgres_server.psql,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{database}' AND pid <> pg_backend_pid()",
        )
        await until(lambda: heard.count(None) >= 2)  # reconnected: look again
        heard.clear()
        sender.publish(CONVERSATION, "later")  # its connection was lost too: sent on a new one
        await until(lambda: "later" in heard)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def test_publishing_before_running_is_dropped_quietly(fresh_postgres_url: str) -> None:
    Notifications(fresh_postgres_url).publish(CONVERSATION, "c")
