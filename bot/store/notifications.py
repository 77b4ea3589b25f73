"""Wake-ups between processes through PostgreSQL's LISTEN/NOTIFY.

Several gateway processes share one PostgreSQL database. A turn taken by one of them must
wake the web chat's event stream held open by another, and an alert queued by one must wake
the outbox worker of every other. Each process keeps two connections of its own (psycopg 3,
async): one LISTENs, one sends `pg_notify`. A notification carries a channel name and a
conversation id at most: never a text.

With SQLite (one process) none of this runs: the gateway's in-process events are enough.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# The channels: a conversation has new messages (payload: its id); the outbox has new items.
CONVERSATION = "familyhub_conversation"
OUTBOX = "familyhub_outbox"

# A handler gets the payload, or None after a (re)connection: something may have been missed.
Handler = Callable[[str | None], None]

RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def on_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def conninfo(url: str) -> str:
    """The libpq URI of a SQLAlchemy PostgreSQL URL (its query, e.g. sslmode, kept)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Notifications:
    """Publishes and receives notifications on one PostgreSQL database, from one event loop.

    `publish` may be called from any thread once `run` has started on the loop; `run` listens
    until cancelled, reconnecting (and telling each handler None) after a lost connection.
    """

    def __init__(self, url: str) -> None:
        self.conninfo = conninfo(url)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[tuple[str, str]] | None = None
        self.listening = asyncio.Event()

    def publish(self, channel: str, payload: str = "") -> None:
        """Send a notification, soon, without waiting; dropped before `run` starts."""
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            queue.put_nowait((channel, payload))
        else:
            loop.call_soon_threadsafe(queue.put_nowait, (channel, payload))

    async def run(self, handlers: Mapping[str, Handler]) -> None:
        """Listen on the handlers' channels and send what is published, until cancelled."""
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        sender = asyncio.create_task(self._send_forever())
        try:
            await self._listen_forever(handlers)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    async def _connect(self) -> Any:
        import psycopg  # the `postgres` extra: only deployments on PostgreSQL need it

        return await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)

    async def _listen_forever(self, handlers: Mapping[str, Handler]) -> None:
        failures = 0
        while True:
            try:
                connection = await self._connect()
                async with connection:
                    for channel in handlers:
                        await connection.execute(f"LISTEN {channel}")
                    failures = 0
                    self.listening.set()
                    for handler in handlers.values():
                        handler(None)  # anything sent while we were not listening
                    async for notice in connection.notifies():
                        found = handlers.get(notice.channel)
                        if found is not None:
                            found(notice.payload)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.listening.clear()
                delay = RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)]
                failures += 1
                log.warning(
                    "LISTEN connection lost (%s); again in %s s", type(error).__name__, delay
                )
                await asyncio.sleep(delay)

    async def _send_forever(self) -> None:
        assert self._queue is not None
        queue = self._queue
        connection: Any = None
        try:
            while True:
                first = await queue.get()
                # The same notification queued twice meanwhile is sent once.
                batch = {first}
                while not queue.empty():
                    batch.add(queue.get_nowait())
                # A connection the server dropped fails once: send again on a new one.
                for attempt in range(2):
                    try:
                        if connection is None or connection.closed:
                            connection = await self._connect()
                        for channel, payload in sorted(batch):
                            await connection.execute("SELECT pg_notify(%s, %s)", (channel, payload))
                        break
                    except Exception as error:
                        if connection is not None:
                            with contextlib.suppress(Exception):
                                await connection.close()
                        connection = None
                        if attempt:
                            # The others still poll (the outbox) and re-read their streams.
                            log.warning("NOTIFY failed (%s)", type(error).__name__)
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.close()
