"""Rasa's answers to one parent message: replies to show, and directives to act on."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.conversations.records import ConversationState
from bot.core import LANGUAGES, Button, Directive, Outbound
from bot.gateway import replies

log = logging.getLogger(__name__)

# (work, topic, urgent) -> what to tell the parent about their request for a person
RequestPerson = Callable[["Work", str | None, bool], Awaitable[list[Outbound]]]


@dataclass
class Work:
    """One message being routed: the conversation's state as it changes, and the replies so far."""

    state: ConversationState
    language: str
    locked: bool
    rasa_language: str | None
    out: list[Outbound] = field(default_factory=list)
    intent: str | None = None
    erase: bool = False
    notice_shown: bool = False


async def interpret(
    work: Work, answers: list[dict[str, Any]], request_person: RequestPerson
) -> int:
    """Rasa's replies as messages; `custom` directives are acted on, never shown."""
    shown = 0
    for answer in answers:
        custom = answer.get("custom")
        if isinstance(custom, dict) and "directive" in custom:
            shown += await _directive(work, custom, request_person)
            continue
        text = answer.get("text") or ""
        buttons = [
            Button(str(b.get("title", "")), str(b.get("payload", "")))
            for b in answer.get("buttons") or []
            if isinstance(b, dict)
        ]
        if text or buttons:
            work.out.append(Outbound(text, buttons))
            shown += 1
    return shown


async def _directive(work: Work, custom: dict[str, Any], request_person: RequestPerson) -> int:
    directive = custom.get("directive")
    if directive == Directive.LANGUAGE and custom.get("language") in LANGUAGES:
        work.language, work.locked = str(custom["language"]), True
        if work.rasa_language != work.language:
            work.rasa_language = None  # unknown whether the action set the slot: set it next time
    elif directive == Directive.ERASE:
        work.erase = True
        work.out.append(replies.erased(work.language))
    elif directive == Directive.HANDOFF:
        topic = custom.get("topic")
        urgent = bool(custom.get("urgent", False))
        found = await request_person(work, str(topic) if topic else None, urgent)
        work.out += found
        return len(found) or 1
    else:
        log.warning("unknown directive from rasa: %s", str(directive)[:40])
    return 1
