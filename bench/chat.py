"""Benchmark: the web chat API against Rasa's own REST webhook, same model, 1/10/50 sessions.

Starts its own stack on free ports (trained model needed: `familyhub train`), then prints
p50/p95/p99 latency, messages per second, the gateway's overhead over raw Rasa, errors,
paced runs (10 sessions, one message every 2 s each, staggered and in step) and the peak RSS of every process.
    .venv/bin/python bench/chat.py [--messages 30] [--pairs 90] [--rounds 3] [--workers 1]

With `--compare-config REF` it also starts a second Rasa server with another configuration
(the Rasa project in `bot/` at git ref REF, e.g. `main`, with its own model, trained once into
var/bench/ and reused; or a directory holding `endpoints.yml`, `credentials.yml` and
`models/`), and first compares the two raw Rasa servers message by message, alternating:
p50 at 1 session, Rasa's CPU per message, p50 by turn within one long session, and
throughput at 10 sessions. Both use the same action server and NLG endpoint.
    .venv/bin/python bench/chat.py --compare-config main [--compare-only] [--turns 210]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import signal
import socket
import statistics
import subprocess
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

from pydantic import SecretStr  # noqa: E402

from bot.settings import PROJECT_ROOT, Settings  # noqa: E402
from bot.supervisor import RASA, Child, Supervisor, children  # noqa: E402

# Rasa's API token (RASA_AUTH_TOKEN): the bench talks to Rasa's API directly, as the gateway does.
API_TOKEN = uuid.uuid4().hex

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
            params={"include_events": "NONE", "token": API_TOKEN},
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


def wait_for_rasa(url: str, log: Path) -> None:
    """Wait until a Rasa server has loaded its model."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            status = httpx.get(f"{url}/status", params={"token": API_TOKEN}, timeout=5)
            if status.json().get("model_file"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    raise SystemExit(f"Rasa at {url} not ready; see {log}")


def pid_of(supervisor: Supervisor, name: str) -> int:
    process = supervisor.children[name].process
    assert process is not None
    return process.pid


BENCH_DIR = PROJECT_ROOT / "var" / "bench"
# What a configuration is made of: the Rasa project's config, domain, data and endpoints.
CONFIG_FILES = ["bot/config.yml", "bot/domain", "bot/data", "bot/endpoints.yml",
                "bot/credentials.yml", "requirements/rasa.txt"]  # fmt: skip


def baseline_project(ref: str) -> Path:
    """The Rasa project directory of the configuration to compare with, its model trained.

    A directory is used as it is (it needs endpoints.yml, credentials.yml and models/); anything
    else is a git ref whose `bot/` is exported to var/bench/config-SHA/ and trained there once.
    """
    given = Path(ref)
    if given.is_dir():
        return given.resolve()
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    target = BENCH_DIR / f"config-{sha[:12]}"
    project = target / "bot"
    if not (project / "endpoints.yml").is_file():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", sha, *CONFIG_FILES],
            cwd=PROJECT_ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    from bot.training import train_model

    train_model(bot_dir=project, model_dir=project / "models")
    return project


def baseline_child(project: Path, rasa_child: Child, port: int, tracker_db: Path) -> Child:
    """A second Rasa server: the other configuration, its own tracker store, the same helpers."""
    env = dict(rasa_child.env)
    env["RASA_TRACKER_URL"] = f"sqlite:///{tracker_db}"
    argv = [
        str(RASA), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port),
        "--model", str(project / "models"),
        "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
    ]  # fmt: skip
    return Child("rasa-baseline", argv, project, env)


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


async def rasa_turn(session: aiohttp.ClientSession, sender: str, text: str, language: str) -> float:
    """One message through a Rasa server's REST webhook; its latency in seconds."""
    started = time.perf_counter()
    body = {"sender": sender, "message": text, "metadata": {"language": language}}
    status, replies = await post(session, "/webhooks/rest/webhook", json=body)
    if status != 200 or not replies:
        raise RuntimeError(f"Rasa answered {status} with {replies!r}")
    return time.perf_counter() - started


