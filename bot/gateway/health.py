"""GET /healthz and /readyz.

- `/healthz` (liveness): to anyone, only `{"status": "up"}` (200) or `{"status": "down"}` (503,
  when the gateway cannot reach its database). The state of each part (Rasa, the action server,
  the database, Telegram, the handoff's outbox) is shown with `Authorization: Bearer
  HEALTH_TOKEN`, or to a call from this machine that came through no proxy (the supervisor, a
  local check): it tells an attacker which part to push on.
- `/readyz` (readiness, for a load balancer): 503 until the service can answer (the database,
  and Rasa with its model loaded, about 45 s after a start), then 200.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.gateway.action_server import ActionServer
from bot.gateway.startup import Mentors, Services


async def _action_server(actions: ActionServer) -> dict[str, Any]:
    return {"ok": await actions.check(timeout=2.0), "url": actions.health_url}


def _handoff(mentors: Mentors) -> dict[str, Any]:
    """Whether alerts can go out, and how many wait in the outbox."""
    delivering = bool(mentors.outbox.senders)
    pending = mentors.outbox.pending()
    return {"ok": delivering or pending == 0, "delivering": delivering, "outbox_pending": pending}


LOOPBACK = frozenset({"127.0.0.1", "::1"})
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
NO_CACHE = {"Cache-Control": "no-store"}


def may_see_details(request: Request, token: str | None) -> bool:
    """The health token, or a call from loopback that no proxy forwarded."""
    header = request.headers.get("authorization", "")
    if token and header.lower().startswith("bearer "):
        return hmac.compare_digest(header[7:].strip().encode(), token.encode())
    local = request.client is not None and request.client.host in LOOPBACK
    return local and not any(name in request.headers for name in FORWARDING_HEADERS)


async def healthz(request: Request) -> Response:
    """Up or down to anyone; each part's state with the health token or from this machine."""
    services: Services = request.app.state.services
    settings = services.settings
    token = settings.health_token.get_secret_value() if settings.health_token else None
    if not may_see_details(request, token):
        up = await asyncio.to_thread(services.db.ping)
        return JSONResponse(
            {"status": "up" if up else "down"}, status_code=200 if up else 503, headers=NO_CACHE
        )
    rasa, actions, database = await asyncio.gather(
        services.rasa.health(),
        _action_server(services.rasa.actions),
        asyncio.to_thread(services.db.ping),
    )
    telegram = services.telegram.health() if services.telegram else {"ok": True, "enabled": False}
    parts = {
        "gateway": {"ok": True},
        "rasa": rasa,
        "action_server": actions,
        "database": {"ok": database},
        "telegram": telegram,
    }
    if services.mentors is not None:
        parts["handoff"] = await asyncio.to_thread(_handoff, services.mentors)
    status = "ok" if all(part["ok"] for part in parts.values()) else "degraded"
    return JSONResponse({"status": status, **parts}, headers=NO_CACHE)


async def readyz(request: Request) -> Response:
    """200 once the service can answer a parent (database up, Rasa's model loaded), else 503."""
    services: Services = request.app.state.services
    rasa, database = await asyncio.gather(
        services.rasa.health(), asyncio.to_thread(services.db.ping)
    )
    ready = bool(rasa["ok"]) and database
    return JSONResponse(
        {"status": "ready" if ready else "not_ready"},
        status_code=200 if ready else 503,
        headers=NO_CACHE,
    )
