"""Which Rasa server takes a conversation: a stable choice by its id, and the next one while
that server is down.

Each conversation ranks the servers by a hash of its id and each server's URL (rendezvous
hashing): the first is where it always goes, so its tracker lock and cache stay in one place.
Adding or removing a server moves only the conversations that ranked it first. A server that
refused a connection is marked down: its conversations go to their next server until a probe of
its `/status` sees it up with a model loaded again, and then they come back.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class ServerState:
    """One server as the gateway sees it: down since when, and how many times it failed over."""

    url: str
    down_since: float | None = None
    failovers: int = 0

    @property
    def down(self) -> bool:
        return self.down_since is not None


class ServerPool:
    """The Rasa servers, ranked per conversation, with those found down moved last."""

    def __init__(self, urls: list[str], clock: Callable[[], float] = time.monotonic) -> None:
        if not urls:
            raise ValueError("at least one Rasa server URL is needed")
        self.states = {url: ServerState(url) for url in urls}
        self.clock = clock

    @property
    def urls(self) -> list[str]:
        return list(self.states)

    def ranked(self, conversation_id: str) -> list[str]:
        """Every server, in this conversation's own stable order."""
        if len(self.states) == 1:
            return self.urls

        def weight(url: str) -> bytes:
            return hashlib.blake2b(f"{conversation_id}|{url}".encode(), digest_size=8).digest()

        return sorted(self.states, key=weight, reverse=True)

    def order(self, conversation_id: str) -> list[str]:
        """The servers to try, in order: the conversation's ranking, the ones down last (still
        tried, in case every server is marked down)."""
        ranked = self.ranked(conversation_id)
        return [u for u in ranked if not self.states[u].down] + [
            u for u in ranked if self.states[u].down
        ]

    def first(self, conversation_id: str) -> str:
        return self.order(conversation_id)[0]

    def mark_down(self, url: str) -> bool:
        """Note that `url` refused a connection; True if it was up until now."""
        state = self.states[url]
        state.failovers += 1
        if state.down:
            return False
        state.down_since = self.clock()
        return True

    def mark_up(self, url: str) -> None:
        self.states[url].down_since = None

    def down(self) -> list[str]:
        return [url for url, state in self.states.items() if state.down]
