"""Rasa's NLG endpoint: a small Starlette app that renders response names in the parent's language."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.i18n.render import choose_language, render_response

log = logging.getLogger(__name__)

# Rasa sends the whole tracker with every call, so a long conversation makes a large body.
MAX_BODY = 32 * 1024 * 1024


# Told of every response rendered: (name, language, arguments, sender id); the gateway
# counts service cards, gentle checks and the like with it (bot/gateway/counting.py).
Observer = Callable[[str, str, dict[str, Any], str | None], None]


class BadRequest(ValueError):
    """The request is not a Rasa NLG request."""


class NlgRequest(NamedTuple):
    name: str
    arguments: dict[str, Any]
    slots: dict[str, Any]
    channel: str | None
    sender: str | None  # the conversation id


def _object(body: Mapping[str, Any], key: str) -> dict[str, Any]:
    """An optional JSON object field; missing or null gives {}."""
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest(f"'{key}' must be a JSON object")
    return value


def parse_request(raw: bytes) -> NlgRequest:
    """The response name, arguments, slots, channel name and sender from a Rasa NLG request."""
    if len(raw) > MAX_BODY:
        raise BadRequest("the request body is too large")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("the request body is not valid JSON") from error
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    name = body.get("response", body.get("template"))
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("'response' must be a non-empty string naming a response")
    arguments = _object(body, "arguments")
    tracker = _object(body, "tracker")
    slots = _object(tracker, "slots")
    channel = _object(body, "channel").get("name")
    sender = tracker.get("sender_id")
    return NlgRequest(
        name.strip(),
        arguments,
        slots,
        channel if isinstance(channel, str) else None,
        sender if isinstance(sender, str) else None,
    )


async def nlg_endpoint(request: Request) -> JSONResponse:
    """POST: render one response for Rasa."""
    try:
        name, arguments, slots, channel, sender = parse_request(await request.body())
    except BadRequest as error:
        return JSONResponse({"error": "bad_request", "detail": str(error)}, status_code=400)
    language = choose_language(arguments, slots)
    message = await run_in_threadpool(
        render_response, name, language, arguments, slots, channel=channel
    )
    observer: Observer | None = request.app.state.observer
    if observer is not None:
        observer(name, language, arguments, sender)
    return JSONResponse(message)


async def health(request: Request) -> JSONResponse:
    """GET: whether the NLG app is up."""
    return JSONResponse({"status": "ok"})


def create_nlg_app() -> Starlette:
    """The NLG app; the gateway mounts it at /nlg, or it runs on its own.

    Its `state.observer` (None: nobody) is told of each response rendered.
    """
    app = Starlette(
        routes=[
            Route("/", nlg_endpoint, methods=["POST"]),
            Route("/", health, methods=["GET"]),
        ]
    )
    app.state.observer = None
    return app


def main(argv: list[str] | None = None) -> None:
    """Run the NLG app on its own: python -m bot.i18n.nlg --port 5056."""
    import uvicorn

    parser = argparse.ArgumentParser(description="The Family Hub helper's NLG endpoint for Rasa.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5056)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    uvicorn.run(create_nlg_app(), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
