"""The gateway: web chat page and API, /healthz, /nlg for Rasa, Telegram, and the staff's
reports at /staff/reports, in one Starlette app.

Every route is declared here, up front; `startup` builds the parts they share when the app
starts, and stops them when it stops.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.gateway import embed, staff, startup
from bot.gateway.channels import telegram, webchat, webmedia
from bot.gateway.health import healthz
from bot.gateway.startup import Options, Services
from bot.gateway.strings import page_strings
from bot.i18n import language_code
from bot.i18n.nlg import create_nlg_app
from bot.settings import Settings

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
STATIC = Path(__file__).resolve().parent / "static"
# The web chat page's security policy: its own script and style only, nothing inline; its API
# on this origin; a mentor's voice notes and photos played from blob: URLs (media.js fetches
# them with the token in a header, never in a URL). No frame-ancestors: councils frame the page
# (embed.js), and their sites are not known here.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; form-action 'self'; base-uri 'none'"
)


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


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def index(request: Request) -> Response:
    return FileResponse(
        STATIC / "index.html",
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": PAGE_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


async def strings(request: Request) -> Response:
    settings = _services(request).settings
    language = language_code(request.query_params.get("language"))
    found = page_strings(language, settings.retention_days, settings.max_message_chars)
    return JSONResponse(found, headers={"Cache-Control": "no-cache"})


async def telegram_webhook(request: Request) -> Response:
    """Telegram's webhook (TELEGRAM_WEBHOOK_URL): an update for the Telegram channel."""
    channel = _services(request).telegram
    if channel is None:
        return PlainTextResponse("Not Found", status_code=404)
    return await channel.receive(request)


def create_app(settings: Settings, options: Options | None = None) -> Starlette:
    """The gateway app; tests give `options` (stand-ins for Rasa or the handoff, and the like)."""
    chosen = options or Options()
    nlg = create_nlg_app()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.services = await startup.start(settings, chosen)
        # Responses Rasa has rendered are counted for the reports (bot/gateway/counting.py).
        nlg.state.observer = app.state.services.counting.rendered
        try:
            yield
        finally:
            await startup.stop(app.state.services)

    routes: list[BaseRoute] = [
        Route("/", index, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/strings", strings, methods=["GET"]),
        Route("/embed.js", embed.script, methods=["GET"]),
        *webchat.routes,
        *webmedia.routes,
        *staff.routes,
        Mount("/nlg", app=nlg),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    if chosen.telegram and telegram.enabled(settings) and telegram.webhook_mode(settings):
        routes.append(Route(telegram.WEBHOOK_PATH, telegram_webhook, methods=["POST"]))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(_NlgSlash)
    return app
