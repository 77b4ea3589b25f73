"""Wake-ups across threads: a conversation has new messages to stream, and the like."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


def call_soon(loop: asyncio.AbstractEventLoop | None, callback: Callable[[], None]) -> None:
    """Run `callback` on `loop`: at once when called on it (or with no loop), else from any
    thread, as soon as the loop is free."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if loop is not None and running is not loop:
        loop.call_soon_threadsafe(callback)
    else:
        callback()


class Notifier:
    """Per-conversation events for server push; `notify` may be called from any thread.

    With several gateway processes, `broadcast` (PostgreSQL's NOTIFY, bot.store.notifications)
    tells the others too, which call `wake` when it reaches them.
    """

    def __init__(self, broadcast: Callable[[str], None] | None = None) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.broadcast = broadcast

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def subscribe(self, conversation_id: str) -> asyncio.Event:
        event = asyncio.Event()
        self._waiters.setdefault(conversation_id, set()).add(event)
        return event

    def unsubscribe(self, conversation_id: str, event: asyncio.Event) -> None:
        waiters = self._waiters.get(conversation_id)
        if waiters is not None:
            waiters.discard(event)
            if not waiters:
                del self._waiters[conversation_id]

    def _wake(self, conversation_id: str) -> None:
        for event in self._waiters.get(conversation_id, ()):
            event.set()

    def _wake_all(self) -> None:
        for waiters in self._waiters.values():
            for event in waiters:
                event.set()

    def notify(self, conversation_id: str) -> None:
        """Wake every stream of this conversation, in this process and the others."""
        call_soon(self._loop, lambda: self._wake(conversation_id))
        if self.broadcast is not None:
            self.broadcast(conversation_id)

    def wake(self, conversation_id: str | None) -> None:
        """Wake this process's streams of a conversation another process notified (None:
        every stream, as after a lost connection, when a notification may have been missed)."""
        if conversation_id is None:
            call_soon(self._loop, self._wake_all)
        else:
            call_soon(self._loop, lambda: self._wake(conversation_id))
