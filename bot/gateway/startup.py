"""The gateway's start-up: every part built from the settings, the background tasks started on
the gateway's event loop, and everything stopped in order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from bot.analytics import Tally
from bot.conversations import (
    Conversations,
    Eraser,
    ErasureLog,
    TrackerStore,
    purge_forever,
)
from bot.directory.live import set_directory_path, watch_forever
from bot.gateway.background import deliver_forever, poll_while_holding, tick_forever
from bot.gateway.channels import telegram
from bot.gateway.channels.telegram import TelegramChannel, TelegramDeps
from bot.gateway.channels.telegram.outgoing import CallbackPayloads
from bot.gateway.clients import ClientBudget
from bot.gateway.counting import Counting
from bot.gateway.handoff import Handoff
from bot.gateway.notifier import Notifier, call_soon
from bot.gateway.rasa import RasaClient
from bot.gateway.ratelimit import Counters, RateLimiter
from bot.gateway.recording import record_forever, write_and_purge
from bot.gateway.redis_counters import RedisCounters
from bot.gateway.turn import Router
from bot.handoff import TELEGRAM_SEND, HandoffService, MentorDesk, OutboxWorker, record_sent
from bot.language import detect
from bot.media import speech_engine
from bot.safety import safety_net
from bot.settings import Settings
from bot.store import (
    CONVERSATION,
    OUTBOX,
    AdvisoryLock,
    Database,
    Notifications,
    on_postgresql,
)
from bot.store.models import utcnow

log = logging.getLogger(__name__)

# Retries that fell due are picked up at least this often, even without a wake-up.
OUTBOX_POLL_SECONDS = 1.0
# Requests waiting for duty hours or for escalation are looked at this often.
TICK_SECONDS = 30.0
# The reports' counts are written at least this often.
COUNTS_SECONDS = 5.0
# Old Telegram update ids and chat message ids are forgotten this often (and at start).
TELEGRAM_MAINTENANCE_SECONDS = 3600.0
# The advisory lock whose holder, of all the gateways on one database, long-polls Telegram.
POLLING_LOCK = "familyhub:telegram-long-polling"


@dataclass(frozen=True)
class Options:
    """What tests change: stand-ins for Rasa or the handoff, the handoff's clock and pace, and
    which parts run."""

    rasa_transport: httpx.AsyncBaseTransport | None = None
    # A stand-in for the handoff; None: bot.handoff's, with its mentors' desk and outbox.
    handoff: Handoff | None = None
    clock: Callable[[], datetime] = utcnow
    tick_seconds: float = TICK_SECONDS
    poll_seconds: float = OUTBOX_POLL_SECONDS
    telegram: bool = True
    retention: bool = True
    # How often the reports' counts are written (bot/gateway/recording.py).
    counts_seconds: float = COUNTS_SECONDS
    # How often old Telegram update ids and chat message ids are forgotten.
    telegram_maintenance_seconds: float = TELEGRAM_MAINTENANCE_SECONDS


@dataclass
class Mentors:
    """The handoff's parts beside the turn: the parents' side, the mentors' desk, the outbox."""

    service: HandoffService
    desk: MentorDesk
    outbox: OutboxWorker


@dataclass
class Services:
    """The parts of one gateway process, which its routes share."""

    settings: Settings
    db: Database
    conversations: Conversations
    tracker: TrackerStore
    rasa: RasaClient
    notifier: Notifier
    router: Router
    session_limiter: RateLimiter
    # None when a stand-in takes the handoff's place (Options.handoff).
    mentors: Mentors | None
    # The reports' daily counts: kept in memory as things happen, written every few seconds.
    tally: Tally
    counting: Counting
    telegram: TelegramChannel | None = None
    # On PostgreSQL: wake-ups between gateway processes (LISTEN/NOTIFY); None on SQLite.
    notifications: Notifications | None = None
    # With REDIS_URL: the rate limits' counts, shared by every gateway; None: in memory.
    shared_counters: RedisCounters | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


