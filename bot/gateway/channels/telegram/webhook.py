"""Webhook mode: the gateway's POST /telegram/webhook, guarded by Telegram's secret token."""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A Telegram update is a few kilobytes; anything much larger is not from Telegram.
MAX_BODY_BYTES = 1_000_000


def telegram_webhook_route(application: Application, secret: str, path: str = PATH) -> Route:
    """A Starlette route that puts each update Telegram posts onto the application's queue."""
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("telegram webhook refused: wrong secret token")
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response(status_code=413)
        try:
            update = Update.de_json(json.loads(body), application.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("telegram webhook refused: not an update")
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return Route(path, telegram_webhook, methods=["POST"])
