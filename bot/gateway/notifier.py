"""Wake-ups for server push: a conversation has new messages to stream."""

from __future__ import annotations

import asyncio


class Notifier:
    """Per-conversation events; `notify` may be called from any thread."""

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
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is not None and running is not loop:
            loop.call_soon_threadsafe(self._wake, conversation_id)
        else:
            self._wake(conversation_id)
