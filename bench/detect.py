"""Time language detection, the phrase screen and the learned detector, per message and at the
largest sizes the service accepts, on ordinary and hostile text.

The screen is timed twice in the same run: windowed (as the service runs it) and, as the
baseline, in one pass over the whole message (as it ran before windows). Prints milliseconds.
Usage: .venv/bin/python bench/detect.py   (needs a trained detector: `familyhub train`)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.language import detect
from bot.safety import detector as learned
from bot.safety.lists import load_lists
from bot.safety.screen import Screen
from bot.settings import get_settings

DATA = Path(__file__).resolve().parent.parent / "tests" / "language" / "data"
SIZES = (2_000, 4_096, 16_384, 65_536)  # web chat limit, Telegram's limit, 16 KB, 64 KB


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(function: Callable[[str], object], messages: list[str]) -> list[float]:
    timings = []
    for message in messages:
        start = time.perf_counter()
        function(message)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def hostile_texts(size: int) -> dict[str, str]:
    """Texts built to make a matcher work hard: near-matches, guards and gaps, again and again."""
    rng = random.Random(size)
    words = [
        "want",
        "to",
        "die",
        "kill",
        "my",
        "self",
        "he",
        "hits",
        "me",
        "bebeğimi",
        "öldür",
        "inaan",
        "is",
        "dilo",
        "choking",
        "on",
        "milk",
    ]
    return {
        "random words": " ".join(rng.choice(words) for _ in range(size // 4))[:size],
        "one word repeated": ("want " * size)[:size],
        "guard repeated": ("my baby keeps choking on milk " * size)[:size],
        "near-miss repeated": ("i want so much to really " * size)[:size],
        "no spaces": ("a" * size),
    }


def worst(function: Callable[[str], object], text: str, runs: int = 3) -> float:
    return max(timed(function, [text] * runs))


def main() -> int:
    messages = [
        line
        for path in sorted(DATA.rglob("*.txt"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    started = time.perf_counter()
    lists = load_lists()
    windowed = Screen(lists)
    whole = Screen(lists)
    whole.window_words = sys.maxsize  # the baseline: one pass over the whole message
    found = learned.load(get_settings().model_dir)
    print(f"phrase lists compiled in {(time.perf_counter() - started) * 1000:.0f} ms")
    if found is None:
        print("no trained detector: run `familyhub train` first")
        return 2
    detect("warm up")
    functions: dict[str, Callable[[str], object]] = {
        "detect (language)": detect,
        "screen, windowed": windowed,
        "screen, one pass (baseline)": whole,
        "learned detector": found.score,
    }
    print(f"\nper message, {len(messages) * 3} ordinary messages (ms)")
    for name, function in functions.items():
        timings = timed(function, messages * 3)
        print(
            f"  {name:<28} p50 {statistics.median(timings):7.3f}  p95 {percentile(timings, 0.95):7.3f}"
        )
    print("\nworst of 3 runs at each size, hostile texts (ms)")
    header = "".join(f"{size:>10,}" for size in SIZES)
    for name in ("screen, windowed", "screen, one pass (baseline)", "learned detector"):
        print(f"  {name}\n    {'text':<20}{header}")
        for label in hostile_texts(SIZES[0]):
            cells = [worst(functions[name], hostile_texts(size)[label]) for size in SIZES]
            print(f"    {label:<20}" + "".join(f"{cell:10.1f}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
