"""Rate limits: at most so many hits per key in any 60 seconds, counted in a small store.

`Counters` is the whole storage interface, two methods, so that a shared store can replace the
one in memory when several gateways run (the scale-out work: a Redis sorted set per key,
`ZREMRANGEBYSCORE` + `ZCARD` + `ZADD` + `EXPIRE` in one script, does the same as `hit`):

    hit(key, limit, window) -> float | None   # count one hit; None if allowed, else seconds to wait
    forget(key) -> None                       # drop a key (an erased conversation)

`MemoryCounters` keeps one process's counts, in bounded memory: each key holds at most `limit`
times, keys are kept in the order they were last hit, and each hit drops the stale keys at the
old end (a few at a time, never a sweep of every key). Past `max_keys` live keys, the oldest are
dropped: that forgets the count of a client idle the longest, never refuses anyone more.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Protocol

WINDOW_SECONDS = 60.0
MAX_KEYS = 50_000
# Stale keys dropped per hit, at most: enough to keep pace with any rate of new keys.
EVICT_PER_HIT = 4


class Counters(Protocol):
    """Where hits are counted (see the module's docstring)."""

    def hit(self, key: str, limit: int, window: float) -> float | None: ...

    def forget(self, key: str) -> None: ...


class MemoryCounters:
    """Sliding-window counts for one process, in memory bounded by `max_keys`."""

    def __init__(
        self, max_keys: int = MAX_KEYS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_keys = max_keys
        self.clock = clock
        # Least recently hit first; each key's times, oldest first, with the window they use.
        self._hits: OrderedDict[str, tuple[deque[float], float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._hits)

    def hit(self, key: str, limit: int, window: float) -> float | None:
        now = self.clock()
        self._evict(now)
        found = self._hits.get(key)
        hits = found[0] if found else deque()
        while hits and hits[0] <= now - window:
            hits.popleft()
        self._hits[key] = (hits, window)
        self._hits.move_to_end(key)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        if len(hits) >= limit:
            return max(1.0, window - (now - hits[0])) if hits else window
        hits.append(now)
        return None

    def forget(self, key: str) -> None:
        self._hits.pop(key, None)

    def _evict(self, now: float) -> None:
        """Drop a few keys at the old end whose last hit has left their window."""
        for _ in range(EVICT_PER_HIT):
            oldest = next(iter(self._hits.items()), None)
            if oldest is None:
                break
            key, (hits, window) = oldest
            if hits and hits[-1] > now - window:
                break
            del self._hits[key]


class RateLimiter:
    """At most `per_minute` hits per key in any 60 seconds."""

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        *,
        counters: Counters | None = None,
        prefix: str = "",
    ) -> None:
        self.per_minute = per_minute
        self.counters: Counters = counters or MemoryCounters(clock=clock)
        # Limiters that share one store keep their keys apart by a prefix.
        self.prefix = prefix

    def hit(self, key: str) -> float | None:
        """Count one hit; None when allowed, else the seconds to wait."""
        return self.counters.hit(self.prefix + key, self.per_minute, WINDOW_SECONDS)

    def forget(self, key: str) -> None:
        self.counters.forget(self.prefix + key)
