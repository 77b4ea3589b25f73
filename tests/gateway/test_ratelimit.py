"""The per-sender sliding window."""

from __future__ import annotations

from bot.gateway.ratelimit import RateLimiter


def test_window_slides() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.hit("a") is None and limiter.hit("a") is None
    assert limiter.hit("a") == 60
    assert limiter.hit("b") is None
    now[0] = 61
    assert limiter.hit("a") is None
