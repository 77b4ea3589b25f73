"""Everything the gateway's routes share, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.conversations.erasure import Eraser
from bot.conversations.records import Conversations
from bot.conversations.tracker import TrackerStore
from bot.gateway.notifier import Notifier
from bot.gateway.rasa import RasaClient
from bot.gateway.ratelimit import RateLimiter
from bot.gateway.turn import Router
from bot.settings import Settings
from bot.store.database import Database


@dataclass
class Services:
    """The database, Rasa client, router and friends of one gateway process."""

    settings: Settings
    db: Database
    conversations: Conversations
    tracker: TrackerStore
    eraser: Eraser
    rasa: RasaClient
    router: Router
    notifier: Notifier
    session_limiter: RateLimiter
    telegram: Any = None
    # Set by the handoff's factory: more Telegram handlers (mentors).
    telegram_extensions: list[Any] = field(default_factory=list)
    # The handoff's runtime (bot.handoff.runtime.HandoffRuntime), for /healthz.
    handoff_runtime: Any = None
    tasks: list[Any] = field(default_factory=list)
