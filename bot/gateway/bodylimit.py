"""Request bodies refused with 413 while they stream in, on every route.

Starlette reads a body whole when a route asks for it, and uvicorn has no limit on bodies (only
on headers, `h11_max_incomplete_event_size`), so this small ASGI middleware is the limit. It
answers at once when `Content-Length` is over the limit, and otherwise counts the bytes as
they arrive and stops reading at the first chunk past it: a 300 MB upload costs the gateway
one chunk of memory, not 300 MB.

It is a transport limit, far above MAX_MESSAGE_CHARS: a message that is merely too long still
reaches the turn, whose crisis screen reads it before the web chat's length refusal.
"""

from __future__ import annotations

import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Bytes a JSON-escaped character may take ("\ud83d\ude00" is 12 for one emoji): the limit
# never falls below this many times MAX_MESSAGE_CHARS.
BYTES_PER_CHAR = 16


def body_limit(max_request_bytes: int, max_message_chars: int) -> int:
    """The limit in force: the setting, but never so low that a whole message cannot arrive."""
    return max(max_request_bytes, BYTES_PER_CHAR * max_message_chars)


def too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        {"error": "too_large", "message": f"The request body is over {limit} bytes."},
        status_code=413,
        headers={"Connection": "close"},
    )


class BodyLimit:
    """Refuses any HTTP request body over `limit` bytes with 413 and a JSON error.

    A body is read here, up to the limit, before the app sees it, and handed on whole: the
    app (and apps mounted in it, such as /nlg) never meets a half-read body.
    """

    def __init__(self, app: ASGIApp, limit: int, own_limit: re.Pattern[str] | None = None) -> None:
        self.app = app
        self.limit = limit
        # Routes that read their body themselves, as it streams, under a limit of their own
        # (a voice note or photo: megabytes, bot/gateway/channels/webmedia.py).
        self.own_limit = own_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (
            self.own_limit is not None and self.own_limit.fullmatch(scope.get("path", ""))
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body (a GET, the event stream)
            return
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await too_large(self.limit)(scope, receive, send)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                await too_large(self.limit)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body: bytes | None = b"".join(chunks)

        async def replay() -> Message:
            nonlocal body
            if body is not None:
                found, body = body, None
                return {"type": "http.request", "body": found, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
