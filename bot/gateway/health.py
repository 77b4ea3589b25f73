"""GET /healthz: the state of Rasa, the action server, the database and Telegram."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.gateway.action_server import ActionServer
from bot.gateway.services import Services


async def _action_server(actions: ActionServer) -> dict[str, Any]:
    return {"ok": await actions.check(timeout=2.0), "url": actions.health_url}


def _telegram(services: Services) -> dict[str, Any]:
    if services.telegram is None:
        return {"ok": True, "enabled": False}
    from bot.gateway.channels.telegram import telegram_health

    found = telegram_health(services.telegram)
    return {"ok": bool(found.get("running")), **found}


async def healthz(request: Request) -> JSONResponse:
    """Always 200 while the gateway runs; `status` says whether every part is well."""
    services: Services = request.app.state.services
    rasa, actions, database = await asyncio.gather(
        services.rasa.health(),
        _action_server(services.rasa.actions),
        asyncio.to_thread(services.db.ping),
    )
    parts = {
        "gateway": {"ok": True},
        "rasa": rasa,
        "action_server": actions,
        "database": {"ok": database},
        "telegram": _telegram(services),
    }
    if services.handoff_runtime is not None:
        parts["handoff"] = await asyncio.to_thread(services.handoff_runtime.health)
    status = "ok" if all(part["ok"] for part in parts.values()) else "degraded"
    return JSONResponse({"status": status, **parts})
