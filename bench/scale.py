"""Benchmark: throughput and p95 with 1 and 2 Rasa servers and 1 and 2 gateways, on PostgreSQL
and Redis, with the CPU each process spent per message.

Starts its own throwaway PostgreSQL and Redis (tests/servers.py) and one cluster of real
processes (tests/scale/cluster.py: two Rasa servers, the action server, two gateways; trained
model needed: `familyhub train`), then runs the same closed-loop load (`--sessions` web chat
parents, each sending its next message when the last was answered) for `--seconds` in each
configuration, in this order, so that nothing has to start again in between:

    2 Rasa, 1 gateway   (the load on gateway 1; both Rasa servers take conversations)
    2 Rasa, 2 gateways  (the parents spread over both gateways)
    1 Rasa, 2 gateways  (Rasa server 2 stopped: the gateways fail its conversations over)
    1 Rasa, 1 gateway

For each: messages per second, p50 and p95 latency, errors, and the CPU seconds each process
(with its children: Sanic workers, PostgreSQL backends) spent per message, from psutil, with
the machine's idle share: on 2 cores the curve is explained by where the CPU went.

    .venv/bin/python bench/scale.py [--sessions 16] [--seconds 40]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.scale.cluster import Cluster, start_cluster  # noqa: E402
from tests.servers import PostgresServer, RedisServer  # noqa: E402

MESSAGES = [
    "hello",
    "are there any baby groups near me?",
    "where is the nearest family hub?",
    "is there a breastfeeding group?",
    "what can you help me with",
    "thank you",
]


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its living children."""
    total = 0.0
    try:
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            try:
                times = process.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
            except psutil.NoSuchProcess:
                continue
    except psutil.NoSuchProcess:
        return 0.0
    return total


def tree_rss_mb(pid: int) -> float:
    total = 0
    try:
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
    except psutil.NoSuchProcess:
        return 0.0
    return total / 2**20


