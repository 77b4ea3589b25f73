"""An NLG client for Rasa that keeps its connection open and sends only what the NLG reads.

Rasa's `CallbackNaturalLanguageGenerator` costs several milliseconds of Rasa's CPU for each
response it asks the NLG endpoint to render, and the cost grows with the conversation:

* it sends the whole tracker (every event of the session) with each request;
* it serialises that body once more for a debug log line, whatever the log level;
* it opens a new HTTP session, and so a new TCP connection, for each request;
* it checks each answer with `jsonschema.validate`, which first re-checks the schema itself.

`KeepAliveNLG` renders through the same endpoint with the same request shape (`response`,
`id`, `arguments`, `tracker`, `channel`), except that `tracker` holds only `sender_id` and
`slots`: all that an NLG endpoint which renders from slots and arguments reads. It keeps one
pool of keep-alive connections per event loop, retries once when the server closed an idle
connection as the request went out, and checks the answer's shape with plain type checks.

endpoints.yml:

    nlg:
      type: rasa_addons.nlg.KeepAliveNLG
      url: http://127.0.0.1:8000/nlg
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

# Idle connections are dropped before the server's keep-alive ends (uvicorn's default is 5 s),
# so that a request seldom goes out on a connection the server is closing.
KEEPALIVE_SECONDS = 3.0

# Each key a rendered message may carry, with the JSON types Rasa accepts for it
# (rasa.core.nlg.callback.nlg_response_format_spec).
_FIELDS: dict[str, tuple] = {
    "text": (str,),
    "id": (str, type(None)),
    "buttons": (list, type(None)),
    "elements": (list, type(None)),
    "attachment": (dict, type(None)),
    "image": (str, type(None)),
    "custom": (dict,),
}
_LISTS_OF_OBJECTS = ("buttons", "elements")


def check_response(content: Any) -> dict[str, Any]:
    """The NLG's answer if it has the shape Rasa accepts; RasaException otherwise.

    The same rules as Rasa's JSON schema for NLG responses, checked without jsonschema.
    """
    if not isinstance(content, dict):
        raise RasaException("NLG web endpoint returned an invalid response: not an object.")
    for key, types in _FIELDS.items():
        if key in content and not isinstance(content[key], types):
            raise RasaException(f"NLG web endpoint returned an invalid response: bad '{key}'.")
    for key in _LISTS_OF_OBJECTS:
        if any(not isinstance(item, dict) for item in content.get(key) or []):
            raise RasaException(f"NLG web endpoint returned an invalid response: bad '{key}'.")
    return content


def request_body(
    utter_action: str,
    tracker: DialogueStateTracker,
    output_channel: str,
    response_id: str | None,
    arguments: dict[str, Any],
) -> dict[str, Any]:
    """Rasa's NLG request, with the tracker cut down to its sender id and slots."""
    return {
        "response": utter_action,
        "id": response_id,
        "arguments": arguments,
        "tracker": {"sender_id": tracker.sender_id, "slots": tracker.current_slot_values()},
        "channel": {"name": output_channel},
    }


class KeepAliveNLG(NaturalLanguageGenerator):
    """Renders each response through the NLG endpoint over a kept-alive connection."""

    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        if not endpoint_config or not endpoint_config.url:
            raise RasaException("KeepAliveNLG needs the NLG endpoint's url in endpoints.yml.")
        self.nlg_endpoint = endpoint_config
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}

    def _session(self) -> aiohttp.ClientSession:
        """This event loop's HTTP session (Sanic runs one loop per worker process)."""
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            endpoint = self.nlg_endpoint
            auth = None
            if endpoint.basic_auth:
                auth = aiohttp.BasicAuth(
                    endpoint.basic_auth["username"], endpoint.basic_auth["password"]
                )
            session = aiohttp.ClientSession(
                headers=endpoint.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
            self._sessions[loop] = session
        return session

    async def _post(self, body: dict[str, Any]) -> Any:
        params = dict(self.nlg_endpoint.params)
        if self.nlg_endpoint.token:
            params[self.nlg_endpoint.token_name] = self.nlg_endpoint.token
        for attempt in (1, 2):
            try:
                async with self._session().post(
                    self.nlg_endpoint.url, json=body, params=params
                ) as response:
                    if response.status >= 400:
                        raise RasaException(f"NLG web endpoint answered HTTP {response.status}.")
                    return await response.json(content_type=None)
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                # The server closed a kept-alive connection just as the request went out:
                # rendering has no side effects, so it is safe to ask once more.
                if attempt == 2:
                    raise
                log.debug("NLG connection closed by the server; retrying once")
        raise AssertionError("unreachable")

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """The rendered message for one response (`text`, `buttons`, `custom` …)."""
        domain_responses = kwargs.pop("domain_responses", None)
        response_id = CallbackNaturalLanguageGenerator.fetch_response_id(
            utter_action, tracker, output_channel, domain_responses
        )
        body = request_body(utter_action, tracker, output_channel, response_id, kwargs)
        return check_response(await self._post(body))

    async def close(self) -> None:
        """Close every kept-alive connection (tests; a server exits without it)."""
        for session in self._sessions.values():
            await session.close()
        self._sessions.clear()
