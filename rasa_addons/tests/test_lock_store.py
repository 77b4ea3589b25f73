"""AtomicRedisLockStore against a real redis-server: processes that take tickets for one
conversation at once are served one at a time, where Rasa's own RedisLockStore serves two."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import multiprocessing
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_addons.lock_store import AtomicRedisLockStore

# The project's throwaway servers (standard library only), loaded by their path: this package
# never imports `bot` or the project's tests package.
SERVERS = Path(__file__).resolve().parents[2] / "tests" / "servers.py"


def _servers() -> Any:
    spec = importlib.util.spec_from_file_location("familyhub_test_servers_redis", SERVERS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    with _servers().RedisServer() as server:
        yield server.port


def atomic(port: int) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(
        EndpointConfig(url="127.0.0.1", port=port, db=0, key_prefix="familyhub")
    )


def rasas(port: int) -> RedisLockStore:
    return RedisLockStore(host="127.0.0.1", port=port, db=0, key_prefix="familyhub")


def _serve(kind: str, port: int, conversation: str, start: float, log: Any) -> None:
    """One process: wait for the common start, hold the conversation's lock for 0.3 s."""
    store: LockStore = atomic(port) if kind == "atomic" else rasas(port)

    async def turn() -> None:
        while time.time() < start:
            await asyncio.sleep(0.001)
        async with store.lock(conversation, wait_time_in_seconds=0.05):
            log.put(("in", time.time()))
            await asyncio.sleep(0.3)
            log.put(("out", time.time()))

    asyncio.run(turn())


def overlapping(kind: str, port: int, conversation: str, processes: int = 4) -> int:
    """How many processes held the lock at once, at most, when all asked at the same moment."""
    context = multiprocessing.get_context("spawn")
    log = context.Queue()
    start = time.time() + 3.0
    workers = [
        context.Process(target=_serve, args=(kind, port, conversation, start, log))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    events = sorted(log.get(timeout=5) for _ in range(2 * processes))
    held = most = 0
    for what, _ in sorted(events, key=lambda e: (e[1], e[0] == "in")):
        held += 1 if what == "in" else -1
        most = max(most, held)
    return most


def test_processes_asking_at_once_are_served_one_at_a_time(redis_port: int) -> None:
    assert overlapping("atomic", redis_port, "c-atomic") == 1
    # The lock is gone once nobody holds or waits for it.
    assert redis.Redis(port=redis_port).keys("familyhub:*") == []


def test_a_lock_left_by_a_dead_process_expires_with_its_ticket(redis_port: int) -> None:
    store = atomic(redis_port)
    store.issue_ticket("c-dead", lock_lifetime=1)
    client = redis.Redis(port=redis_port)
    key = b"familyhub:lock:c-dead"
    assert json.loads(client.get(key))["tickets"]  # type: ignore[arg-type]
    assert 0 < client.ttl(key) <= 1 + 5 + 1
    # After its ticket expired, the next turn is served, and leaves nothing behind.
    time.sleep(1.1)

    async def turn() -> str:
        async with store.lock("c-dead", wait_time_in_seconds=0.05) as lock:
            return str(lock.conversation_id)

    assert asyncio.run(turn()) == "c-dead"
    assert client.get(key) is None


def test_it_is_what_endpoints_yml_names() -> None:
    from rasa.core.lock_store import LockStore as Factory

    store = Factory.create(
        EndpointConfig(
            url="127.0.0.1",
            type="rasa_addons.lock_store.AtomicRedisLockStore",
            port=6390,
            db=3,
            key_prefix="familyhub",
        )
    )
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == "familyhub:lock:"
    kwargs = store.red.connection_pool.connection_kwargs
    assert (kwargs["port"], kwargs["db"]) == (6390, 3)
