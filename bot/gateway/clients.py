"""Who a web request comes from, for the per-client budget, and the budget itself.

The client address is the one uvicorn gives the app: the connection's, or, from a proxy in
TRUSTED_PROXIES only, the address that proxy puts in X-Forwarded-For (`bot/gateway/serving.py`).
An IPv6 client is its /64: one household or phone network is given a whole /64, and counting
each of its addresses apart would let one client act as billions.
"""

from __future__ import annotations

import ipaddress

from starlette.requests import Request

from bot.gateway.ratelimit import Counters, MemoryCounters, RateLimiter

IPV6_PREFIX = 64


def client_key(host: str | None) -> str:
    """The budget's key for a client address: an IPv4 address, or an IPv6 /64."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host[:64]  # not an address (a test client's name): counted by its name
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def request_client(request: Request) -> str:
    return client_key(request.client.host if request.client else None)


class ClientBudget:
    """Messages and new sessions per minute per client, shared by all of its sessions."""

    def __init__(
        self,
        messages_per_minute: int,
        sessions_per_minute: int,
        counters: Counters | None = None,
    ) -> None:
        shared = counters or MemoryCounters()
        self.messages = RateLimiter(messages_per_minute, counters=shared, prefix="messages:")
        self.sessions = RateLimiter(sessions_per_minute, counters=shared, prefix="sessions:")