async def compare_configs(
    urls: dict[str, str], pids: dict[str, int], pairs: int, turns: int, growth: int, rounds: int
) -> None:
    """Two raw Rasa servers, `before` (the other configuration) and `after` (this checkout)."""
    sides = list(urls)
    clients = {side: client(urls[side]) for side in sides}
    try:
        # Warm up both: every message once in every language.
        for side in sides:
            for language in MESSAGES:
                sender = uuid.uuid4().hex
                await set_slot(clients[side], sender, language)
                for text in MESSAGES[language]:
                    await rasa_turn(clients[side], sender, text, language)

        # 1 session, alternating message by message (and which side goes first, pair by pair).
        senders = {(side, lang): uuid.uuid4().hex for side in sides for lang in MESSAGES}
        for (side, language), sender in senders.items():
            await set_slot(clients[side], sender, language)
        times: dict[str, list[float]] = {side: [] for side in sides}
        cpu = dict.fromkeys(sides, 0.0)
        for i in range(pairs):
            language = list(MESSAGES)[i % len(MESSAGES)]
            text = MESSAGES[language][(i // len(MESSAGES)) % len(MESSAGES[language])]
            for side in sides if i % 2 == 0 else reversed(sides):
                before_cpu = cpu_seconds(pids[side])
                times[side].append(
                    await rasa_turn(clients[side], senders[side, language], text, language)
                )
                cpu[side] += cpu_seconds(pids[side]) - before_cpu
        ratios = [a / b for a, b in zip(times["after"], times["before"], strict=True)]
        print(f"\ncompare, 1 session each, {pairs} alternating pairs:")
        print(f"  {'':<34} {'before':>9} {'after':>9} {'after/before':>13}")
        b, a = ms(times["before"]), ms(times["after"])
        print(f"  {'p50 turn, ms':<34} {b:9.1f} {a:9.1f} {a / b:13.2f}")
        b95 = statistics.quantiles(times["before"], n=20)[18] * 1000
        a95 = statistics.quantiles(times["after"], n=20)[18] * 1000
        print(f"  {'p95 turn, ms':<34} {b95:9.1f} {a95:9.1f} {a95 / b95:13.2f}")
        print(
            f"  {'median of the pairs ratios':<34} {'':>9} {'':>9} {statistics.median(ratios):13.2f}"
        )
        # CPU read before and after each turn of that process (10 ms ticks; averages over pairs).
        cb, ca = cpu["before"] / pairs * 1000, cpu["after"] / pairs * 1000
        print(f"  {'Rasa CPU per message, ms':<34} {cb:9.1f} {ca:9.1f} {ca / cb:13.2f}")

        # One long session each, alternating turn by turn: p50 by turn number.
        by_turn: dict[str, list[list[float]]] = {side: [[] for _ in range(turns)] for side in sides}
        for session_number in range(growth):
            language = list(MESSAGES)[session_number % len(MESSAGES)]
            long_senders = {side: uuid.uuid4().hex for side in sides}
            for side in sides:
                await set_slot(clients[side], long_senders[side], language)
            for turn in range(turns):
                text = MESSAGES[language][turn % len(MESSAGES[language])]
                for side in sides if turn % 2 == 0 else reversed(sides):
                    by_turn[side][turn].append(
                        await rasa_turn(clients[side], long_senders[side], text, language)
                    )
        windows = [(1, 10), (96, 105), (196, 205)]
        print(f"\ncompare, p50 by turn within one session ({growth} session(s) of {turns} turns each,"
              " alternating turn by turn):")  # fmt: skip
        print(f"  {'turns':<34} {'before':>9} {'after':>9} {'after/before':>13}")
        found: dict[tuple[str, int], float] = {}
        for first, last in windows:
            if last > turns:
                continue
            for side in sides:
                found[side, first] = ms(
                    [t for turn in by_turn[side][first - 1 : last] for t in turn]
                )
            b, a = found["before", first], found["after", first]
            print(f"  {f'{first}-{last} (p50, ms)':<34} {b:9.1f} {a:9.1f} {a / b:13.2f}")
        if turns >= 205:
            growth_b = found["before", 196] / found["before", 1]
            growth_a = found["after", 196] / found["after", 1]
            print(f"  {'p50 turns 196-205 / turns 1-10':<34} {growth_b:9.2f} {growth_a:9.2f}")

        # 10 sessions at once, rounds in alternating order: throughput and CPU per message.
        print(f"\ncompare, 10 sessions, {rounds} rounds (order alternating):")
        rates: dict[str, list[float]] = {side: [] for side in sides}
        per_message: dict[str, list[float]] = {side: [] for side in sides}
        for round_ in range(rounds):
            for side in sides if round_ % 2 == 0 else reversed(sides):
                started_cpu = cpu_seconds(pids[side])
                result = await run_level(urls[side], urls[side], 10, 12, raw=True)
                per_message[side].append(
                    (cpu_seconds(pids[side]) - started_cpu) / result["n"] * 1000
                )
                rates[side].append(result["rate"])
                print(row(f"{side}, 10 sess.", result))
        for side in sides:
            print(f"  {side}: msg/s {', '.join(f'{r:.1f}' for r in rates[side])}; "
                  f"Rasa CPU per message {', '.join(f'{c:.1f}' for c in per_message[side])} ms")  # fmt: skip
        ratio = [a / b for a, b in zip(rates["after"], rates["before"], strict=True)]
        print(f"  throughput after/before: median x{statistics.median(ratio):.2f}")
    finally:
        for session in clients.values():
            await session.close()


def main() -> None:
    # SIGTERM (a CI timeout, `kill`) ends the run through its `finally`, which stops the
    # stack's processes: they run in process groups of their own and would outlive it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
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
    parser.add_argument(
        "--compare-config",
        metavar="REF_OR_DIR",
        help="also run this other Rasa configuration (a git ref such as main, or a directory) "
        "and compare it with this checkout's, message by message",
    )
    parser.add_argument(
        "--compare-only", action="store_true", help="with --compare-config: only the comparison"
    )
    parser.add_argument(
        "--turns", type=int, default=210, help="with --compare-config: turns of the long session"
    )
    parser.add_argument(
        "--growth-sessions",
        type=int,
        default=1,
        help="with --compare-config: long sessions per configuration",
    )
    args = parser.parse_args()
    project = baseline_project(args.compare_config) if args.compare_config else None
    base = Path(tempfile.mkdtemp(prefix="familyhub-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{base / 'familyhub.db'}",
        rasa_tracker_store_url=f"sqlite:///{base / 'rasa_tracker.db'}",
        gateway_port=free_port(), rasa_port=free_port(), action_server_port=free_port(),
        rasa_workers=args.workers, rate_limit_per_minute=100_000, rasa_timeout_seconds=60,
        log_level="WARNING", rasa_auth_token=SecretStr(API_TOKEN),
    )  # fmt: skip
    if settings.rasa_workers > 1:  # consecutive ports
        settings.rasa_port = 20000 + settings.rasa_port % 10000
    found = children(settings)
    for child in found:
        child.env["TELEGRAM_BOT_TOKEN"] = ""
    baseline_port = free_port()
    if project is not None:
        rasa_child = next(c for c in found if c.name.startswith("rasa"))
        found.append(
            baseline_child(project, rasa_child, baseline_port, base / "rasa_tracker_baseline.db")
        )
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
        print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if project is not None:
            urls = {
                "before": f"http://127.0.0.1:{baseline_port}",
                "after": f"http://127.0.0.1:{settings.rasa_port}",
            }
            wait_for_rasa(urls["before"], base / "stack.log")
            pids = {
                "before": pid_of(supervisor, "rasa-baseline"),
                "after": pid_of(supervisor, "rasa" if settings.rasa_workers == 1 else "rasa1"),
            }
            print(f"compare: before = {args.compare_config} ({project}); after = this checkout")
            asyncio.run(
                compare_configs(
                    urls, pids, args.pairs, args.turns, args.growth_sessions, args.rounds
                )
            )
            print(f"load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
            if args.compare_only:
                return
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
            + ", ".join(
                f"{name} {rss / 2**20:.0f} MB" for name, rss in sorted(sampler.peaks.items())
            )
        )


if __name__ == "__main__":
    main()