class Parent:
    """One web chat parent on one gateway."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.path = ""
        self.headers: dict[str, str] = {}

    async def open(self) -> Parent:
        created = (await self.client.post("/api/sessions", json={"language": "en"})).json()
        self.path = f"/api/sessions/{created['session']}"
        self.headers = {"Authorization": f"Bearer {created['token']}"}
        consent = await self.client.post(
            f"{self.path}/consent", json={"consent": True}, headers=self.headers
        )
        consent.raise_for_status()
        return self

    async def say(self, text: str) -> bool:
        response = await self.client.post(
            f"{self.path}/messages", json={"text": text}, headers=self.headers
        )
        return response.status_code == 200 and bool(response.json().get("messages"))


async def load(urls: list[str], sessions: int, seconds: float) -> dict[str, Any]:
    """`sessions` parents spread over the gateways, each in a closed loop for `seconds`."""
    clients = [httpx.AsyncClient(base_url=url, timeout=60) for url in urls]
    parents = [
        await Parent(clients[i % len(clients)]).open() for i in range(sessions)
    ]  # opened before the clock starts
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def run(parent: Parent, offset: int) -> None:
        nonlocal errors
        for text in itertools.islice(itertools.cycle(MESSAGES), offset, None):
            if time.monotonic() >= deadline:
                return
            started = time.monotonic()
            ok = await parent.say(text)
            if ok:
                latencies.append(time.monotonic() - started)
            else:
                errors += 1

    started = time.monotonic()
    await asyncio.gather(*(run(p, i) for i, p in enumerate(parents)))
    elapsed = time.monotonic() - started
    for client in clients:
        await client.aclose()
    latencies.sort()
    return {
        "messages": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "errors": errors,
        "elapsed": elapsed,
    }


def measured(
    cluster: Cluster, servers: dict[str, int], urls: list[str], sessions: int, seconds: float
) -> dict[str, Any]:
    pids = {**cluster.pids(), **servers}
    before = {name: tree_cpu(pid) for name, pid in pids.items()}
    machine = psutil.cpu_times()
    own = psutil.Process().cpu_times()
    result = asyncio.run(load(urls, sessions, seconds))
    after_machine = psutil.cpu_times()
    own_after = psutil.Process().cpu_times()
    cpu = {name: tree_cpu(pid) - before[name] for name, pid in pids.items()}
    cpu["load generator"] = (own_after.user + own_after.system) - (own.user + own.system)
    busy = sum(after_machine) - sum(machine)
    result["idle"] = (after_machine.idle - machine.idle) / busy if busy else 0.0
    result["cpu"] = cpu
    result["rss"] = {name: tree_rss_mb(pid) for name, pid in pids.items()}
    return result


def storage(database_url: str) -> None:
    """Bytes each stored message costs in PostgreSQL (our tables and Rasa's, with indexes)."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        messages = connection.execute(sa.text("SELECT count(*) FROM messages")).scalar_one()
        events = connection.execute(sa.text("SELECT count(*) FROM rasa.events")).scalar_one()
        sizes = connection.execute(
            sa.text(
                "SELECT n.nspname, sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname IN ('public', 'rasa') GROUP BY n.nspname"
            )
        ).all()
    engine.dispose()
    size = dict(sizes)
    print(f"\nstored: {messages} messages (parents' and replies), {events} Rasa events")
    for schema, total in sorted(size.items()):
        print(
            f"  {schema:<8} {int(total) / 2**20:7.1f} MB, {int(total) / max(1, messages):6.0f} B per stored message"
        )


def show(label: str, result: dict[str, Any]) -> None:
    n = max(1, result["messages"])
    print(
        f"\n{label}: {result['rate']:.1f} messages/s, p50 {result['p50'] * 1000:.0f} ms, "
        f"p95 {result['p95'] * 1000:.0f} ms, {result['messages']} answered, "
        f"{result['errors']} errors, machine idle {result['idle']:.0%}"
    )
    print(f"  {'process':<16} {'CPU s':>7} {'CPU ms/msg':>11} {'cores':>6} {'RSS MB':>7}")
    for name, seconds in sorted(result["cpu"].items()):
        rss = result["rss"].get(name, 0.0)
        print(
            f"  {name:<16} {seconds:7.1f} {seconds / n * 1000:11.1f} "
            f"{seconds / result['elapsed']:6.2f} {rss:7.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="familyhub-bench-scale-"))
    print(
        f"{psutil.cpu_count()} cores; load average now {psutil.getloadavg()[0]:.1f} (shared machine)"
    )
    with PostgresServer() as postgres, RedisServer() as redis:
        started = time.monotonic()
        database_url = postgres.url(postgres.create_database())
        cluster = start_cluster(
            base,
            database_url=database_url,
            redis_url=redis.url(),
            rasa=2,
            gateways=2,
            # Every parent comes from 127.0.0.1: no per-client budget may slow the load.
            rate_limit_per_minute=100_000,
            client_messages_per_minute=1_000_000,
            client_sessions_per_minute=1_000_000,
        )
        print(f"cluster started in {time.monotonic() - started:.0f} s")
        assert postgres.process is not None and redis.process is not None
        servers = {"postgresql": postgres.process.pid, "redis": redis.process.pid}
        try:
            asyncio.run(load(cluster.urls[:1], 4, 5))  # warm-up: models, pools, caches
            runs = [("2 Rasa, 1 gateway", cluster.urls[:1]), ("2 Rasa, 2 gateways", cluster.urls)]
            for label, urls in runs:
                show(label, measured(cluster, servers, urls, args.sessions, args.seconds))
            cluster.supervisor.stop_child("rasa2")
            asyncio.run(load(cluster.urls, 4, 5))  # both gateways find rasa2 down
            runs = [("1 Rasa, 2 gateways", cluster.urls), ("1 Rasa, 1 gateway", cluster.urls[:1])]
            for label, urls in runs:
                show(label, measured(cluster, servers, urls, args.sessions, args.seconds))
            storage(database_url)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
