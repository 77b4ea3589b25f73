"""Benchmark: the web chat API against Rasa's own REST webhook, same model, 1/10/50 sessions.

Starts its own stack on free ports (trained model needed: `familyhub train`), then prints
p50/p95/p99 latency, messages per second, the gateway's overhead over raw Rasa, errors,
paced runs (10 sessions, one message every 2 s each, staggered and in step) and the peak RSS of every process.
    .venv/bin/python bench/chat.py [--messages 30] [--pairs 90] [--rounds 3] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, cast

import aiohttp
import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import Settings  # noqa: E402
from bot.supervisor import Supervisor, children  # noqa: E402

MESSAGES = {
    "en": ["hello", "are there any baby groups near me?", "I would like a maternity mentor",
           "I have been feeling really low", "where is the nearest family hub?", "thank you"],
    "so": ["asc walaal", "kooxaha ilmaha maxaa jira", "waxaan rabaa maternity mentor",
           "niyad jab baan qabaa", "xarunta family hub xaggee ku taal", "mahadsanid"],
    "tr": ["merhaba", "bebek grupları var mı", "mentor istiyorum", "kendimi iyi hissetmiyorum",
           "en yakın aile merkezi nerede", "teşekkürler"],
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RssSampler(threading.Thread):
    """Peak resident memory of each supervised process tree, sampled every 200 ms."""

    def __init__(self, supervisor: Supervisor) -> None:
        super().__init__(daemon=True)
        self.supervisor = supervisor
        self.peaks: dict[str, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            for name, child in self.supervisor.children.items():
                if child.process is None:
                    continue
                try:
                    root = psutil.Process(child.process.pid)
                    rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
                except psutil.Error:
                    continue
                self.peaks[name] = max(self.peaks.get(name, 0), rss)


def client(base: str, connections: int = 10) -> aiohttp.ClientSession:
    """An HTTP client for one side of the benchmark.

    aiohttp, not httpx: the client shares the two cores with the servers it measures, and
    httpx's pool checks every pooled connection on each request (at 50 sessions it costs
    several ms of CPU a request, taken from Rasa on both paths).
    """
    return aiohttp.ClientSession(
        base_url=base,
        timeout=aiohttp.ClientTimeout(total=60),
        connector=aiohttp.TCPConnector(limit=connections),
    )


async def post(session: aiohttp.ClientSession, url: str, **kwargs: Any) -> tuple[int, Any]:
    """(status, JSON body) of a POST; the body is None when it is not JSON."""
    async with session.post(url, **kwargs) as response:
        try:
            return response.status, await response.json(content_type=None)
        except ValueError:
            return response.status, None


async def gateway_sender(
    session: aiohttp.ClientSession, language: str
) -> tuple[str, dict[str, str]]:
    _, created = await post(session, "/api/sessions", json={"language": language})
    assert isinstance(created, dict)
    headers = {"Authorization": f"Bearer {created['token']}"}
    await post(
        session,
        f"/api/sessions/{created['session']}/consent",
        json={"consent": True},
        headers=headers,
    )
    return f"/api/sessions/{created['session']}/messages", headers


async def set_slot(direct: aiohttp.ClientSession, sender: str, language: str) -> None:
    """What the gateway does on a conversation's first message (see RasaClient.set_language)."""
    event = {"event": "slot", "name": "language", "value": language}
    for _ in range(2):
        await post(
            direct,
            f"/conversations/{sender}/tracker/events",
            params={"include_events": "NONE"},
            json=event,
        )