async def start(settings: Settings, options: Options) -> Services:
    """Build every part (the database migrated), start Telegram, then the background tasks."""
    loop = asyncio.get_running_loop()
    services = await asyncio.to_thread(_build, settings, options, loop)
    polling: AdvisoryLock | None = None
    if options.telegram and telegram.enabled(settings):
        channel = services.telegram = TelegramChannel(_telegram_deps(services))
        # On PostgreSQL several gateways may run: one long-polls, holding a lock; every one
        # sends. A webhook reaches whichever process the load balancer picks.
        if not channel.webhook and services.notifications is not None:
            polling = AdvisoryLock(settings.database_url, POLLING_LOCK)
            channel.standby = True
        try:
            await channel.start(poll=polling is None)
        except Exception as error:
            # The web chat keeps working; /healthz shows Telegram as not running.
            log.error("telegram did not start: %s", type(error).__name__)
            polling = None
    for work in _background(services, options):
        services.tasks.append(asyncio.create_task(work))
    if polling is not None and services.telegram is not None:
        services.tasks.append(asyncio.create_task(poll_while_holding(services.telegram, polling)))
    log.info("gateway ready on %s", settings.gateway_url)
    return services


async def stop(services: Services) -> None:
    """Telegram first (it finishes the updates in hand), then the tasks, then the connections."""
    if services.telegram is not None:
        try:
            await asyncio.wait_for(services.telegram.stop(), timeout=10)
        except Exception as error:
            log.error("telegram did not stop cleanly: %s", type(error).__name__)
    for task in services.tasks:
        task.cancel()
    await asyncio.gather(*services.tasks, return_exceptions=True)
    try:
        # What was counted since the last write (bot/gateway/recording.py).
        await asyncio.to_thread(write_and_purge, services.counting, services.tally, 0, False)
    except Exception as error:
        log.error("counts not written at stop: %s", type(error).__name__)
    await services.rasa.aclose()
    if services.shared_counters is not None:
        services.shared_counters.close()
    services.tracker.dispose()
    services.db.engine.dispose()


def rasa_urls(settings: Settings) -> list[str]:
    """RASA_URLS, or one URL per Rasa worker on consecutive ports from RASA_PORT."""
    if settings.rasa_urls:
        return list(settings.rasa_urls)
    workers = max(1, settings.rasa_workers)
    return [f"http://{settings.rasa_host}:{settings.rasa_port + i}" for i in range(workers)]


def _build(settings: Settings, options: Options, loop: asyncio.AbstractEventLoop) -> Services:
    set_directory_path(
        settings.services_directory, settings.zone, settings.directory_reload_seconds
    )
    db = Database(settings.database_url)
    db.migrate()
    conversations = Conversations(
        db,
        settings.retention_days,
        hashing_key=settings.hashing_key(),
        web_idle=timedelta(hours=settings.web_idle_hours),
    )
    tracker = TrackerStore(settings.tracker_store_url(), schema=settings.rasa_tracker_schema)
    rasa = RasaClient(
        rasa_urls(settings),
        settings.rasa_timeout_seconds,
        action_server_url=settings.action_server_url,
        transport=options.rasa_transport,
        auth_token=(
            settings.rasa_auth_token.get_secret_value() if settings.rasa_auth_token else None
        ),
    )
    notifications = (
        Notifications(settings.database_url) if on_postgresql(settings.database_url) else None
    )
    notifier = Notifier(
        broadcast=(lambda cid: notifications.publish(CONVERSATION, cid)) if notifications else None
    )
    notifier.bind(loop)
    tally = Tally(db, settings.zone, clock=options.clock)
    counting = Counting(tally, tracker)
    mentors = (
        None
        if options.handoff is not None
        else _mentors(db, settings, options, notifier, loop, tally, notifications)
    )
    handoff = options.handoff or (mentors.service if mentors else None)
    # With REDIS_URL every gateway counts in Redis, so that a load balancer spreading one
    # client's (or one session's) requests over gateways does not multiply its budget.
    shared = RedisCounters(settings.redis_url) if settings.redis_url else None
    counters: Counters | None = shared
    # One budget per client address, for its messages and its new sessions (bot/gateway/clients.py).
    budget = ClientBudget(
        settings.client_messages_per_minute, settings.client_sessions_per_minute, counters
    )
    router = Router(
        settings,
        conversations,
        Eraser(db, tracker, ErasureLog(settings.erasure_log)),
        rasa,
        handoff=handoff,
        notify=notifier.notify,
        counting=counting,
        net=safety_net(settings.model_dir),
        client_limiter=budget.messages,
        counters=counters,
    )
    # Build the language identifier now, not on the first parent's message (the safety net was
    # built with the router).
    detect("hello")
    return Services(
        settings,
        db,
        conversations,
        tracker,
        rasa,
        notifier,
        router,
        budget.sessions,
        mentors,
        tally,
        counting,
        notifications=notifications,
        shared_counters=shared,
    )


