"""The advisory lock: one holder across processes; when the holder's process is killed, a
standby takes it over (a real PostgreSQL, a real second process)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.store import AdvisoryLock
from tests.servers import PostgresServer

HOLDER = """
import asyncio, sys
from bot.store import AdvisoryLock

async def main():
    lock = AdvisoryLock(sys.argv[1], "test-lock", check_seconds=0.2)
    await lock.acquire()
    print("held", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


@pytest.fixture
def holder(fresh_postgres_url: str) -> Iterator[subprocess.Popen[str]]:
    """Another process that takes the lock and keeps it until it is killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, fresh_postgres_url], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


async def test_a_standby_takes_the_lock_when_the_holder_is_killed(
    fresh_postgres_url: str, holder: subprocess.Popen[str]
) -> None:
    standby = AdvisoryLock(fresh_postgres_url, "test-lock", check_seconds=0.2)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(1.5):
            await standby.acquire()
    assert not standby.held, "one holder at a time"
    other = AdvisoryLock(fresh_postgres_url, "another-lock", check_seconds=0.2)
    async with asyncio.timeout(20):
        await other.acquire()  # a lock of another name is free
    os.kill(holder.pid, signal.SIGKILL)
    async with asyncio.timeout(30):
        await standby.acquire()
    assert standby.held
    await standby.release()
    await other.release()


async def test_the_holder_learns_it_lost_the_lock_when_its_connection_ends(
    fresh_postgres_url: str, postgres_server: PostgresServer
) -> None:
    lock = AdvisoryLock(fresh_postgres_url, "test-lock", check_seconds=0.2)
    await lock.acquire()
    database = fresh_postgres_url.rsplit("/", 1)[1]
    await asyncio.to_thread(
        postgres_server.psql,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        f" WHERE datname = '{database}' AND pid <> pg_backend_pid()",
    )
    async with asyncio.timeout(20):
        await lock.lost()
    assert not lock.held
    successor = AdvisoryLock(fresh_postgres_url, "test-lock", check_seconds=0.2)
    async with asyncio.timeout(20):
        await successor.acquire()
    await successor.release()
