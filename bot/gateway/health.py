"""GET /healthz: the state of Rasa, the action server, the database and Telegram."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.gateway.services import Services


async def _action_server(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    health_url = url.rsplit("/webhook", 1)[0] + "/health"
    try:
        response = await client.get(health_url, timeout=2.0)
        return {"ok": response.status_code == 200, "url": health_url}
    except httpx.HTTPError:
        return {"ok": False, "url": health_url}


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
        _action_server(services.rasa.client, services.settings.action_server_url),
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
