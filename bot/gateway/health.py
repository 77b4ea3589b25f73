"""GET /healthz: the state of Rasa, the action server, the database, Telegram and the handoff."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.gateway.action_server import ActionServer
from bot.gateway.startup import Mentors, Services


async def _action_server(actions: ActionServer) -> dict[str, Any]:
    return {"ok": await actions.check(timeout=2.0), "url": actions.health_url}


def _handoff(mentors: Mentors) -> dict[str, Any]:
    """Whether alerts can go out, and how many wait in the outbox."""
    delivering = bool(mentors.outbox.senders)
    pending = mentors.outbox.pending()
    return {"ok": delivering or pending == 0, "delivering": delivering, "outbox_pending": pending}


async def healthz(request: Request) -> JSONResponse:
    """Always 200 while the gateway runs; `status` says whether every part is well."""
    services: Services = request.app.state.services
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
    return JSONResponse({"status": status, **parts})