def _mentors(
    db: Database,
    settings: Settings,
    options: Options,
    notifier: Notifier,
    loop: asyncio.AbstractEventLoop,
    tally: Tally,
    notifications: Notifications | None = None,
) -> Mentors:
    """The handoff (bot.handoff), its outbox woken on the gateway's loop from any thread, and
    on PostgreSQL every other gateway's outbox too."""
    outbox = OutboxWorker(db, {}, after_send={TELEGRAM_SEND: record_sent})
    if db.engine.dialect.name == "sqlite":
        # SQLite serves one gateway process: whatever is claimed now, a process that died left
        # half-sent; it goes at once rather than after the lease (bot/handoff/claims.py).
        outbox.release_abandoned()

    def wake_outbox() -> None:
        call_soon(loop, outbox.notify)
        if notifications is not None:
            notifications.publish(OUTBOX)

    service = HandoffService(
        db,
        settings,
        outbox_notify=wake_outbox,
        parent_notify=notifier.notify,
        clock=options.clock,
        tally=tally,
    )
    outbox.after_failure[TELEGRAM_SEND] = service.delivery_failed
    desk = MentorDesk(
        db,
        settings,
        outbox_notify=wake_outbox,
        parent_notify=notifier.notify,
        clock=options.clock,
        tally=tally,
    )
    return Mentors(service, desk, outbox)


def _telegram_deps(services: Services) -> TelegramDeps:
    return TelegramDeps(
        settings=services.settings,
        db=services.db,
        take_turn=services.router.take,
        chats=services.conversations,
        erase=services.router.erase,
        payloads=CallbackPayloads(services.settings.hashing_key()),
        desk=services.mentors.desk if services.mentors else None,
        speech=speech_engine(),
    )


def _background(services: Services, options: Options) -> list[Coroutine[Any, Any, None]]:
    settings = services.settings
    found = [watch_forever(max(1.0, settings.directory_reload_seconds))]
    found.append(
        record_forever(
            services.counting,
            services.tally,
            settings.report_retention_days,
            options.counts_seconds,
            purge=options.retention,
        )
    )
    if options.retention:
        days, minutes = settings.retention_days, settings.purge_interval_minutes
        found.append(purge_forever(services.db, services.tracker, days, minutes))
    if services.telegram is not None:
        found.append(services.telegram.maintain_forever(options.telegram_maintenance_seconds))
    if services.mentors is not None:
        found.append(
            deliver_forever(services.mentors.outbox, services.telegram, options.poll_seconds)
        )
        found.append(tick_forever(services.mentors.service, options.tick_seconds))
    if services.notifications is not None:
        handlers: dict[str, Callable[[str | None], None]] = {CONVERSATION: services.notifier.wake}
        if services.mentors is not None:
            outbox = services.mentors.outbox
            handlers[OUTBOX] = lambda _: outbox.notify()  # on the loop: run() calls it there
        found.append(services.notifications.run(handlers))
    return found
