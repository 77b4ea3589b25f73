"""What a reply must say, worked out in the test process from the same catalogs, domain and directory.

The stack renders every text in its own processes; these helpers render the same things here, so
a test can tell a Somali reply from an English one that merely fell back, without copying texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from bot.directory.live import get_directory
from bot.directory.model import Service
from bot.i18n.cards import hub_card, service_card
from bot.i18n.catalogs import LOCALES_DIR
from bot.i18n.render import render_messages

# A catalog text with less than this many fixed characters would match almost anything.
MIN_FIXED_CHARS = 8
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w.\[\]]*\}")


def _pattern(text: str) -> re.Pattern[str] | None:
    """A full-match pattern for a catalog text, each `{placeholder}` matching any filling."""
    parts = _PLACEHOLDER.split(text)
    if sum(len(p.strip()) for p in parts) < MIN_FIXED_CHARS:
        return None
    return re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL)


def _catalog_file(language: str) -> Path:
    if language == "en":
        return LOCALES_DIR / "messages.pot"
    return LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"


@dataclass(frozen=True)
class Catalog:
    """The texts of one language: exact texts, and patterns of those with placeholders."""

    exact: dict[str, str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def catalog(language: str) -> Catalog:
    """Every catalog text as the parent sees it in `language`.

    English: every msgid. Somali and Turkish: only entries a translator wrote (not empty, not
    fuzzy), so an English fallback never passes for a translation.
    """
    with _catalog_file(language).open("rb") as handle:
        read = read_po(handle)
    exact: dict[str, str] = {}
    patterns = []
    for message in read:
        msgid = message.id
        if not msgid or not isinstance(msgid, str):
            continue
        if language == "en":
            shown = msgid
        else:
            shown = message.string if isinstance(message.string, str) else ""
            if not shown or message.fuzzy:
                continue
        exact[shown] = msgid
        if _PLACEHOLDER.search(shown):
            pattern = _pattern(shown)
            if pattern is not None:
                patterns.append((msgid, pattern))
    assert exact, f"no {language} catalog texts"
    return Catalog(exact, tuple(patterns))


def catalog_text(text: str, language: str) -> str | None:
    """The msgid whose `language` text (placeholders filled) is exactly `text`; None if none is."""
    found = catalog(language)
    if text in found.exact:
        return found.exact[text]
    for msgid, pattern in found.patterns:
        if pattern.fullmatch(text):
            return msgid
    return None


def rendered(response: str, language: str) -> dict[str, Any]:
    """A domain response as the NLG renders it in `language` (the first of its messages)."""
    return render_messages(response, language)[0]


@dataclass(frozen=True)
class Card:
    service: Service
    text: str


def _services() -> list[Service]:
    return [s for s in get_directory() if s.active]


def card_for(text: str, language: str, moments: Sequence[datetime]) -> Card | None:
    """The service whose card in `language`, rendered at one of `moments`, is exactly `text`."""
    for service in _services():
        for moment in moments:
            expected = [service_card(service, language, moment)]
            if service.category == "family_hub":
                expected += [
                    hub_card(service, language, moment),
                    hub_card(service, language, moment, full=False),
                ]
            if text in expected:
                return Card(service, text)
    return None


def card_in_another_language(text: str, language: str) -> str | None:
    """When `text` starts with a service's name in a language other than `language`: that language."""
    first = text.split("\n", 1)[0]
    for service in _services():
        if first == service.name.get(language):
            return None
        for other in ("en", "so", "tr"):
            if other != language and service.name.has(other) and first == service.name.get(other):
                return other
    return None


def bot_messages(messages: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    return [m for m in messages if m.get("sender", "bot") != "parent"]


def check_language(
    messages: Iterable[dict[str, object]], language: str, moments: Sequence[datetime]
) -> list[Card]:
    """Assert every message and button is in `language`; the service cards shown, in order.

    A message is either a directory card, exactly as rendered in `language` (so the service's own
    name and description are the `language` ones where the directory has them), or a catalog
    text translated into `language`. Every button title is a translated catalog text too.
    """
    cards = []
    for message in bot_messages(messages):
        text = str(message.get("text") or "")
        buttons = list(message.get("buttons") or [])  # type: ignore[call-overload]
        card = card_for(text, language, moments) if text else None
        if card is not None:
            cards.append(card)
        elif text and catalog_text(text, language) is None:
            other = card_in_another_language(text, language)
            where = f" (a service card in {other})" if other else ""
            raise AssertionError(f"not a {language} text{where}: {text!r}")
        for button in buttons:
            title = str(button["title"])
            assert catalog_text(title, language) is not None, f"not a {language} button: {title!r}"
    return cards
