"""Whether the action server is up, known without a request per message.

Rasa swallows a failed custom action and answers with what came before it ("Here they are:"
and no list), so a turn must know, for every message, whether the action server is up.
An HTTP health check per message costs the gateway ~1.5 ms of CPU. Instead, after one good
health check the gateway holds a plain TCP connection open to the action server: when that
process stops, its kernel closes the connection and the event loop hears of it before any
reply from Rasa that depends on it. Only while no such connection is open (at the start, after
a close, or while the action server is down) is the health check made.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp
import httpx

HEALTH_TIMEOUT_SECONDS = 1.0
# A watch that an action server closed sooner than this is not opened again until a message
# needs it, so that a server closing every connection at once cannot keep us busy.
REOPEN_AFTER_SECONDS = 1.0


class _Watch(asyncio.Protocol):
    """An open connection that carries nothing; its end is the news."""

    def __init__(self, owner: ActionServer) -> None:
        self.owner = owner
        self.opened = time.monotonic()

    def data_received(self, data: bytes) -> None:
        pass  # nothing is sent, so nothing is expected; an HTTP error reply is just ignored

    def connection_lost(self, exc: Exception | None) -> None:
        self.owner.watch_ended(self)


class ActionServer:
    """The action server's health: a watched connection while up, a health check otherwise."""

    def __init__(self, webhook_url: str | None, client: httpx.AsyncClient, *, watch: bool) -> None:
        self.health_url = webhook_url.rsplit("/webhook", 1)[0] + "/health" if webhook_url else None
        self.client = client
        self.watch = watch and self.health_url is not None
        self._transport: asyncio.BaseTransport | None = None
        self._opening: asyncio.Task[bool] | None = None

    @property
    def watched(self) -> bool:
        """True while the watched connection is open: the action server process is running."""
        return self._transport is not None and not self._transport.is_closing()

    async def ready(self) -> bool:
        """Whether the action server is up: free while watched, one health check otherwise."""
        if self.health_url is None or self.watched:
            return True
        healthy = await self.check()
        if healthy and self.watch and not self.watched:
            await self._open()
        return healthy

    async def check(self, timeout: float = HEALTH_TIMEOUT_SECONDS) -> bool:
        """One HTTP health check."""
        if self.health_url is None:
            return True
        try:
            response = await self.client.get(self.health_url, timeout=timeout)
        except (httpx.HTTPError, aiohttp.ClientError):
            return False
        return response.status_code == 200

    async def _open(self) -> None:
        url = httpx.URL(str(self.health_url))
        port = url.port or (443 if url.scheme == "https" else 80)
        loop = asyncio.get_running_loop()
        try:
            transport, _ = await asyncio.wait_for(
                loop.create_connection(lambda: _Watch(self), url.host, port),
                HEALTH_TIMEOUT_SECONDS,
            )
        except (OSError, TimeoutError):
            return
        if self.watched:
            transport.close()  # another message opened one meanwhile
            return
        self._transport = transport

    def watch_ended(self, watch: _Watch) -> None:
        """The connection closed: the action server stopped, or closed an idle connection."""
        if self._transport is None or self._transport.get_protocol() is not watch:
            return
        self._transport = None
        if time.monotonic() - watch.opened >= REOPEN_AFTER_SECONDS:
            # An idle close costs a health check now, not on a parent's next message.
            self._opening = asyncio.get_running_loop().create_task(self.ready())

    async def aclose(self) -> None:
        if self._opening is not None:
            self._opening.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._opening
        if self._transport is not None:
            self._transport.close()
            self._transport = None
