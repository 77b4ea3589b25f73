"""Run the gateway alone: python -m bot.gateway (what `familyhub run` starts)."""

from __future__ import annotations

import logging

import uvicorn

from bot.gateway.app import create_app
from bot.settings import get_settings


def main() -> None:
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    # httpx logs request URLs at INFO, and Telegram's carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    uvicorn.run(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        log_level=settings.log_level.lower(),
        # Access lines carry session ids in paths, never message text.
        access_log=False,
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
