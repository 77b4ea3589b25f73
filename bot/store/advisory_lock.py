"""One holder at a time across processes and hosts: a PostgreSQL advisory lock.

Telegram lets one client at a time long-poll a bot. With several gateway processes, the one
holding this lock polls and the others stand by. The lock belongs to a connection of its own:
when the holder dies, its connection closes and PostgreSQL releases the lock, and a standby
takes it at its next try. (A host that vanishes without closing its connections is noticed
by TCP keepalives: the connection asks for them, and the server's tcp_keepalives_* settings
bound how long the lock outlives it; docs/deploy.md#database.)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from typing import Any

from bot.store.notifications import conninfo

log = logging.getLogger(__name__)

# The holder's connection is checked, and a standby tries again, this often.
CHECK_SECONDS = 2.0
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a lock's name (advisory locks are keyed by bigint)."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


class AdvisoryLock:
    """A session-level advisory lock named `name`, held on a connection of its own.

    `acquire` waits until this process holds it; `lost` returns when it no longer does (the
    connection failed: the server has released it); `release` gives it up.
    """

    def __init__(self, url: str, name: str, check_seconds: float = CHECK_SECONDS) -> None:
        self.conninfo = conninfo(url)
        self.name = name
        self.key = lock_key(name)
        self.check_seconds = check_seconds
        self._connection: Any = None

    @property
    def held(self) -> bool:
        return self._connection is not None

    async def _connect(self) -> Any:
        import psycopg  # the `postgres` extra: only deployments on PostgreSQL need it
        from psycopg.conninfo import make_conninfo

        with_keepalives = make_conninfo(self.conninfo, **KEEPALIVES)
        return await psycopg.AsyncConnection.connect(with_keepalives, autocommit=True)

    async def acquire(self) -> None:
        """Wait until this process holds the lock."""
        connection: Any = None
        while True:
            try:
                if connection is None:
                    connection = await self._connect()
                cursor = await connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,))
                row = await cursor.fetchone()
                if row is not None and row[0]:
                    self._connection = connection
                    log.info("lock %s taken", self.name)
                    return
            except asyncio.CancelledError:
                await _close(connection)
                raise
            except Exception as error:
                log.warning("lock %s: no connection (%s)", self.name, type(error).__name__)
                await _close(connection)
                connection = None
            await asyncio.sleep(self.check_seconds)

    async def lost(self) -> None:
        """Return once the lock is no longer held: its connection failed."""
        while self._connection is not None:
            await asyncio.sleep(self.check_seconds)
            try:
                await self._connection.execute("SELECT 1")
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("lock %s lost (%s)", self.name, type(error).__name__)
                await _close(self._connection)
                self._connection = None

    async def release(self) -> None:
        """Give the lock up (closing its connection releases it on the server)."""
        connection, self._connection = self._connection, None
        await _close(connection)


async def _close(connection: Any) -> None:
    if connection is not None:
        with contextlib.suppress(Exception):
            await connection.close()
