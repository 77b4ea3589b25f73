"""The gateway: web chat page and API, /healthz, /nlg for Rasa, Telegram, and the staff's
reports at /staff/reports, in one Starlette app.

Every route is declared here, up front; `startup` builds the parts they share when the app
starts, and stops them when it stops.
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.gateway import embed, openapi, staff, startup
from bot.gateway.bodylimit import BodyLimit, body_limit
from bot.gateway.channels import telegram, webchat, webmedia
from bot.gateway.health import healthz, readyz
from bot.gateway.security import SecurityHeaders
from bot.gateway.startup import Options, Services
from bot.gateway.strings import page_strings
from bot.i18n import language_code
from bot.i18n.nlg import create_nlg_app
from bot.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
NLG_SECRET_HEADER = "x-nlg-secret"


class _NlgGuard:
    """Rasa posts to /nlg exactly; the mounted NLG app answers at /nlg/, to Rasa only.

    Rasa proves itself with the NLG secret in a header (`headers:` of `nlg` in
    bot/endpoints.yml), not with its address: behind a proxy on the same machine every visitor
    would look like 127.0.0.1, and X-Forwarded-For can be forged.
    """

    def __init__(self, app: ASGIApp, secret: str | None) -> None:
        self.app = app
        self.secret = secret.encode() if secret else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == "/nlg" or path.startswith("/nlg/")):
            given = dict(scope.get("headers", [])).get(NLG_SECRET_HEADER.encode(), b"")
            if self.secret is None or not hmac.compare_digest(given, self.secret):
                body = {"error": "forbidden", "message": "Only Rasa may call /nlg."}
                await JSONResponse(body, status_code=403)(scope, receive, send)
                return
            if path == "/nlg":
                scope = dict(scope, path="/nlg/", raw_path=b"/nlg/")
        await self.app(scope, receive, send)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def index(request: Request) -> Response:
    # The page's Content-Security-Policy and other headers come from SecurityHeaders.
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


async def strings(request: Request) -> Response:
    settings = _services(request).settings
    language = language_code(request.query_params.get("language"))
    found = page_strings(language, settings.retention_days, settings.max_message_chars)
    found["quick_exit_url"] = settings.quick_exit_url
    found["idle_hours"] = settings.web_idle_hours
    return JSONResponse(found, headers={"Cache-Control": "no-cache"})


async def telegram_webhook(request: Request) -> Response:
    """Telegram's webhook (TELEGRAM_WEBHOOK_URL): an update for the Telegram channel."""
    channel = _services(request).telegram
    if channel is None:
        return PlainTextResponse("Not Found", status_code=404)
    return await channel.receive(request)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such route, wrong method) as JSON with a message, like ours."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    code = {404: "not_found", 405: "method_not_allowed"}.get(status, "http_error")
    message = exc.detail if isinstance(exc, HTTPException) else "Something went wrong."
    headers = getattr(exc, "headers", None) or {}
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error: a JSON body too, with nothing of the request in it."""
    return JSONResponse(
        {"error": "server_error", "message": "Something went wrong. Please try again."},
        status_code=500,
    )


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
        Route("/readyz", readyz, methods=["GET"]),
        Route("/api/openapi.json", openapi.document, methods=["GET"]),
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
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    secret = settings.nlg_secret.get_secret_value() if settings.nlg_secret else None
    # Starlette runs the middleware added last first: the security headers go on every answer
    # (refusals included); /nlg's secret is checked before its body is read; then every
    # body's size, as it streams in.
    limit = body_limit(settings.max_request_bytes, settings.max_message_chars)
    app.add_middleware(BodyLimit, limit=limit, own_limit=webmedia.UPLOAD_PATH)
    app.add_middleware(_NlgGuard, secret=secret)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    return app
