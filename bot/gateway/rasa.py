"""Talking to Rasa's HTTP API: one shared keep-alive client, spread over one or more servers
(bot/gateway/servers.py: a stable server per conversation, the next one while it is down), and
Rasa's answers read as messages to show and directives to act on."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from bot.core import Button, Outbound
from bot.gateway.action_server import ActionServer
from bot.gateway.servers import ServerPool

log = logging.getLogger(__name__)

# A server marked down is probed this often until it answers with its model loaded.
PROBE_SECONDS = 2.0


class RasaUnavailable(Exception):
    """Rasa did not answer in time, refused the connection, or failed."""


class _NotSent(RasaUnavailable):
    """The server never took the request (refused, or no model loaded): another may take it."""


def _never_reached(error: BaseException) -> bool:
    """Whether the request failed before any byte of it reached a server, so sending it to
    another cannot process a message twice. A connection that broke after the request went out
    (the server died mid-turn) is not such a failure: that message may have been processed."""
    cause = error.__cause__ or error
    # The aiohttp transport names a refused connection ConnectTimeout; its cause tells.
    if isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return True
    return cause is error and isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)


@dataclass(frozen=True)
class Answer:
    """One of Rasa's replies: a message for the parent, or a directive for the gateway.

    A directive is an action's `custom` message (`{"directive": ..., ...}`, see bot.core
    Directive): acted on, never shown.
    """

    message: Outbound | None = None
    directive: dict[str, Any] | None = None


def read_answers(replies: list[dict[str, Any]]) -> list[Answer]:
    """Rasa's replies, in order, as Answers; a reply with nothing to show is left out."""
    answers = []
    for reply in replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and "directive" in custom:
            answers.append(Answer(directive=custom))
            continue
        text = reply.get("text") or ""
        buttons = [
            Button(str(b.get("title", "")), str(b.get("payload", "")))
            for b in reply.get("buttons") or []
            if isinstance(b, dict)
        ]
        if text or buttons:
            answers.append(Answer(message=Outbound(text, buttons)))
    return answers


