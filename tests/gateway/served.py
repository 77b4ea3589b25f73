"""The gateway served by a real uvicorn on a free local port, as `python -m bot.gateway` does."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from bot.gateway.serving import uvicorn_config
from bot.settings import Settings
from tests.integration.stack import free_port


@contextlib.contextmanager
def serve(app: ASGIApp, settings: Settings, **overrides: Any) -> Iterator[str]:
    """The app under uvicorn with the gateway's own configuration; yields its URL."""
    port = free_port()
    config = uvicorn_config(
        app, settings, host="127.0.0.1", port=port, log_level="warning", **overrides
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
