"""Soak: web chat sessions and Telegram chats against the real stack for a long while.

The whole service as `familyhub run` starts it (Rasa, the action server, the gateway), with
Telegram on the fake Bot API (tests/fakes). Each web parent opens a session, agrees, follows
its event stream with a ticket and sends a message every few seconds; each Telegram parent's
message is pushed to getUpdates and timed until the bot's reply reaches sendMessage. Every
interval it prints p95 latency, errors, the outbox depth and each process tree's memory; at
the end, memory growth after the warm-up.

    .venv/bin/python bench/soak.py [--minutes 30] [--web 50] [--telegram 20]

Targets: no errors; under 10% memory growth per process after the warm-up. An answer later
than 30 s is counted late (and in the p95); an error is a refusal, a failed request, or no
answer after 120 s, so a late reply is told apart from a lost one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx
import psutil
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.handoff.mentors import invite  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Database  # noqa: E402
from bot.supervisor import Supervisor, children  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.integration.stack import free_port  # noqa: E402

# An answer later than this is late; one not come after LOST_SECONDS is lost (an error).
LATE_SECONDS = 30.0
LOST_SECONDS = 120.0
MESSAGES = [
    "hello",
    "where are the baby groups",
    "is there a stay and play on saturday",
    "my baby does not sleep",
    "how do I breastfeed",
    "kooxaha ilmaha maxaa jira",
    "ilmahaygu ma seexdo",
    "bebek grupları nerede",
    "bebeğim uyumuyor",
    "thank you",
    "help",
]


@dataclass
class Figures:
    """What one interval saw."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    sent: int = 0
    quiet: int = 0  # accepted with no reply of their own (passed on to the mentors)
    late: int = 0  # answered, but after LATE_SECONDS (counted in the latencies too)


@dataclass
class Run:
    gateway: str
    fake: FakeTelegram
    end: float
    interval: Figures = field(default_factory=Figures)
    errors: list[str] = field(default_factory=list)

    def record(self, seconds: float | None, what: str = "") -> None:
        self.interval.sent += 1
        if seconds is not None and seconds > LATE_SECONDS:
            self.interval.late += 1
        if seconds is None:
            self.interval.errors += 1
            if len(self.errors) < 20:
                self.errors.append(what)
        else:
            self.interval.latencies.append(seconds)


async def web_parent(run: Run, number: int, think: float) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, think))
    timeout = aiohttp.ClientTimeout(total=LOST_SECONDS)
    # An idle connection is dropped before uvicorn's 5 s keep-alive ends, as a browser's is
    # retried: else a POST on a connection the server is just closing fails, which is the
    # client's race, not the service's.
    connector = aiohttp.TCPConnector(keepalive_timeout=4)
    async with aiohttp.ClientSession(
        base_url=run.gateway, timeout=timeout, connector=connector
    ) as http:
        async with http.post("/api/sessions", json={"language": "en"}) as response:
            if response.status != 201:
                run.record(None, f"web session: {response.status}")
                return
            created = await response.json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        base = f"/api/sessions/{created['session']}"
        async with http.post(f"{base}/consent", json={"consent": True}, headers=headers) as r:
            if r.status != 200:
                run.record(None, f"consent: {r.status}")
        stream = asyncio.create_task(follow(http, base, headers))
        try:
            while time.monotonic() < run.end:
                started = time.monotonic()
                # Now and then a parent asks for a person (an alert through the outbox to the
                # mentor), and later stops waiting.
                ask = rng.random()
                text = "/human" if ask < 0.04 else "/cancel" if ask < 0.08 else rng.choice(MESSAGES)
                body = {"text": text}
                try:
                    async with http.post(f"{base}/messages", json=body, headers=headers) as r:
                        answer = await r.json() if r.status == 200 else {}
                        ok = isinstance(answer.get("messages"), list)
                        # While a request for a person is open, a message is passed to the
                        # mentors and the answer has no reply of its own: not an error.
                        if ok and not answer["messages"]:
                            run.interval.quiet += 1
                        run.record(time.monotonic() - started if ok else None, f"web: {r.status}")
                except (aiohttp.ClientError, TimeoutError) as error:
                    run.record(None, f"web: {type(error).__name__}")
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
        finally:
            stream.cancel()


