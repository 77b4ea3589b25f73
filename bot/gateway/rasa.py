"""Talking to Rasa's HTTP API: one shared keep-alive client, spread over one or more servers,
and Rasa's answers read as messages to show and directives to act on."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from bot.core import Button, Outbound
from bot.gateway.action_server import ActionServer


class RasaUnavailable(Exception):
    """Rasa did not answer in time, refused the connection, or failed."""


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
        if not base_urls:
            raise ValueError("at least one Rasa server URL is needed")
        self.base_urls = [url.rstrip("/") for url in base_urls]
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
        """The same server for a conversation every time, so its tracker lock stays in one place."""
        if len(self.base_urls) == 1:
            return self.base_urls[0]
        digest = hashlib.blake2b(conversation_id.encode(), digest_size=8).digest()
        return self.base_urls[int.from_bytes(digest, "big") % len(self.base_urls)]

    async def _post(self, url: str, body: Any, params: dict[str, str] | None = None) -> Any:
        try:
            response = await self.client.post(url, json=body, params=params)
        # The aiohttp transport passes on the aiohttp errors it has no httpx name for.
        except (httpx.HTTPError, aiohttp.ClientError) as error:
            raise RasaUnavailable(type(error).__name__) from error
        if response.status_code >= 400:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise RasaUnavailable("not JSON") from error

    async def send(
        self,
        conversation_id: str,
        message: str,
        language: str,
        metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Post a message to the REST webhook; Rasa's replies, in order. The metadata reaches
        the actions (`tracker.latest_message["metadata"]`): the language, the safety verdict."""
        url = f"{self.server_for(conversation_id)}/webhooks/rest/webhook"
        body = {
            "sender": conversation_id,
            "message": message,
            "metadata": {"language": language, **(metadata or {})},
        }
        replies = await self._post(url, body)
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
        url = f"{self.server_for(conversation_id)}/conversations/{conversation_id}/tracker/events"
        params = {"include_events": "NONE", **self.api_params}
        event = {"event": "slot", "name": "language", "value": language}
        await self._post(url, event, params)
        if fresh:
            await self._post(url, event, params)

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
        """Each server's state: up, and whether a model is loaded."""
        servers = []
        for base in self.base_urls:
            try:
                response = await self.client.get(
                    f"{base}/status", params=self.api_params, timeout=2.0
                )
                status = response.json() if response.status_code == 200 else {}
                server = {"url": base, "up": True, "model": bool(status.get("model_file"))}
                if response.status_code in (401, 403):
                    server["error"] = "refused: RASA_AUTH_TOKEN differs from Rasa's"
                servers.append(server)
            except (httpx.HTTPError, aiohttp.ClientError, ValueError):
                servers.append({"url": base, "up": False, "model": False})
        return {"ok": all(s["up"] and s["model"] for s in servers), "servers": servers}

    async def aclose(self) -> None:
        await self.actions.aclose()
        await self.client.aclose()
