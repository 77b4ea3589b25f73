"""Render a response name into text and buttons in the conversation's language (Rasa NLG shape)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.i18n import N_, gettext, language_code, translate
from bot.i18n.placeholders import fill
from bot.i18n.responses import SPECIAL_RESPONSES, ResponseBook, choose_variation

log = logging.getLogger(__name__)

GENERIC = N_("Sorry, something went wrong on my side. Please try again, or type 'help'.")
NO_SERVICE = N_("Sorry, I cannot show this service right now. Please try again later.")
NO_HUB = N_("Sorry, I cannot show the Family Hubs right now. Please try again later.")

_book = ResponseBook()

Special = Callable[[str, Mapping[str, Any], datetime], list[dict[str, Any]] | dict[str, Any]]


def nlg_message(text: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A message in the shape Rasa's NLG endpoint answers with."""
    return {
        "text": text,
        "buttons": buttons or [],
        "image": None,
        "elements": [],
        "attachments": [],
        "custom": {},
    }


_PAYLOAD_NAME = re.compile(r"\{(\w+)\}")


def fill_payload(payload: str, values: Mapping[str, Any]) -> str:
    """Fill `{name}` in a button payload, leaving JSON braces such as `/intent{"a": "b"}` alone."""
    return _PAYLOAD_NAME.sub(lambda m: str(values.get(m.group(1), m.group(0))), payload)


def choose_language(
    arguments: Mapping[str, Any], slots: Mapping[str, Any], language: str | None = None
) -> str:
    """arguments["language"], else `language` as given, else the `language` slot, else English."""
    for value in (arguments.get("language"), language, slots.get("language")):
        if isinstance(value, str) and value.strip():
            return language_code(value)
    return "en"


def _service_card(language: str, arguments: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    from bot.directory.live import get_directory
    from bot.i18n.cards import service_card

    service_id = arguments.get("service_id")
    try:
        service = get_directory().get(str(service_id)) if service_id else None
    except Exception:  # noqa: BLE001 (a broken directory must not break the conversation)
        log.exception("service card: the directory cannot be read")
        service = None
    if service is None:
        log.warning("service card: no service %r", service_id)
        return nlg_message(translate(language, NO_SERVICE))
    return nlg_message(service_card(service, language, now))


def _hub_card(language: str, arguments: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    from bot.directory.live import get_directory
    from bot.i18n.cards import hub_card

    hub_id = arguments.get("hub_id") or arguments.get("service_id")
    try:
        directory = get_directory()
        if hub_id:
            hub = directory.get(str(hub_id))
            if hub is None:
                log.warning("hub card: no hub %r", hub_id)
                return nlg_message(translate(language, NO_HUB))
            return nlg_message(hub_card(hub, language, now))
        hubs = directory.hubs()
    except Exception:  # noqa: BLE001
        log.exception("hub card: the directory cannot be read")
        return nlg_message(translate(language, NO_HUB))
    if not hubs:
        return nlg_message(translate(language, NO_HUB))
    return nlg_message("\n\n".join(hub_card(h, language, now, full=False) for h in hubs))


def _crisis(
    language: str, arguments: Mapping[str, Any], now: datetime, subject: str = "self"
) -> list[dict[str, Any]]:
    from bot.i18n.crisis import crisis_messages

    kind = arguments.get("crisis_kind") or arguments.get("kind")
    messages = crisis_messages(language, str(kind) if kind else None, subject)
    return [
        nlg_message(m.text, [{"title": b.title, "payload": b.payload} for b in m.buttons])
        for m in messages
    ]


SPECIAL: dict[str, Special] = {
    "utter_service_card": _service_card,
    "utter_hub_card": _hub_card,
    "utter_crisis": _crisis,
    "utter_crisis_other": lambda language, arguments, now: _crisis(
        language, arguments, now, "other"
    ),
}
assert set(SPECIAL) == SPECIAL_RESPONSES


def render_messages(
    name: str,
    language: str | None,
    arguments: Mapping[str, Any] | None = None,
    slots: Mapping[str, Any] | None = None,
    *,
    channel: str | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Every message of a response (the crisis reply has several); each in Rasa's NLG shape."""
    arguments = dict(arguments or {})
    slots = dict(slots or {})
    language = choose_language(arguments, slots, language)
    now = now or datetime.now(UTC)
    special = SPECIAL.get(name)
    if special is not None:
        result = special(language, arguments, now)
        return result if isinstance(result, list) else [result]
    variations = _book.get(name)
    if not variations:
        log.error("unknown response %r", name)
        return [nlg_message(translate("en", GENERIC))]
    variation = choose_variation(name, variations, arguments, slots, channel)
    if variation is None:
        log.error("response %r has no variation for channel %r", name, channel)
        return [nlg_message(translate(language, GENERIC))]
    # Arguments win over slots; None values (unset slots) never fill a placeholder.
    values = {k: v for k, v in {**slots, **arguments}.items() if v is not None}
    text = variation.get("text")
    rendered = fill(gettext(language, text), values, msgid=text) if isinstance(text, str) else ""
    buttons = []
    for button in variation.get("buttons") or []:
        if not isinstance(button, Mapping) or not isinstance(button.get("title"), str):
            continue
        title = fill(gettext(language, button["title"]), values, msgid=button["title"])
        buttons.append(
            {"title": title, "payload": fill_payload(str(button.get("payload", "")), values)}
        )
    message = nlg_message(rendered, buttons)
    for key in ("image", "custom"):
        if variation.get(key):
            message[key] = variation[key]
    return [message]


def render_response(
    name: str,
    language: str | None,
    arguments: dict[str, Any] | None = None,
    slots: dict[str, Any] | None = None,
    *,
    channel: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """One NLG response; several messages (the crisis reply) are joined into one text."""
    messages = render_messages(name, language, arguments, slots, channel=channel, now=now)
    if len(messages) == 1:
        return messages[0]
    combined = nlg_message(
        "\n\n".join(m["text"] for m in messages if m["text"]),
        [b for m in messages for b in m["buttons"]],
    )
    return combined
