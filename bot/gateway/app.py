"""The gateway: web chat page and API, /healthz, /nlg for Rasa, and Telegram, in one Starlette app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.conversations.erasure import Eraser
from bot.conversations.records import Conversations
from bot.conversations.retention import purge_forever
from bot.conversations.tracker import TrackerStore
from bot.directory.live import set_directory_path, watch_forever
from bot.gateway import embed, telegram_wiring
from bot.gateway.channels import webchat
from bot.gateway.handoff import Handoff
from bot.gateway.health import healthz
from bot.gateway.notifier import Notifier
from bot.gateway.rasa import RasaClient
from bot.gateway.ratelimit import RateLimiter
from bot.gateway.services import Services
from bot.gateway.strings import page_strings
from bot.gateway.turn import Router
from bot.i18n import language_code
from bot.i18n.nlg import create_nlg_app
from bot.language import detect
from bot.safety import screen
from bot.settings import Settings
from bot.store.database import Database

log = logging.getLogger(__name__)
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

STATIC = Path(__file__).resolve().parent / "static"
# New web sessions one address may open per minute, as a multiple of the message limit.
SESSIONS_PER_MESSAGE_LIMIT = 5

HandoffFactory = Callable[[Services], Handoff]


def rasa_urls(settings: Settings) -> list[str]:
    """One URL per Rasa worker, on consecutive ports from RASA_PORT."""
    workers = max(1, settings.rasa_workers)
    return [f"http://{settings.rasa_host}:{settings.rasa_port + i}" for i in range(workers)]


def build_services(
    settings: Settings, *, rasa_transport: httpx.AsyncBaseTransport | None = None
) -> Services:
    """The gateway's shared objects, with the database migrated."""
    set_directory_path(
        settings.services_directory, settings.zone, settings.directory_reload_seconds
    )
    db = Database(settings.database_url)
    db.migrate()
    conversations = Conversations(db, settings.retention_days, hashing_key=settings.hashing_key())
    tracker = TrackerStore(settings.rasa_tracker_store_url)
    eraser = Eraser(db, tracker)
    rasa = RasaClient(
        rasa_urls(settings),
        settings.rasa_timeout_seconds,
        action_server_url=settings.action_server_url,
        transport=rasa_transport,
    )
    notifier = Notifier()
    router = Router(settings, conversations, eraser, rasa, notify=notifier.notify)
    limiter = RateLimiter(settings.rate_limit_per_minute * SESSIONS_PER_MESSAGE_LIMIT)
    # Build the language identifier and the crisis screen now, not on the first parent's message.
    detect("hello")
    screen("hello")
    return Services(settings, db, conversations, tracker, eraser, rasa, router, notifier, limiter)


class _NlgSlash:
    """Rasa posts to /nlg exactly; the mounted NLG app answers at /nlg/, to loopback callers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/nlg"):
            client = scope.get("client") or ("", 0)
            if client[0] not in LOOPBACK:
                # Only Rasa, on this machine, may call the NLG, even when the web chat is public.
                await JSONResponse({"error": "forbidden"}, status_code=403)(scope, receive, send)
                return
            if scope["path"] == "/nlg":
                scope = dict(scope, path="/nlg/", raw_path=b"/nlg/")
        await self.app(scope, receive, send)


def _installed_handoff() -> HandoffFactory | None:
    """`bot.handoff.runtime.install(services)`, when the handoff package provides it."""
    try:
        module = import_module("bot.handoff.runtime")
    except ModuleNotFoundError:
        return None
    install: HandoffFactory = module.install
    return install


async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


async def strings(request: Request) -> Response:
    services: Services = request.app.state.services
    language = language_code(request.query_params.get("language"))
    found = page_strings(
        language, services.settings.retention_days, services.settings.max_message_chars
    )
    return JSONResponse(found, headers={"Cache-Control": "no-cache"})


def create_app(
    settings: Settings,
    *,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
    handoff: HandoffFactory | None = None,
    telegram: bool = True,
    retention: bool = True,
) -> Starlette:
    """The gateway app; tests pass a stand-in Rasa transport, the handoff issue a hook factory."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = await asyncio.to_thread(build_services, settings, rasa_transport=rasa_transport)
        services.notifier.bind(asyncio.get_running_loop())
        factory = handoff or _installed_handoff()
        if factory is not None:
            services.router.handoff = factory(services)
        app.state.services = services
        if retention:
            services.tasks.append(
                asyncio.create_task(
                    purge_forever(
                        services.db,
                        services.tracker,
                        settings.retention_days,
                        settings.purge_interval_minutes,
                    )
                )
            )
        services.tasks.append(
            asyncio.create_task(watch_forever(max(1.0, settings.directory_reload_seconds)))
        )
        token = settings.telegram_bot_token
        if telegram and token is not None and token.get_secret_value():
            await telegram_wiring.start(app, services)
        log.info("gateway ready on %s", settings.gateway_url)
        try:
            yield
        finally:
            await telegram_wiring.stop(services)
            for task in services.tasks:
                task.cancel()
            await asyncio.gather(*services.tasks, return_exceptions=True)
            await services.rasa.aclose()
            services.tracker.dispose()
            services.db.engine.dispose()

    routes: list[Any] = [
        Route("/", index, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/strings", strings, methods=["GET"]),
        Route("/embed.js", embed.script, methods=["GET"]),
        *webchat.routes,
        Mount("/nlg", app=create_nlg_app()),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(_NlgSlash)
    return app
