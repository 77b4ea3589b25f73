"""The web chat HTTP API: sessions, consent, messages, server push and erasure."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any, Protocol

from sse_starlette.sse import EventSourceResponse, ServerSentEvent
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.conversations import Conversations, ConversationState, SessionExpired
from bot.core import LANGUAGES, Inbound, Outbound, Refusal, Reply
from bot.gateway import tickets
from bot.gateway.clients import request_client
from bot.gateway.notifier import Notifier
from bot.gateway.ratelimit import RateLimiter
from bot.gateway.turn import Router
from bot.settings import Settings
from bot.store.models import Message

log = logging.getLogger(__name__)

# Streams also look for new messages this often, in case another process wrote them.
POLL_SECONDS = 10.0
RECONNECT_MS = 2000
# The turn's refusals that the API answers with an HTTP error; the others are replies.
REFUSED = {Refusal.TOO_LONG: (413, "too_long"), Refusal.TOO_FAST: (429, "rate_limited")}


def error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    """Every API error: a stable code for programs, a sentence for people."""
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


class Services(Protocol):
    """What the web chat uses of the gateway's parts (bot.gateway.startup.Services)."""

    settings: Settings
    conversations: Conversations
    router: Router
    notifier: Notifier
    session_limiter: RateLimiter


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _token(request: Request) -> str:
    """The bearer token: from the Authorization header only, never from the URL."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return ""


async def open_session(
    request: Request, *, handoff: bool = False
) -> tuple[ConversationState, bool] | JSONResponse:
    """The session the token opens and, with `handoff`, whether a mentor holds it."""
    token = _token(request)
    if not token:
        return error(401, "unauthorized", "A session token is needed: Authorization: Bearer TOKEN.")
    services = _services(request)
    session_id = request.path_params["session"]
    try:
        found, handed_off = await services.router.open(
            lambda: services.conversations.authenticate(session_id, token), handoff=handoff
        )
    except SessionExpired:
        hours = services.settings.web_idle_hours
        return error(
            403,
            "session_expired",
            f"This session ended after {hours:g} hours without a message. Start a new one.",
        )
    if found is None:
        return error(403, "forbidden", "This token does not open this session.")
    return found, handed_off


async def _authenticate(request: Request) -> ConversationState | JSONResponse:
    opened = await open_session(request)
    return opened if isinstance(opened, JSONResponse) else opened[0]


async def _json_body(request: Request) -> dict[str, Any] | JSONResponse:
    # Its size was checked as it streamed in (bot/gateway/bodylimit.py).
    body = await request.body()
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        return error(400, "bad_json", "The request body is not valid JSON.")
    if not isinstance(data, dict):
        return error(400, "bad_json", "The request body must be a JSON object.")
    return data


def message_json(outbound: Outbound, message_id: int | None = None) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "text": outbound.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in outbound.buttons],
        "sender": outbound.sender,
    }
    if outbound.sender_name:
        shown["sender_name"] = outbound.sender_name
    if outbound.media is not None and outbound.media.file_id is not None:
        shown["media"] = outbound.media.reference()
    if message_id is not None:
        shown["id"] = message_id
    return shown


def stored_json(message: Message) -> dict[str, Any]:
    extra = message.extra or {}
    return {
        "id": message.id,
        "direction": message.direction,
        "sender": message.sender,
        "sender_name": extra.get("sender_name"),
        "text": message.text,
        "buttons": message.buttons or [],
        "language": message.language,
        # A mentor's voice note or photo: the page fetches it with the token in a header
        # (bot/gateway/channels/webmedia.py).
        **({"media": extra["media"]} if extra.get("media", {}).get("file_id") else {}),
    }


async def create_session(request: Request) -> Response:
    services = _services(request)
    wait = services.session_limiter.hit(request_client(request))
    if wait is not None:
        return error(
            429,
            "rate_limited",
            "Too many new sessions from this address; wait a minute.",
            **{"Retry-After": str(int(wait))},
        )
    body = await _json_body(request)
    if isinstance(body, JSONResponse):
        return body
    language = body.get("language")
    if language is not None and language not in LANGUAGES:
        return error(400, "bad_language", "language must be one of: en, so, tr.")
    session = await asyncio.to_thread(services.conversations.create_web_session, language)
    return JSONResponse(
        {"session": session.id, "token": session.token, "language": session.language},
        status_code=201,
    )


async def consent(request: Request) -> Response:
    state = await _authenticate(request)
    if isinstance(state, JSONResponse):
        return state
    body = await _json_body(request)
    if isinstance(body, JSONResponse):
        return body
    if not isinstance(body.get("consent"), bool):
        return error(400, "bad_consent", 'Send {"consent": true} or {"consent": false}.')
    services = _services(request)
    await asyncio.to_thread(services.conversations.record_consent, state.id, body["consent"])
    return JSONResponse(
        {"consent": body["consent"], "retention_days": services.settings.retention_days}
    )


async def post_message(request: Request) -> Response:
    opened = await open_session(request, handoff=True)
    if isinstance(opened, JSONResponse):
        return opened
    services = _services(request)
    body = await _json_body(request)
    if isinstance(body, JSONResponse):
        return body
    text, payload = body.get("text"), body.get("payload")
    if (
        not isinstance(text, str | None)
        or not isinstance(payload, str | None)
        or (text is None) == (payload is None)
    ):
        return error(400, "bad_message", 'Send {"text": "..."} or {"payload": "/intent"}.')
    inbound = Inbound(
        channel="web",
        conversation_id=opened[0].id,
        kind="payload" if payload is not None else "text",
        text=text or "",
        payload=payload,
        client=request_client(request),
    )
    title = body.get("title")
    shown = title[:200] if isinstance(title, str) and title and payload is not None else None
    reply = await services.router.take(inbound, opened, shown=shown)
    if reply.refused in REFUSED:
        status, code = REFUSED[reply.refused]
        wait = {"Retry-After": str(reply.retry_after)} if reply.retry_after is not None else {}
        return error(status, code, reply.messages[0].text, **wait)
    return JSONResponse(reply_json(reply))


def reply_json(reply: Reply) -> dict[str, Any]:
    """The answer to a message; stored replies carry their event id (the parent's message first)."""
    ids = list(reply.message_ids)
    out_ids = ids[-len(reply.messages) :] if ids and reply.messages else []
    shown: dict[str, Any] = {
        "language": reply.language,
        "messages": [
            message_json(m, out_ids[i] if i < len(out_ids) else None)
            for i, m in enumerate(reply.messages)
        ],
    }
    if len(ids) > len(out_ids):
        shown["parent_message_id"] = ids[0]
    if reply.erased:
        shown["erased"] = True
    return shown


async def delete_session(request: Request) -> Response:
    state = await _authenticate(request)
    if isinstance(state, JSONResponse):
        return state
    await _services(request).router.erase(state.id)
    return JSONResponse({"erased": True})


def _last_event_id(request: Request) -> int:
    given = request.headers.get("last-event-id") or request.query_params.get("last_event_id") or "0"
    try:
        return max(0, int(given))
    except ValueError:
        return 0


async def stream_ticket(request: Request) -> Response:
    """A ticket that opens this session's event stream for a minute (bot/gateway/tickets.py)."""
    state = await _authenticate(request)
    if isinstance(state, JSONResponse):
        return state
    key = _services(request).settings.hashing_key()
    return JSONResponse(
        {"ticket": tickets.issue(key, state.id), "expires_in": tickets.TICKET_SECONDS},
        status_code=201,
    )


async def _stream_session(request: Request) -> ConversationState | JSONResponse:
    """The stream's session, opened by a ticket (a browser) or the token in a header."""
    ticket = request.query_params.get("ticket")
    if ticket is None:
        return await _authenticate(request)
    services = _services(request)
    session_id = request.path_params["session"]
    if not tickets.valid(services.settings.hashing_key(), session_id, ticket):
        return error(403, "forbidden", "This ticket is not valid for this session, or expired.")
    found = await asyncio.to_thread(services.conversations.get, session_id)
    if found is None:
        return error(403, "forbidden", "This session no longer exists.")
    return found


async def events(request: Request) -> Response:
    state = await _stream_session(request)
    if isinstance(state, JSONResponse):
        return state
    services = _services(request)
    return EventSourceResponse(
        _stream(services, state.id, _last_event_id(request)),
        ping=15,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _stream(
    services: Services, conversation_id: str, last: int
) -> AsyncIterator[ServerSentEvent]:
    """Every stored message after `last`, then each new one as it is written."""
    wake = services.notifier.subscribe(conversation_id)
    try:
        yield ServerSentEvent(comment="connected", retry=RECONNECT_MS)
        while True:
            wake.clear()
            rows = await asyncio.to_thread(services.conversations.transcript, conversation_id, last)
            for row in rows:
                last = row.id
                yield ServerSentEvent(
                    data=json.dumps(stored_json(row), ensure_ascii=False),
                    event="message",
                    id=str(row.id),
                )
            if (
                not rows
                and await asyncio.to_thread(services.conversations.get, conversation_id) is None
            ):
                yield ServerSentEvent(data="{}", event="erased")
                return
            if len(rows) < 200:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=POLL_SECONDS)
    finally:
        services.notifier.unsubscribe(conversation_id, wake)


routes = [
    Route("/api/sessions", create_session, methods=["POST"]),
    Route("/api/sessions/{session}", delete_session, methods=["DELETE"]),
    Route("/api/sessions/{session}/consent", consent, methods=["POST"]),
    Route("/api/sessions/{session}/messages", post_message, methods=["POST"]),
    Route("/api/sessions/{session}/ticket", stream_ticket, methods=["POST"]),
    Route("/api/sessions/{session}/events", events, methods=["GET"]),
]
