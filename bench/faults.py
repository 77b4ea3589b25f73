"""Benchmark: the fault suite's heavier variant (`make bench`; tests/faults has the short one).

Against the real stack (Rasa, the action server, a gateway with Telegram on the fake Bot API):
`--rounds` times, `--parents` parents send a message at once and the gateway is SIGKILLed while
they are in hand; the supervisor's loop restarts it. For each round it counts the parents
answered, told that it failed, and left in silence (target: 0), and the seconds until the
gateway is ready again, beside a baseline round with no fault in the same run.
    .venv/bin/python bench/faults.py [--rounds 10] [--parents 5]
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.gateway.channels.telegram.handlers import SOMETHING_WENT_WRONG  # noqa: E402
from bot.i18n import translate  # noqa: E402
from tests.faults.conftest import Faults, running, since, wait  # noqa: E402
from tests.integration.stack import stop_stack  # noqa: E402

SORRY = translate("en", SOMETHING_WENT_WRONG)
ANSWER_SECONDS = 120.0


class Folders:
    def __init__(self, root: Path) -> None:
        self.root = root

    def mktemp(self, basename: str) -> Path:
        folder = Path(tempfile.mkdtemp(prefix=f"{basename}-", dir=self.root))
        return folder


def replies(faults: Faults, chat: int, mark: int) -> list[str]:
    return [
        c.params.get("text", "")
        for c in since(faults.api, mark)
        if c.method == "sendMessage" and c.params.get("chat_id") == chat
    ]


def one_round(faults: Faults, chats: list[int], kill: bool) -> tuple[int, int, int, float]:
    """(answered, told it failed, silent, seconds until ready again)."""
    for chat in chats:  # each conversation exists and has seen the notice
        mark = len(faults.api.calls())
        faults.api.push_text(chat, "hello")
        wait(lambda chat=chat, mark=mark: bool(replies(faults, chat, mark)), ANSWER_SECONDS)
    mark = len(faults.api.calls())
    for chat in chats:
        faults.api.push_text(chat, "what groups are there for babies")
    recovered = 0.0
    if kill:
        wait(lambda: any(faults.in_flight(chat) for chat in chats), 60, "a message in hand")
        killed = time.monotonic()
        faults.kill("gateway")
        faults.wait_ready()
        recovered = time.monotonic() - killed
    deadline = time.monotonic() + ANSWER_SECONDS
    while time.monotonic() < deadline and not all(replies(faults, c, mark) for c in chats):
        time.sleep(0.1)
    answered = told = silent = 0
    for chat in chats:
        got = replies(faults, chat, mark)
        if not got:
            silent += 1
        elif all(text == SORRY for text in got):
            told += 1
        else:
            answered += 1
    return answered, told, silent, recovered


def main() -> None:
    # SIGTERM (a CI timeout, `kill`) ends the run through its `finally`, which stops the
    # stack's processes: they run in process groups of their own and would outlive it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--parents", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root, running(Folders(Path(root))) as faults:
        try:
            chat = 800000
            rows = []
            for index in range(args.rounds + 1):
                chats = list(range(chat, chat + args.parents))
                chat += args.parents
                rows.append(one_round(faults, chats, kill=index > 0))
        finally:
            stop_stack()
    baseline, faulted = rows[0], rows[1:]
    print(f"faults: {args.rounds} gateway SIGKILLs, {args.parents} parents' messages in hand each")
    print(f"  {'':<24}{'answered':>10}{'told':>8}{'silent':>8}{'ready again (s)':>18}")
    print(
        f"  {'baseline (no fault)':<24}{baseline[0]:>10}{baseline[1]:>8}{baseline[2]:>8}{'-':>18}"
    )
    total = [sum(r[i] for r in faulted) for i in range(3)]
    ready = [r[3] for r in faulted]
    print(
        f"  {'with SIGKILL (sum)':<24}{total[0]:>10}{total[1]:>8}{total[2]:>8}"
        f"{statistics.median(ready):>12.1f} p50 {max(ready):.1f} max"
    )
    print(f"  target: silent 0 (got {total[2]}); baseline all answered")


if __name__ == "__main__":
    main()
