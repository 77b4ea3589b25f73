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
    """Per-conversation events for server push; `notify` may be called from any thread."""

    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

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

    def notify(self, conversation_id: str) -> None:
        """Wake every stream of this conversation."""
        call_soon(self._loop, lambda: self._wake(conversation_id))
