"""Run the gateway alone: python -m bot.gateway (what `familyhub run` starts)."""

from __future__ import annotations

import logging

import uvicorn

from bot.gateway.app import create_app
from bot.gateway.serving import uvicorn_config
from bot.settings import get_settings


def main() -> None:
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    # httpx logs request URLs at INFO, and Telegram's carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    uvicorn.Server(uvicorn_config(create_app(settings), settings)).run()


if __name__ == "__main__":
    main()
