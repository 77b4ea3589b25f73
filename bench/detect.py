"""Time language detection and the crisis screen per message; prints p50/p95 in milliseconds."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bot.language import detect
from bot.safety import screen

DATA = Path(__file__).resolve().parent.parent / "tests" / "language" / "data"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(function, messages: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    timings = []
    for message in messages:
        start = time.perf_counter()
        function(message)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    messages = [
        line
        for path in sorted(DATA.rglob("*.txt"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    long_message = " ".join(messages)[:4096]
    start = time.perf_counter()
    detect("warm up")
    screen("warm up")
    print(
        f"first call (loads word lists and phrase lists): {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    for name, function in (("detect", detect), ("screen", screen)):
        timings = timed(function, messages * 3)
        print(
            f"{name}: {len(timings)} messages, p50 {statistics.median(timings):.3f} ms, "
            f"p95 {percentile(timings, 0.95):.3f} ms, 4,096-character message "
            f"{timed(function, [long_message])[0]:.2f} ms"
        )


if __name__ == "__main__":
    main()
