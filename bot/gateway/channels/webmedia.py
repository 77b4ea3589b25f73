"""The web chat's voice notes, photos and read-aloud: the upload route and its limits, the
mentor's files for the page, and speech (docs/webchat.md#voice-notes-and-photos).

The session token is only ever taken from the Authorization header here, never from a URL:
a file's address can be logged or shared, a header cannot.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, Protocol

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.conversations import Conversations, ConversationState
from bot.core import Inbound, Media, MediaKind
from bot.gateway.channels.webchat import REFUSED, error, open_session, reply_json
from bot.gateway.ratelimit import RateLimiter
from bot.gateway.replies import media_shown
from bot.gateway.turn import Router
from bot.i18n import N_, translate
from bot.media import (
    AUDIO,
    MAX_RECORDING_SECONDS,
    MediaError,
    MissingTool,
    clean_photo,
    for_telegram_voice,
    speech_engine,
)
from bot.media import sniff as sniff_content
from bot.store import Database
from bot.store.files import TO_PARENT, load_file

log = logging.getLogger(__name__)

MB = 1024 * 1024
# Two minutes of a browser's recording is well under 3 MB (WebM/Opus about 1, MP4/AAC about 2).
MAX_AUDIO_BYTES = 5 * MB
# A phone's photo; it is re-encoded smaller before it goes anywhere.
MAX_PHOTO_BYTES = 10 * MB
MAX_UPLOAD_BYTES = max(MAX_AUDIO_BYTES, MAX_PHOTO_BYTES)
# The upload route reads its body itself under MAX_UPLOAD_BYTES, not the gateway's body limit.
UPLOAD_PATH = re.compile(r"/api/sessions/[^/]+/media")
# Read-aloud costs a second or two of CPU: a few a minute per conversation.
SPEECH_PER_MINUTE = 10
MAX_SPEECH_BODY_BYTES = 32_768
# The page's own words for all of this (bot/gateway/strings.py serves them).
PAGE_STRINGS = {
    "record": N_("Record a voice note"),
    "stop_send": N_("Stop and send"),
    "cancel_recording": N_("Cancel"),
    "recording": N_("Recording"),
    "attach_photo": N_("Send a photo"),
    "listen": N_("Listen"),
    "voice_note": N_("Voice note"),
    "photo_from": N_("Photo from {name}"),
    "media_note": N_(
        "Voice notes and photos go to the mentor only. We keep no copy once the mentor has it."
    ),
    "microphone_blocked": N_(
        "The microphone is not available. Please allow it in your browser, or write instead."
    ),
    "media_failed": N_("Could not send. Please try again, or write instead."),
}

# Row ids are signed 64-bit integers, in SQLite and PostgreSQL alike.
LARGEST_ROW_ID = 2**63 - 1


class Services(Protocol):
    """What these routes use of the gateway's parts (bot.gateway.startup.Services)."""

    db: Database
    conversations: Conversations
    router: Router


def page_strings(language: str) -> dict[str, str]:
    found = {key: translate(language, msgid) for key, msgid in PAGE_STRINGS.items()}
    found["photo_from"] = translate(language, PAGE_STRINGS["photo_from"], name="{name}")
    return found