async def paired(base: str, rasa: str, count: int) -> tuple[list[float], list[float]]:
    """One session each way, alternating message by message, so machine load hits both alike."""
    raw: list[float] = []
    via: list[float] = []
    async with client(base) as gateway, client(rasa) as direct:
        for language in MESSAGES:
            url, headers = await gateway_sender(gateway, language)
            sender = uuid.uuid4().hex
            for i in range(count // len(MESSAGES)):
                text = MESSAGES[language][i % len(MESSAGES[language])]
                started = time.perf_counter()
                if i == 0:
                    await set_slot(direct, sender, language)  # as the gateway does, timed alike
                body = {"sender": sender, "message": text, "metadata": {"language": language}}
                await post(direct, "/webhooks/rest/webhook", json=body)
                raw.append(time.perf_counter() - started)
                started = time.perf_counter()
                await post(gateway, url, json={"text": text}, headers=headers)
                via.append(time.perf_counter() - started)
    return raw, via


async def run_level(
    base: str,
    rasa: str,
    sessions: int,
    count: int,
    raw: bool,
    pace: float = 0.0,
    stagger: bool = False,
) -> dict[str, float]:
    """`sessions` senders, each sending `count` messages one after another (or every `pace` s).

    With `stagger`, sender k starts k * pace / sessions seconds late, as parents do not all
    press send at the same instant; without it, every pace-th second brings a burst of all.
    """
    latencies: list[float] = []
    errors = 0
    async with client(base, sessions + 10) as gateway, client(rasa, sessions + 10) as direct:
        languages = list(itertools.islice(itertools.cycle(MESSAGES), sessions))
        if raw:
            senders = [(uuid.uuid4().hex, language) for language in languages]
        else:
            made = await asyncio.gather(*(gateway_sender(gateway, lang) for lang in languages))
            senders = [(m, lang) for m, lang in zip(made, languages, strict=True)]  # type: ignore[misc]

        async def one(sender: object, language: str, delay: float) -> None:
            nonlocal errors
            await asyncio.sleep(delay)
            for i in range(count):
                text = MESSAGES[language][i % len(MESSAGES[language])]
                started = time.perf_counter()
                try:
                    if raw:
                        if i == 0:
                            # The language slot, set as the gateway sets it with a conversation's
                            # first message: the same Rasa work, timed the same way on both paths.
                            await set_slot(direct, str(sender), language)
                        status, replies = await post(
                            direct,
                            "/webhooks/rest/webhook",
                            json={
                                "sender": sender,
                                "message": text,
                                "metadata": {"language": language},
                            },
                        )
                        ok = status == 200 and bool(replies)
                    else:
                        url, headers = cast(tuple[str, dict[str, str]], sender)
                        status, body = await post(
                            gateway, url, json={"text": text}, headers=headers
                        )
                        shown = body.get("messages") if isinstance(body, dict) else None
                        ok = (
                            status == 200
                            and isinstance(shown, list)
                            and bool(shown)
                            and shown[0]["sender"] != "system"
                        )
                except (TimeoutError, aiohttp.ClientError):
                    ok = False
                elapsed = time.perf_counter() - started
                latencies.append(elapsed)
                errors += 0 if ok else 1
                if pace:
                    await asyncio.sleep(max(0.0, pace - elapsed))

        began = time.perf_counter()
        delays = [k * pace / sessions if stagger else 0.0 for k in range(sessions)]
        await asyncio.gather(
            *(one(s, lang, d) for (s, lang), d in zip(senders, delays, strict=True))
        )
        wall = time.perf_counter() - began
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": quantiles[94] * 1000,
        "p99": quantiles[98] * 1000,
        "rate": len(latencies) / wall,
        "errors": errors,
        "n": len(latencies),
    }


def row(label: str, found: dict[str, float]) -> str:
    return (f"{label:<22} {found['p50']:8.1f} {found['p95']:8.1f} {found['p99']:8.1f} "
            f"{found['rate']:8.1f} {int(found['errors']):6d} {int(found['n']):6d}")  # fmt: skip


