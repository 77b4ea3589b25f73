"""A fake Telegram Bot API server on 127.0.0.1, for tests of the Telegram channel and the handoff.

Usage::

    with FakeTelegram() as server:            # real HTTP, in a background thread
        channel = TelegramChannel(TelegramDeps(settings_with(server.base_url), ...))
        await channel.start()
        server.push_text(chat_id=42, text="/start so")
        await server.wait_for_call("sendMessage")
        server.fail_next("sendMessage", status=429, retry_after=1)
        server.calls("sendMessage")[-1].params["text"]
        server.add_file("voice-9", ogg_bytes)      # getFile and its download serve it
        server.push_update(voice_update(42, file_id="voice-9", file_size=len(ogg_bytes)))
        server.calls("sendVoice")[-1].files["voice"]   # what the bot uploaded
        server.age(chat_id=42, message_id=7, hours=49)   # past deleteMessage's 48 hours
        server.deleted                                    # {(chat_id, message_id), ...}

It keeps Telegram's getUpdates semantics: long polling with `timeout`, and an update is
confirmed (dropped) once getUpdates is called with a higher `offset`. An update pushed again
with an id that was already delivered is delivered again, as Telegram does after a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.telegram_updates import (
    BOT_USER,
    callback_update,
    media_update,
    message,
    photo_update,
    text_update,
    user,
    voice_update,
)

__all__ = [
    "TOKEN",
    "Call",
    "FakeTelegram",
    "callback_update",
    "media_update",
    "photo_update",
    "text_update",
    "user",
    "voice_update",
]

# Telegram lets bots download files up to 20 MB (getFile answers "file is too big" beyond).
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
# The methods that send a file, and the parameter that holds it.
_FILE_METHODS = {
    "sendVoice": "voice",
    "sendPhoto": "photo",
    "sendAudio": "audio",
    "sendDocument": "document",
    "sendVideo": "video",
    "sendVideoNote": "video_note",
}

TOKEN = "123456:TEST-fake-token"
_INT_PARAMS = {
    "chat_id",
    "message_id",
    "from_chat_id",
    "offset",
    "limit",
    "timeout",
    "cache_time",
    "max_connections",
}
_JSON_PARAMS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "entities",
    "reply_parameters",
    "scope",
    "message_ids",
}
# A bot may delete a message in a private chat for this long after it was sent.
DELETABLE_SECONDS = 48 * 3600


@dataclass
class Call:
    """One request the fake received: the method, its decoded parameters and our answer."""

    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)
    # Files uploaded with the call (multipart), by parameter name.
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _Failure:
    status: int
    retry_after: int | None
    description: str | None
    where: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class Hold:
    """A call kept waiting for its answer: `arrived` is set when it comes in; the answer is
    `status` once `release` is called (502 stands for an answer the caller never saw)."""

    where: Callable[[dict[str, Any]], bool] | None
    status: int
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


class FakeTelegram:
    """A Bot API server double: real HTTP on 127.0.0.1, recording every call."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.webhook: dict[str, Any] = {}
        self.commands: list[dict[str, Any]] = []
        self._calls: list[Call] = []
        self._pending: list[dict[str, Any]] = []  # {"update": ..., "delivered": bool}
        self._failures: dict[str, list[_Failure]] = {}
        self._holds: dict[str, list[Hold]] = {}
        self._lock = threading.Lock()
        self._next_update_id = 1000
        self._next_message_id = 1
        # Files the bot may fetch (getFile, then its download), by file id; and downloads.
        self.files: dict[str, bytes] = {}
        self.file_sizes: dict[str, int] = {}
        self.downloads: list[str] = []
        # When each message in a chat was sent (either side), and which ones were deleted.
        self._sent_at: dict[tuple[int, int], float] = {}
        self.deleted: set[tuple[int, int]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._arrived: asyncio.Event | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- life cycle ----------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        """Serve in a background thread; returns once it accepts connections."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
            ]
        )
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        ready = threading.Event()

        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            self._arrived = asyncio.Event()
            ready.set()
            assert self._server is not None
            await self._server.serve(sockets=[sock])

        self._thread = threading.Thread(
            target=lambda: asyncio.run(serve()), name="fake-telegram", daemon=True
        )
        self._thread.start()
        ready.wait(5)
        deadline = time.monotonic() + 5
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wake any long poll."""
        if self._server is None:
            return
        self._server.should_exit = True
        with self._lock:  # a test that failed before releasing its hold must not stall the stop
            held = [hold for holds in self._holds.values() for hold in holds]
        for hold in held:
            hold.release()
        self._wake()
        if self._thread is not None:
            self._thread.join(5)
        self._server = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What to give PTB's `base_url` (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- what tests do -------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; an update without `update_id` gets the next one, and
        its message, unless a test chose its id, the chat's next message id."""
        with self._lock:
            new = "update_id" not in update
            if new:
                self._next_update_id += 1
                update = {"update_id": self._next_update_id, **update}
            else:
                self._next_update_id = max(self._next_update_id, update["update_id"])
            message = update.get("message")
            if new and isinstance(message, dict) and "chat" in message:
                # Message ids are one sequence per chat, the parent's and the bot's alike; a
                # test that chose the message's id keeps it.
                message_id = message.get("message_id") or 0
                if message_id == 0:
                    message_id = self._next_message_id
                    self._next_message_id += 1
                    update["message"] = {**message, "message_id": message_id}
                self._sent_at[(message["chat"]["id"], message_id)] = time.time()
            self._pending.append({"update": update, "delivered": False})
        self._wake()
        return int(update["update_id"])

    def push_text(self, chat_id: int, text: str, **kwargs: Any) -> int:
        return self.push_update(text_update(chat_id, text, **kwargs))

    def push_callback(self, chat_id: int, data: str, **kwargs: Any) -> int:
        return self.push_update(callback_update(chat_id, data, **kwargs))

    def add_file(self, file_id: str, data: bytes, *, size: int | None = None) -> None:
        """A file on Telegram's servers the bot may fetch; `size` claims another size (a file
        too big to download is refused by getFile, as Telegram does)."""
        self.files[file_id] = data
        self.file_sizes[file_id] = len(data) if size is None else size

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        retry_after: int | None = None,
        description: str | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Make the next call of `method` (whose parameters match `where`, when given) fail."""
        failure = _Failure(status, retry_after, description, where)
        with self._lock:
            self._failures.setdefault(method, []).append(failure)

    def age(self, chat_id: int, message_id: int, hours: float) -> None:
        """Make a message in a chat `hours` old (for deleteMessage's 48-hour limit)."""
        with self._lock:
            self._sent_at[(chat_id, message_id)] = time.time() - hours * 3600

    def messages_in(self, chat_id: int) -> list[int]:
        """Ids of the messages in a chat (either side) that were not deleted."""
        with self._lock:
            return sorted(
                m for (c, m) in self._sent_at if c == chat_id and (c, m) not in self.deleted
            )

    def calls(self, method: str | None = None) -> list[Call]:
        """Every call so far (of one method, when given), oldest first."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of the messages the bot sent successfully (to one chat, when given)."""
        return [
            c.params.get("text", "")
            for c in self.calls("sendMessage")
            if c.status == 200 and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def _matching(self, method: str, where: Callable[[Call], bool] | None) -> list[Call]:
        return [c for c in self.calls(method) if c.status == 200 and (where is None or where(c))]

    def _not_seen(self, method: str, count: int, timeout: float) -> AssertionError:
        seen = [c.method for c in self.calls() if c.method != "getUpdates"]
        return AssertionError(f"{count} x {method} not seen within {timeout}s; saw {seen}")

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 10.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until at least `count` successful calls of `method` (matching `where`) arrived."""
        deadline = time.monotonic() + timeout
        while len(found := self._matching(method, where)) < count:
            if time.monotonic() > deadline:
                raise self._not_seen(method, count, timeout)
            await asyncio.sleep(0.02)
        return found

    def wait_for_call_blocking(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 10.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """`wait_for_call` for synchronous tests (e.g. with Starlette's TestClient)."""
        deadline = time.monotonic() + timeout
        while len(found := self._matching(method, where)) < count:
            if time.monotonic() > deadline:
                raise self._not_seen(method, count, timeout)
            time.sleep(0.02)
        return found

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._pending)

    # -- the server side -----------------------------------------------------------------

    def _wake(self) -> None:
        loop, event = self._loop, self._arrived
        if loop is not None and event is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(event.set)

    async def _download(self, request: Request) -> Response:
        """GET /file/bot<token>/<file_path>: a file's bytes, as Telegram's file server."""
        path = request.path_params["path"]
        if request.path_params["token"] != self.token or not path.startswith("files/"):
            return Response(status_code=404)
        file_id = path.removeprefix("files/")
        if file_id not in self.files:
            return Response(status_code=404)
        with self._lock:
            self.downloads.append(file_id)
        return Response(self.files[file_id], media_type="application/octet-stream")

    def hold_next(
        self,
        method: str,
        *,
        status: int = 502,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Hold:
        """Keep the next call of `method` (matching `where`) waiting until released: the moment
        a request is on its way and its answer not yet back."""
        hold = Hold(where, status)
        with self._lock:
            self._holds.setdefault(method, []).append(hold)
        return hold

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params, files = await _params(request)
        if request.path_params["token"] != self.token:
            return self._record(method, params, _error(401, "Unauthorized"))
        with self._lock:  # each hold takes one call; it stays listed, so `stop` can release it
            hold = next(
                (
                    h
                    for h in self._holds.get(method, [])
                    if not h.arrived.is_set() and (h.where is None or h.where(params))
                ),
                None,
            )
            if hold is not None:
                hold.arrived.set()
        if hold is not None:
            while not hold.released.is_set():
                await asyncio.sleep(0.01)
            if hold.status != 200:
                return self._record(method, params, _error(hold.status, "Held, then failed"))
        with self._lock:
            failure = self._take_failure(method, params)
        if failure is not None:
            return self._record(
                method, params, _error(failure.status, failure.description, failure.retry_after)
            )
        handler = getattr(self, f"_api_{method}", None)
        if handler is None and method not in _FILE_METHODS:
            return self._record(method, params, _error(404, "Not Found: method not found"))
        if method == "getUpdates":
            response = await self._api_getUpdates(params)
        elif method in _FILE_METHODS:
            response = self._sent_file(method, params, files)
        else:
            response = handler(params)
        return self._record(method, params, response, files)

    def _take_failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        queued = self._failures.get(method, [])
        for index, failure in enumerate(queued):
            if failure.where is None or failure.where(params):
                return queued.pop(index)
        return None

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        response: JSONResponse,
        files: dict[str, bytes] | None = None,
    ) -> JSONResponse:
        with self._lock:
            self._calls.append(Call(method, params, response.status_code, files=files or {}))
        return response

    async def _api_getUpdates(self, params: dict[str, Any]) -> JSONResponse:
        if self.webhook.get("url"):
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset, timeout = params.get("offset"), float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        assert self._arrived is not None
        while True:
            self._arrived.clear()
            with self._lock:
                if offset is not None:
                    self._pending = [
                        e
                        for e in self._pending
                        if not (e["delivered"] and e["update"]["update_id"] < offset)
                    ]
                batch = self._pending[:limit]
                for entry in batch:
                    entry["delivered"] = True
            left = deadline - time.monotonic()
            if batch or left <= 0 or self._server is None or self._server.should_exit:
                return _ok([e["update"] for e in batch])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), left)

    def _api_getMe(self, params: dict[str, Any]) -> JSONResponse:
        return _ok(
            {
                **BOT_USER,
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    def _new_message_id(self, chat_id: int) -> int:
        """The id of a message the bot sends now (deletable for 48 hours from now)."""
        with self._lock:
            message_id = self._next_message_id
            self._next_message_id += 1
            self._sent_at[(chat_id, message_id)] = time.time()
            return message_id

    def _sent(self, params: dict[str, Any], message_id: int | None = None) -> JSONResponse:
        if message_id is None:
            message_id = self._new_message_id(int(params["chat_id"]))
        content: dict[str, Any] = {}
        if "text" in params:
            content["text"] = params["text"]
        if (
            isinstance(params.get("reply_markup"), dict)
            and "inline_keyboard" in params["reply_markup"]
        ):
            content["reply_markup"] = params["reply_markup"]
        return _ok(
            message(int(params["chat_id"]), from_user=BOT_USER, message_id=message_id, **content)
        )

    def _api_sendMessage(self, params: dict[str, Any]) -> JSONResponse:
        if not params.get("text"):
            return _error(400, "Bad Request: message text is empty")
        if len(params["text"]) > 4096:
            return _error(400, "Bad Request: message is too long")
        return self._sent(params)

    def _api_copyMessage(self, params: dict[str, Any]) -> JSONResponse:
        """A copy of a message in another chat; answers only its new id, as Telegram does."""
        if "from_chat_id" not in params or "message_id" not in params:
            return _error(400, "Bad Request: message to copy not found")
        if len(str(params.get("caption") or "")) > 1024:
            return _error(400, "Bad Request: message caption is too long")
        return _ok({"message_id": self._new_message_id(int(params["chat_id"]))})

    def _sent_file(
        self, method: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> JSONResponse:
        """sendVoice, sendPhoto …: the file uploaded (multipart) or a file id."""
        name = _FILE_METHODS[method]
        if name not in files and not params.get(name):
            return _error(400, f"Bad Request: there is no {name} in the request")
        if len(str(params.get("caption") or "")) > 1024:
            return _error(400, "Bad Request: message caption is too long")
        message_id = self._new_message_id(int(params["chat_id"]))
        sent = {"file_id": f"sent-{message_id}", "file_unique_id": f"u{message_id}"}
        content: dict[str, Any] = {}
        if name == "photo":
            content["photo"] = [{**sent, "width": 90, "height": 90}]
        elif name in ("voice", "audio", "video_note", "video"):
            content[name] = {**sent, "duration": 1}
        else:
            content[name] = sent
        if params.get("caption"):
            content["caption"] = params["caption"]
        chat = int(params["chat_id"])
        return _ok(message(chat, from_user=BOT_USER, message_id=message_id, **content))

    def _api_getFile(self, params: dict[str, Any]) -> JSONResponse:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            return _error(400, "Bad Request: invalid file_id")
        size = self.file_sizes[file_id]
        if size > MAX_DOWNLOAD_BYTES:
            return _error(400, "Bad Request: file is too big")
        found = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": size,
            "file_path": f"files/{file_id}",
        }
        return _ok(found)

    def _api_editMessageText(self, params: dict[str, Any]) -> JSONResponse:
        return self._sent(params, int(params["message_id"])) if "chat_id" in params else _ok(True)

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> JSONResponse:
        return self._sent(params, int(params["message_id"])) if "chat_id" in params else _ok(True)

    def _deletable(self, chat_id: int, message_id: int) -> bool:
        sent = self._sent_at.get((chat_id, message_id))
        return (
            sent is not None
            and (chat_id, message_id) not in self.deleted
            and time.time() - sent < DELETABLE_SECONDS
        )

    def _api_deleteMessage(self, params: dict[str, Any]) -> JSONResponse:
        if "chat_id" not in params or "message_id" not in params:
            return _error(400, "Bad Request: message to delete not found")
        key = (int(params["chat_id"]), int(params["message_id"]))
        with self._lock:
            if key not in self._sent_at or key in self.deleted:
                return _error(400, "Bad Request: message to delete not found")
            if not self._deletable(*key):
                return _error(400, "Bad Request: message can't be deleted for everyone")
            self.deleted.add(key)
        return _ok(True)

    def _api_deleteMessages(self, params: dict[str, Any]) -> JSONResponse:
        """At most 100 ids; those not found or too old are skipped, as Telegram does."""
        chat_id, ids = int(params["chat_id"]), [int(i) for i in params["message_ids"]]
        if not 1 <= len(ids) <= 100:
            return _error(400, "Bad Request: too many messages to delete")
        with self._lock:
            self.deleted.update((chat_id, i) for i in ids if self._deletable(chat_id, i))
        return _ok(True)

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> JSONResponse:
        return _ok(True)

    def _api_sendChatAction(self, params: dict[str, Any]) -> JSONResponse:
        return _ok(True)

    def _api_setMyCommands(self, params: dict[str, Any]) -> JSONResponse:
        self.commands = list(params.get("commands") or [])
        return _ok(True)

    def _api_getMyCommands(self, params: dict[str, Any]) -> JSONResponse:
        return _ok(self.commands)

    def _api_setWebhook(self, params: dict[str, Any]) -> JSONResponse:
        self.webhook = dict(params)
        return _ok(True)

    def _api_deleteWebhook(self, params: dict[str, Any]) -> JSONResponse:
        self.webhook = {}
        if params.get("drop_pending_updates") in (True, "true"):
            with self._lock:
                self._pending.clear()
        return _ok(True)

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> JSONResponse:
        info = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": self.pending_updates(),
        }
        if self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return _ok(info)


async def _params(request: Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Decode PTB's form fields (JSON-encoded values), a multipart upload (its files apart)
    or a JSON body into Python values."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        body = await request.body()
        return (dict(json.loads(body)) if body else {}), {}
    if kind.startswith("multipart/form-data"):
        fields, files = _multipart(kind, await request.body())
        return _decoded(fields), files
    form = (await request.body()).decode()
    raw = dict(parse_qsl(form, keep_blank_values=True)) if form else dict(request.query_params)
    return _decoded(raw), {}


def _multipart(kind: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    """A multipart/form-data body: its plain fields, and its files by field name."""
    parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body
    )
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in parsed.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_param("filename", header="content-disposition") is not None:
            files[str(name)] = data
        else:
            fields[str(name)] = data.decode()
    return fields, files


def _decoded(raw: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if name in _JSON_PARAMS or value in ("true", "false") and name not in ("text",):
            params[name] = json.loads(value)
        elif name in _INT_PARAMS and value.lstrip("-").isdigit():
            params[name] = int(value)
        else:
            params[name] = value
    return params


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(status: int, description: str | None, retry_after: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status}
    if status == 429:
        retry_after = retry_after if retry_after is not None else 1
        body["description"] = description or f"Too Many Requests: retry after {retry_after}"
        body["parameters"] = {"retry_after": retry_after}
    else:
        body["description"] = description or {
            500: "Internal Server Error",
            400: "Bad Request",
            403: "Forbidden: bot was blocked by the user",
        }.get(status, "Error")
    return JSONResponse(body, status_code=status)