class WebMedia:
    """The routes, with the one speech engine and read-aloud budget of this process."""

    def __init__(self) -> None:
        self.speech = speech_engine()
        self.speech_limiter = RateLimiter(SPEECH_PER_MINUTE)

    def routes(self) -> list[Route]:
        return [
            Route("/api/sessions/{session}/media", self.status, methods=["GET"]),
            Route("/api/sessions/{session}/media", self.upload, methods=["POST"]),
            Route("/api/sessions/{session}/media/{file_id:int}", self.fetch, methods=["GET"]),
            Route("/api/sessions/{session}/speech", self.speak, methods=["POST"]),
        ]

    async def status(self, request: Request) -> Response:
        """Whether a mentor is in the conversation (the page then shows the record and photo
        buttons), which languages have read-aloud, and the limits."""
        opened = await open_session(request, handoff=True)
        if isinstance(opened, JSONResponse):
            return opened
        _state, handed_off = opened
        return JSONResponse(
            {
                "mentor": handed_off,
                "read_aloud": list(self.speech.languages),
                "max_seconds": MAX_RECORDING_SECONDS,
                "max_audio_bytes": MAX_AUDIO_BYTES,
                "max_photo_bytes": MAX_PHOTO_BYTES,
            },
            headers={"Cache-Control": "no-store"},
        )

    async def upload(self, request: Request) -> Response:
        """A voice note or photo for the mentor: the raw file as the body, whatever its name
        or Content-Type; its type is read from its content."""
        opened = await open_session(request, handoff=True)
        if isinstance(opened, JSONResponse):
            return opened
        state, handed_off = opened
        body = await _body(request, MAX_UPLOAD_BYTES)
        if isinstance(body, JSONResponse):
            return body
        found = sniff_content(body)
        if found is None:
            return error(
                415,
                "unsupported_type",
                "Only a photo (JPEG, PNG or WebP) or a voice recording (WebM, OGG or MP4) can be sent.",
            )
        limit = MAX_AUDIO_BYTES if found.kind == AUDIO else MAX_PHOTO_BYTES
        if len(body) > limit:
            return _too_large(limit)
        kind: MediaKind = "voice" if found.kind == AUDIO else "photo"
        media = Media(kind=kind)
        if handed_off:
            try:
                media = await asyncio.to_thread(_prepared, kind, body)
            except MissingTool as problem:
                log.error("upload not converted: %s", problem)
                return error(503, "unavailable", "Voice notes cannot be sent just now.")
            except MediaError as problem:
                log.info("upload refused: %s", problem)
                return error(
                    415, "unreadable", "This file could not be read as a photo or a recording."
                )
        # Outside a conversation with a mentor the turn answers "text only", and nothing is kept.
        return await _take(request, state, media, handed_off)

    async def fetch(self, request: Request) -> Response:
        """A mentor's voice note or photo, for this session's page only."""
        opened = await open_session(request)
        if isinstance(opened, JSONResponse):
            return opened
        state, _ = opened
        services = _services(request)
        file_id = int(request.path_params["file_id"])
        found = None
        if 0 < file_id <= LARGEST_ROW_ID:  # a larger one cannot be a row, and SQLite refuses it
            found = await asyncio.to_thread(
                load_file, services.db, file_id, direction=TO_PARENT, conversation_id=state.id
            )
        if found is None:
            return error(404, "not_found", "This file is no longer kept.")
        data, mime_type = found
        return Response(
            data,
            media_type=mime_type,
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )

    async def speak(self, request: Request) -> Response:
        """Read-aloud of one of the assistant's replies: `{"text", "language"}` in, MP4/AAC out."""
        opened = await open_session(request)
        if isinstance(opened, JSONResponse):
            return opened
        state, _ = opened
        body = await _body(request, MAX_SPEECH_BODY_BYTES)
        if isinstance(body, JSONResponse):
            return body
        try:
            asked = json.loads(body)
        except ValueError:
            asked = None
        if not isinstance(asked, dict) or not isinstance(asked.get("text"), str):
            return error(400, "bad_speech", 'Send {"text": "...", "language": "en"}.')
        language = asked.get("language") or state.language
        if language not in self.speech.languages:
            return error(404, "no_voice", "There is no read-aloud voice for this language.")
        wait = self.speech_limiter.hit(state.id)
        if wait is not None:
            return error(
                429, "rate_limited", "Please wait a little.", **{"Retry-After": str(int(wait))}
            )
        try:
            spoken = await asyncio.to_thread(self.speech.speak, asked["text"], language)
        except MediaError as problem:
            log.warning("read-aloud failed: %s", problem)
            return error(400, "no_speech", "This text could not be read aloud.")
        return Response(spoken, media_type="audio/mp4", headers={"Cache-Control": "no-store"})


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def _body(request: Request, limit: int) -> bytes | JSONResponse:
    """The body, read no further than `limit` bytes: a larger one is refused as it arrives."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _too_large(limit)
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return _too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        return error(400, "incomplete", "The upload did not finish.")
    if size == 0:
        return error(400, "empty", "The upload is empty.")
    return b"".join(chunks)


def _too_large(limit: int) -> JSONResponse:
    return error(413, "too_large", f"The file is over {limit // MB} MB.")


def _prepared(kind: str, data: bytes) -> Media:
    """The file as the mentor gets it: a voice note as OGG/Opus (Telegram's voice notes), a
    photo re-encoded without its metadata (EXIF and GPS above all)."""
    if kind == "photo":
        return Media(kind="photo", data=clean_photo(data), mime_type="image/jpeg")
    return Media(kind="voice", data=for_telegram_voice(data), mime_type="audio/ogg")


async def _take(
    request: Request, state: ConversationState, media: Media, handed_off: bool
) -> Response:
    """The upload as a parent's turn: to the mentor, or the "text only" reply."""
    services = _services(request)
    inbound = Inbound(channel="web", conversation_id=state.id, kind="media", media=media)
    reply = await services.router.take(inbound, (state, handed_off))
    if reply.refused in REFUSED:
        status, code = REFUSED[reply.refused]
        wait = {"Retry-After": str(reply.retry_after)} if reply.retry_after is not None else {}
        return error(status, code, reply.messages[0].text, **wait)
    answer: dict[str, Any] = reply_json(reply)
    if reply.refused is None:
        # What the parent's own bubble says ("🎤 Voice note"), as the transcript keeps it.
        answer["shown"] = media_shown(reply.language, media.kind, "")
    return JSONResponse(answer)


routes = WebMedia().routes()
