"""The rate limits' counts in Redis, shared by every gateway process and host (REDIS_URL).

The same two methods as `MemoryCounters` (bot/gateway/ratelimit.py), and the same sliding
window: each key is a sorted set of its hits' times, and one Lua script drops the hits older
than the window, counts the rest, and adds this one if the limit allows, all at once, so two
gateways counting the same client never both let its last allowed hit through. The times are
Redis's own clock, so gateways whose clocks differ still agree. A key expires with its window:
Redis holds no more than the last minute's hits.

If Redis cannot be reached, a hit is allowed (and a warning logged, at most once a minute):
refusing every parent while Redis is down would do more harm than a minute without limits.
"""

from __future__ import annotations

import logging
import time
import uuid

import redis

log = logging.getLogger(__name__)

KEY_PREFIX = "familyhub:rate:"
# A gateway waits no longer than this for Redis before it lets the hit through.
SOCKET_TIMEOUT_SECONDS = 0.5
WARN_EVERY_SECONDS = 60.0

# KEYS[1]: the key. ARGV: window (s), limit, a unique member. Returns nil when allowed, else
# the seconds to wait (as a string: Lua numbers reach Redis's reply as integers).
HIT = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local wait = window
  if oldest[2] then wait = window - (t - tonumber(oldest[2])) end
  return tostring(math.max(1, wait))
end
redis.call('ZADD', KEYS[1], t, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return false
"""


class RedisCounters:
    """Sliding-window counts in Redis, for every gateway at once."""

    def __init__(self, url: str, client: redis.Redis | None = None) -> None:
        self.redis = client or redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        self._hit = self.redis.register_script(HIT)
        self._warned = 0.0

    def hit(self, key: str, limit: int, window: float) -> float | None:
        if limit <= 0:
            return window
        try:
            wait = self._hit(keys=[KEY_PREFIX + key], args=[window, limit, uuid.uuid4().hex])
        except redis.RedisError as error:
            self._warn(error)
            return None
        return None if wait is None else float(wait)

    def forget(self, key: str) -> None:
        try:
            self.redis.delete(KEY_PREFIX + key)
        except redis.RedisError as error:
            self._warn(error)

    def _warn(self, error: redis.RedisError) -> None:
        now = time.monotonic()
        if now - self._warned >= WARN_EVERY_SECONDS:
            self._warned = now
            log.warning("rate limits not shared: Redis unreachable (%s)", type(error).__name__)

    def close(self) -> None:
        self.redis.close()