async def bench(base: str, rasa: str, count: int, pairs: int, rounds: int) -> None:
    print(
        f"{'run':<22} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'msg/s':>8} {'errors':>6} {'n':>6}"
    )
    await run_level(base, rasa, 3, 4, raw=False)  # warm up both paths and the model
    await run_level(base, rasa, 3, 4, raw=True)
    raw_times, via_times = await paired(base, rasa, pairs)
    raw_p50 = statistics.median(raw_times) * 1000
    via_p50 = statistics.median(via_times) * 1000
    # The median of each pair's difference: what the gateway adds, with Rasa's own jitter paired off.
    added = statistics.median(v - r for v, r in zip(via_times, raw_times, strict=True)) * 1000
    print(f"paired, 1 session each, alternating, {len(raw_times)} pairs: raw p50 {raw_p50:.1f} ms, "
          f"gateway p50 {via_p50:.1f} ms, overhead x{via_p50 / raw_p50:.2f} "
          f"(+{via_p50 - raw_p50:.1f} ms; median pair difference +{added:.1f} ms)")  # fmt: skip
    for sessions in (1, 10, 50):
        per = count if sessions == 1 else max(4, count * 10 // sessions)
        ratios = []
        for round_ in range(rounds):
            # Raw first in one round, gateway first in the next, so that drift hits both alike.
            order = (True, False) if round_ % 2 == 0 else (False, True)
            found = {raw: await run_level(base, rasa, sessions, per, raw=raw) for raw in order}
            direct, via = found[True], found[False]
            print(row(f"rasa raw, {sessions} sess.", direct))
            print(row(f"gateway, {sessions} sess.", via))
            ratios.append(via["rate"] / direct["rate"])
            print(f"  overhead p50 x{via['p50'] / direct['p50']:.2f}; "
                  f"throughput {100 * ratios[-1]:.0f}% of raw Rasa")  # fmt: skip
        if rounds > 1:
            print(f"  {sessions} sess., {rounds} rounds: throughput "
                  f"{', '.join(f'{100 * r:.0f}%' for r in ratios)} of raw Rasa; "
                  f"median {100 * statistics.median(ratios):.0f}%")  # fmt: skip
    for stagger, label in ((True, "staggered"), (False, "in step")):
        paced = await run_level(base, rasa, 10, 10, raw=False, pace=2.0, stagger=stagger)
        print(row(f"gw 10 x 1/2s {label}", paced))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--messages", type=int, default=30, help="messages per session at 1 session"
    )
    parser.add_argument(
        "--pairs", type=int, default=90, help="alternating raw/gateway pairs for the overhead"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="raw/gateway rounds at each number of sessions"
    )
    parser.add_argument("--workers", type=int, default=1, help="Rasa processes (RASA_WORKERS)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="familyhub-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{base / 'familyhub.db'}",
        rasa_tracker_store_url=f"sqlite:///{base / 'rasa_tracker.db'}",
        gateway_port=free_port(), rasa_port=free_port(), action_server_port=free_port(),
        rasa_workers=args.workers, rate_limit_per_minute=100_000, rasa_timeout_seconds=60,
        log_level="WARNING",
    )  # fmt: skip
    if settings.rasa_workers > 1:  # consecutive ports
        settings.rasa_port = 20000 + settings.rasa_port % 10000
    found = children(settings)
    for child in found:
        child.env["TELEGRAM_BOT_TOKEN"] = ""
    log = (base / "stack.log").open("w")
    supervisor = Supervisor(found, out=log)
    sampler = RssSampler(supervisor)
    supervisor.start()
    sampler.start()
    gateway = f"http://127.0.0.1:{settings.gateway_port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{gateway}/healthz", timeout=5).json()
                if health["rasa"]["ok"] and health["action_server"]["ok"]:
                    break
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            time.sleep(1)
        else:
            raise SystemExit(f"stack not ready; see {base / 'stack.log'}")
        print(f"Rasa workers: {settings.rasa_workers}; model dir: {settings.model_dir}")
        asyncio.run(
            bench(
                gateway,
                f"http://127.0.0.1:{settings.rasa_port}",
                args.messages,
                args.pairs,
                args.rounds,
            )
        )
    finally:
        sampler.done.set()
        supervisor.stop()
    print(
        "peak RSS: "
        + ", ".join(f"{name} {rss / 2**20:.0f} MB" for name, rss in sorted(sampler.peaks.items()))
    )


if __name__ == "__main__":
    main()