class RasaClient:
    """The REST webhook and tracker events of the Rasa servers, one conversation per server."""

    def __init__(
        self,
        base_urls: list[str],
        timeout: float,
        *,
        action_server_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        auth_token: str | None = None,
    ) -> None:
        self.pool = ServerPool([url.rstrip("/") for url in base_urls])
        self.base_urls = self.pool.urls
        self._probes: dict[str, asyncio.Task[None]] = {}
        # Rasa's API routes (tracker events, status) want RASA_AUTH_TOKEN as the `token` query
        # parameter, its only way; the REST webhook takes none. Loopback only, never logged.
        self.api_params = {"token": auth_token} if auth_token else {}
        # Idle connections are dropped before Sanic's 5 s keep-alive (the action server's) ends,
        # so that a request never goes out on a connection the server is closing.
        limits = httpx.Limits(
            max_connections=200, max_keepalive_connections=100, keepalive_expiry=3.0
        )
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
            # httpx's own pool checks every pooled connection's socket on each request: with 50
            # parents at once that cost the gateway more CPU than the rest of a message.
            # aiohttp's pool does not (docs/benchmarks.md).
            transport=transport or AiohttpTransport(limits=limits),
        )
        # A stand-in transport (tests) has no TCP server to watch: it gets a check per message.
        self.actions = ActionServer(action_server_url, self.client, watch=transport is None)

    def server_for(self, conversation_id: str) -> str:
        """The server a conversation goes to now: always the same one while it is up."""
        return self.pool.first(conversation_id)

    async def _post(
        self, conversation_id: str, path: str, body: Any, params: dict[str, str] | None = None
    ) -> Any:
        """POST to the conversation's server; to the next one if that one never took it."""
        for base in self.pool.order(conversation_id):
            try:
                answer = await self._post_to(f"{base}{path}", body, params)
            except _NotSent as error:
                self._mark_down(base, str(error))
                continue
            return answer
        raise RasaUnavailable("no Rasa server took the request")

    async def _post_to(self, url: str, body: Any, params: dict[str, str] | None = None) -> Any:
        try:
            response = await self.client.post(url, json=body, params=params)
        # The aiohttp transport passes on the aiohttp errors it has no httpx name for.
        except (httpx.HTTPError, aiohttp.ClientError) as error:
            if _never_reached(error):
                raise _NotSent(type(error).__name__) from error
            raise RasaUnavailable(type(error).__name__) from error
        if response.status_code == 409:  # Rasa's "no agent loaded": nothing was processed
            raise _NotSent("HTTP 409")
        if response.status_code >= 400:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise RasaUnavailable("not JSON") from error

    def _mark_down(self, base: str, reason: str) -> None:
        """Send its conversations elsewhere until a probe finds it up with a model again."""
        if self.pool.mark_down(base):
            log.warning(
                "Rasa server %s is down (%s): its conversations go to the next", base, reason
            )
        if base not in self._probes or self._probes[base].done():
            self._probes[base] = asyncio.create_task(self._probe(base))

    async def _probe(self, base: str) -> None:
        while True:
            await asyncio.sleep(PROBE_SECONDS)
            if await self._serving(base):
                self.pool.mark_up(base)
                log.warning("Rasa server %s is back", base)
                return

    async def _serving(self, base: str) -> bool:
        """Whether the server answers its /status with a model loaded."""
        return (await self._status(base))["model"]

    async def _status(self, base: str) -> dict[str, Any]:
        try:
            response = await self.client.get(f"{base}/status", params=self.api_params, timeout=2.0)
            status = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, aiohttp.ClientError, ValueError):
            return {"url": base, "up": False, "model": False}
        server = {"url": base, "up": True, "model": bool(status.get("model_file"))}
        if response.status_code in (401, 403):
            server["error"] = "refused: RASA_AUTH_TOKEN differs from Rasa's"
        return server

    async def send(
        self,
        conversation_id: str,
        message: str,
        language: str,
        metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Post a message to the REST webhook; Rasa's replies, in order. The metadata reaches
        the actions (`tracker.latest_message["metadata"]`): the language, the safety verdict."""
        body = {
            "sender": conversation_id,
            "message": message,
            "metadata": {"language": language, **(metadata or {})},
        }
        replies = await self._post(conversation_id, "/webhooks/rest/webhook", body)
        if not isinstance(replies, list):
            raise RasaUnavailable("unexpected reply")
        return [reply for reply in replies if isinstance(reply, dict)]

    async def set_language(self, conversation_id: str, language: str, *, fresh: bool) -> None:
        """Set the tracker's `language` slot, so responses render in the parent's language.

        On a tracker Rasa has not seen, the call first starts a session whose events are stamped
        after our slot event, so Rasa then ignores the slot (it reads events from the latest
        session start on): `fresh` sends it again, after the session has started.
        """
        # include_events=NONE: Rasa need not send back the whole conversation's events.
        path = f"/conversations/{conversation_id}/tracker/events"
        params = {"include_events": "NONE", **self.api_params}
        event = {"event": "slot", "name": "language", "value": language}
        await self._post(conversation_id, path, event, params)
        if fresh:
            await self._post(conversation_id, path, event, params)

    async def ask(
        self,
        conversation_id: str,
        message: str,
        language: str,
        metadata: dict[str, Any] | None = None,
    ) -> list[Answer]:
        """Rasa's answers to a message; RasaUnavailable also when the action server it needs is down.

        Rasa swallows a failed custom action and answers with what came before it ("Here they
        are:" and no list), so a reply is good only if the action server was up throughout.
        """
        if self.actions.watched:
            replies = await self.send(conversation_id, message, language, metadata)
            ready = await self.actions.ready()  # free unless the watch closed meanwhile
        else:
            # Checked alongside, not before, so that a healthy stack answers no later.
            replies, ready = await asyncio.gather(
                self.send(conversation_id, message, language, metadata), self.actions.ready()
            )
        if not ready:
            raise RasaUnavailable("the action server is down")
        return read_answers(replies)

    async def health(self) -> dict[str, Any]:
        """Each server's state (up, model loaded, and whether its conversations are sent to it
        or, while it is marked down, to the next); `ok` when every one serves, `serving` when
        at least one does, which is enough to answer every parent."""
        servers = await asyncio.gather(*(self._status(base) for base in self.base_urls))
        for server in servers:
            state = self.pool.states[server["url"]]
            server["failed_over"] = state.down
            server["failovers"] = state.failovers
        serving = [s for s in servers if s["up"] and s["model"]]
        return {"ok": len(serving) == len(servers), "serving": bool(serving), "servers": servers}

    async def aclose(self) -> None:
        for probe in self._probes.values():
            probe.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._probes.values(), return_exceptions=True)
        await self.actions.aclose()
        await self.client.aclose()
