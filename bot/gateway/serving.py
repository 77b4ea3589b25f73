"""How uvicorn serves the gateway: its address, and which proxies' X-Forwarded-For it believes.

uvicorn believes X-Forwarded-For only from the addresses in `forwarded_allow_ips`; by default
that is 127.0.0.1, so behind a proxy on the same machine every visitor, and anyone who forges
the header on a direct connection to it, looked like whatever the header said. Here the list is
TRUSTED_PROXIES and nothing else: empty (the default) turns proxy headers off, and the client
address is always the connection's. docs/security.md#reverse-proxy has nginx and Caddy set-ups.
"""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp

from bot.settings import Settings


def uvicorn_config(app: ASGIApp, settings: Settings, **overrides: object) -> uvicorn.Config:
    trusted = list(settings.trusted_proxies)
    options: dict[str, object] = {
        "host": settings.gateway_host,
        "port": settings.gateway_port,
        "log_level": settings.log_level.lower(),
        # Access lines carry session ids in paths, never message text.
        "access_log": False,
        "timeout_graceful_shutdown": 5,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": ",".join(trusted) if trusted else "",
        # No "server: uvicorn" header telling a visitor what to attack.
        "server_header": False,
        **overrides,
    }
    return uvicorn.Config(app, **options)  # type: ignore[arg-type]