async def follow(http: aiohttp.ClientSession, base: str, headers: dict[str, str]) -> None:
    """The page's event stream: a ticket, then the stream, read until cancelled."""
    while True:
        try:
            async with http.post(f"{base}/ticket", headers=headers) as r:
                ticket = (await r.json())["ticket"]
            timeout = aiohttp.ClientTimeout(total=None, sock_read=60)
            async with http.get(f"{base}/events", params={"ticket": ticket}, timeout=timeout) as r:
                async for _line in r.content:
                    pass
        except (aiohttp.ClientError, TimeoutError, KeyError):
            await asyncio.sleep(2)


async def telegram_parent(run: Run, number: int, think: float) -> None:
    rng = random.Random(1000 + number)
    chat = 900_000 + number
    await asyncio.sleep(rng.uniform(0, think))
    # The first message starts the chat; the privacy notice comes with the first answer.
    run.fake.push_text(chat, "/start en")
    await replied(run, chat, 0)
    while time.monotonic() < run.end:
        before = len(run.fake.sent_texts(chat))
        started = time.monotonic()
        run.fake.push_text(chat, rng.choice(MESSAGES))
        ok = await replied(run, chat, before)
        run.record(
            time.monotonic() - started if ok else None,
            f"telegram: no reply in {LOST_SECONDS:.0f} s",
        )
        await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


async def replied(run: Run, chat: int, before: int, timeout: float | None = None) -> bool:
    """Whether the bot answered in time: an answer after LATE_SECONDS is late, one that has
    not come after LOST_SECONDS is counted lost (an error)."""
    timeout = LOST_SECONDS if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(run.fake.sent_texts(chat)) > before:
            return True
        await asyncio.sleep(0.05)
    return False


def memory(supervisor: Supervisor) -> dict[str, int]:
    """Resident memory of each supervised process tree (Rasa, the action server, the gateway)."""
    found = {}
    for name, child in supervisor.children.items():
        if child.process is None:
            continue
        try:
            root = psutil.Process(child.process.pid)
            found[name] = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
        except psutil.Error:
            continue
    return found


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20)[18]


async def report(run: Run, supervisor: Supervisor, every: float, warmup: float) -> list[dict]:
    rows = []
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=10) as http:
        while time.monotonic() < run.end:
            await asyncio.sleep(min(every, max(0.0, run.end - time.monotonic())))
            figures, run.interval = run.interval, Figures()
            try:
                health = (await http.get(f"{run.gateway}/healthz")).json()
                outbox = health.get("handoff", {}).get("outbox_pending", 0)
            except (httpx.HTTPError, ValueError):
                outbox = -1
            row = {
                "minute": (time.monotonic() - started) / 60,
                "sent": figures.sent,
                "errors": figures.errors,
                "quiet": figures.quiet,
                "late": figures.late,
                "p95": p95(figures.latencies),
                "outbox": outbox,
                "memory": memory(supervisor),
                "warm": time.monotonic() - started >= warmup,
            }
            rows.append(row)
            mem = "  ".join(f"{k} {v / 2**20:.0f} MB" for k, v in sorted(row["memory"].items()))
            print(
                f"{row['minute']:5.1f} min  {figures.sent:5d} msgs  {figures.errors:3d} errors  "
                f"p95 {row['p95'] * 1000:6.0f} ms  outbox {outbox:3d}  {mem}",
                flush=True,
            )
    return rows


