"""Benchmark: handoff latency through the real gateway, with mentors on the fake Telegram Bot API.

Prints p50 and p95 of (a) a parent's request to the alert reaching the Bot API, and (b) a
mentor's reply (pushed to the Bot API's getUpdates) to its delivery to the parent: over server
push on the web chat, and as sendMessage on Telegram. Target: p95 under 1 s.
    .venv/bin/python bench/handoff.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import Settings, get_settings  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.gateway.fake_rasa import FakeRasa  # noqa: E402
from tests.handoff_flows.conftest import (  # noqa: E402
    ON_DUTY,
    Clock,
    Gateway,
    WebParent,
    buttons,
    rasa_script,
    register,
    to_chat,
)

MENTOR = 9001


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


async def accept_and_wait(fake: FakeTelegram, number: int) -> None:
    fake.push_callback(MENTOR, f"handoff:accept:{number}")
    await fake.wait_for_call("sendMessage", where=lambda c: f"handoff:end:{number}" in buttons(c))


async def end(fake: FakeTelegram, number: int) -> None:
    fake.push_text(MENTOR, "/end")
    await fake.wait_for_call("sendMessage", where=to_chat(MENTOR, f"#{number}"), count=3)


async def run(rounds: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"alert": [], "web": [], "telegram": []}
    os.environ.setdefault("SECRET_KEY", "bench-key-not-secret")
    get_settings.cache_clear()
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite:///{Path(tmp) / 'familyhub.db'}",
            rasa_tracker_store_url=f"sqlite:///{Path(tmp) / 'rasa_tracker.db'}",
            telegram_bot_token=SecretStr(fake.token),
            telegram_api_base_url=fake.base_url,
            rate_limit_per_minute=100_000,
            duty_hours="Mon-Fri 09:00-17:00",
        )
        rasa = FakeRasa(Path(tmp) / "rasa_tracker.db")
        rasa.script = rasa_script
        gateway = await Gateway(settings, rasa, Clock(ON_DUTY)).start()
        try:
            await register(fake, gateway, MENTOR, "Amina", "en")
            number = 0
            for index in range(rounds):
                number += 1
                parent = await WebParent(gateway).open("en")
                start = time.monotonic()
                await parent.tap("/talk_to_human")
                alert = await fake.wait_for_call("sendMessage", where=to_chat(MENTOR, f"#{number}"))
                found["alert"].append(alert[0].at - start)
                await accept_and_wait(fake, number)
                async with parent.events() as stream:
                    await asyncio.sleep(0.05)
                    text = f"web reply {index}"
                    start = time.monotonic()
                    fake.push_text(MENTOR, text)
                    while (await stream.get())["text"] != text:
                        pass
                    found["web"].append(time.monotonic() - start)
                await end(fake, number)

                number += 1
                chat = 100 + index
                start = time.monotonic()
                fake.push_text(chat, "/human")
                alert = await fake.wait_for_call("sendMessage", where=to_chat(MENTOR, f"#{number}"))
                found["alert"].append(alert[0].at - start)
                await accept_and_wait(fake, number)
                text = f"telegram reply {index}"
                start = time.monotonic()
                fake.push_text(MENTOR, text)
                sent = await fake.wait_for_call("sendMessage", where=to_chat(chat, text))
                found["telegram"].append(sent[0].at - start)
                await end(fake, number)
        finally:
            await gateway.stop()
    get_settings.cache_clear()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    found = asyncio.run(run(args.rounds))
    print(f"handoff latency, {args.rounds} rounds (web + Telegram parent each round)")
    print(f"request -> alert at Bot API      {percentiles(found['alert'])}")
    print(f"mentor reply -> web parent (SSE) {percentiles(found['web'])}")
    print(f"mentor reply -> Telegram parent  {percentiles(found['telegram'])}")


if __name__ == "__main__":
    main()
