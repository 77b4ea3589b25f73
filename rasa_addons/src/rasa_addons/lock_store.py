"""A Redis lock store whose every change of a conversation's lock is atomic.

Rasa's `RedisLockStore` reads a conversation's lock, changes it in Python and writes it back
(GET, then SET). Two Rasa processes that take a ticket for one conversation at the same moment
can both read the same lock and both write ticket 0: both are then served at once, which is the
very thing the lock is for. Here each change runs in a Redis transaction on the lock's key
(WATCH, MULTI, EXEC, retried when another process changed the key meanwhile), so tickets are
issued, dropped and the lock deleted as if by one process.

The key also expires when its last ticket does, so a lock left by a process that died is gone
without anybody reading it.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# A lock whose tickets all expired is dropped; the key outlives its last ticket by this much.
EXPIRY_MARGIN_SECONDS = 5


class AtomicRedisLockStore(RedisLockStore):
    """`lock_store: {type: rasa_addons.lock_store.AtomicRedisLockStore, url: host, port, db,
    password, use_ssl, key_prefix, …}`: Rasa's Redis settings, changes made atomically."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], object]) -> object:
        """Apply `change` to the stored lock (a new one if none), in one transaction; the lock
        is deleted when no ticket is left. What `change` returned."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = (
                        TicketLock.from_dict(json.loads(stored))
                        if stored
                        else TicketLock(conversation_id)
                    )
                    result = change(lock)
                    lock.remove_expired_tickets()
                    pipe.multi()
                    if lock.tickets:
                        last = max(ticket.expires for ticket in lock.tickets)
                        ttl = max(1, math.ceil(last - time.time()) + EXPIRY_MARGIN_SECONDS)
                        pipe.set(key, lock.dumps(), ex=ttl)
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another process changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            ticket = self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        assert isinstance(ticket, int)
        return ticket

    def update_lock(self, conversation_id: str) -> None:
        if self.get_lock(conversation_id) is not None:
            self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # finish_serving deletes the lock in the same transaction when nobody else waits.
        self.finish_serving(conversation_id, ticket_number)