def main() -> None:
    # SIGTERM (a CI timeout, `kill`) ends the run through its `finally`, which stops the
    # stack's processes: they run in process groups of their own and would outlive it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--web", type=int, default=50, help="web chat sessions")
    parser.add_argument("--telegram", type=int, default=20, help="Telegram chats")
    parser.add_argument("--think", type=float, default=20.0, help="mean seconds between messages")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between report lines")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="familyhub-soak-"))
    fake = FakeTelegram().start()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{base / 'familyhub.db'}",
        rasa_tracker_store_url=f"sqlite:///{base / 'rasa_tracker.db'}",
        gateway_port=free_port(), rasa_port=free_port(), action_server_port=free_port(),
        telegram_bot_token=SecretStr(fake.token), telegram_api_base_url=fake.base_url,
        rasa_timeout_seconds=30, log_level="WARNING", duty_hours="Mon-Sun 00:00-23:59",
    )  # fmt: skip
    supervisor = Supervisor(children(settings), out=(base / "stack.log").open("w"))
    supervisor.start()
    gateway = f"http://127.0.0.1:{settings.gateway_port}"
    try:
        deadline = time.monotonic() + 300
        while not ready(gateway):
            if time.monotonic() > deadline:
                raise SystemExit(f"stack not ready; see {base / 'stack.log'}")
            time.sleep(1)
        register_mentor(settings, fake)
        print(
            f"soak: {args.web} web sessions, {args.telegram} Telegram chats, {args.minutes:g} min, "
            f"a message every ~{args.think:g} s each; load average "
            f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        run = Run(gateway, fake, time.monotonic() + args.minutes * 60)
        warmup = min(300.0, args.minutes * 60 / 5)

        async def everything() -> list[dict]:
            parents = [web_parent(run, n, args.think) for n in range(args.web)]
            parents += [telegram_parent(run, n, args.think) for n in range(args.telegram)]
            tasks = [asyncio.create_task(p) for p in parents]
            rows = await report(run, supervisor, args.every, warmup)
            await asyncio.gather(*tasks, return_exceptions=True)
            return rows

        rows = asyncio.run(everything())
        summarise(rows, run, warmup)
    finally:
        supervisor.stop()
        fake.stop()


MENTOR = 555_000


def register_mentor(settings: Settings, fake: FakeTelegram) -> None:
    """One mentor on duty, registered through Telegram as a real one is, who gets the alerts."""
    with Database(settings.database_url).session() as session:
        _mentor, code = invite(session, settings, "Soak Mentor", "en,so,tr", "Soak Org")
    fake.push_text(MENTOR, f"/start {code}")
    deadline = time.monotonic() + 60
    while not fake.sent_texts(MENTOR):
        if time.monotonic() > deadline:
            raise SystemExit("the mentor was not registered")
        time.sleep(0.2)


def ready(gateway: str) -> bool:
    try:
        return httpx.get(f"{gateway}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def summarise(rows: list[dict], run: Run, warmup: float) -> None:
    warm = [row for row in rows if row["warm"]]
    total = sum(row["sent"] for row in rows)
    errors = sum(row["errors"] for row in rows)
    quiet = sum(row["quiet"] for row in rows)
    late = sum(row["late"] for row in rows)
    print(
        f"\nmessages {total}, errors {errors} (no answer in {LOST_SECONDS:.0f} s, or refused; "
        f"target 0); {late} answered later than {LATE_SECONDS:.0f} s; "
        f"{quiet} passed on to the mentors"
    )
    for error in run.errors:
        print(f"  {error}")
    if len(warm) >= 2:
        print(f"memory growth after the {warmup / 60:.0f} min warm-up (target < 10%):")
        first, last = warm[0]["memory"], warm[-1]["memory"]
        for name in sorted(first):
            if name in last:
                growth = (last[name] - first[name]) / first[name] * 100
                print(
                    f"  {name:8s} {first[name] / 2**20:7.0f} MB -> {last[name] / 2**20:7.0f} MB  "
                    f"{growth:+5.1f}%"
                )
    latencies = ", ".join(f"{row['p95'] * 1000:.0f}" for row in rows)
    print(f"p95 latency per interval (ms): {latencies}")
    print(f"outbox depth per interval: {', '.join(str(row['outbox']) for row in rows)}")
    print(f"alerts and messages delivered to the mentor: {len(run.fake.sent_texts(MENTOR))}")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
