"""Button payloads and typed commands: `/intent` or `/intent{json}` of a known intent; anything
else is refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core import HELP_PAYLOAD, LANGUAGES, TALK_TO_HUMAN_PAYLOAD
from bot.handoff import CANCEL
from bot.settings import BOT_DIR

# The intents fixed in docs/internals.md; the domain may add more.
CONTRACT_INTENTS = frozenset(
    {
        "greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge", "help",
        "choose_language", "find_groups", "find_mentor", "mental_health", "crisis",
        "talk_to_human", "infant_feeding", "find_hub", "delete_my_data", "out_of_scope",
    }
)  # fmt: skip
CHOOSE_LANGUAGE = "choose_language"
# Telegram's command menu, typed as a message on any channel: what each command stands for.
TYPED_COMMANDS = {
    "help": HELP_PAYLOAD,
    "human": TALK_TO_HUMAN_PAYLOAD,
    "cancel": f"/{CANCEL}",
    "forget": "/delete_my_data",
    "language": f"/{CHOOSE_LANGUAGE}",
}
_PAYLOAD = re.compile(r"^/([A-Za-z_][A-Za-z0-9_]{0,63})(\{.*\})?$", re.DOTALL)
MAX_PAYLOAD_CHARS = 1000


@dataclass(frozen=True)
class Payload:
    """A parsed button payload."""

    intent: str
    entities: dict[str, str] = field(default_factory=dict)
    raw: str = ""


def parse(raw: str) -> Payload | None:
    """The payload's intent and entities, or None when it is not of the allowed form."""
    raw = raw.strip()
    if len(raw) > MAX_PAYLOAD_CHARS:
        return None
    match = _PAYLOAD.match(raw)
    if not match:
        return None
    entities: dict[str, str] = {}
    if match.group(2):
        try:
            loaded = json.loads(match.group(2))
        except ValueError:
            return None
        if not isinstance(loaded, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float | bool)
            for k, v in loaded.items()
        ):
            return None
        entities = {k: str(v) for k, v in loaded.items()}
    return Payload(match.group(1), entities, raw)


def read(raw: str, *, typed: bool, known: Callable[[str], bool]) -> Payload | None:
    """A button's payload or, typed, a command too ("/human" reads as /talk_to_human)."""
    parsed = parse(raw)
    if typed and not (parsed is not None and known(parsed.intent)):
        alias = typed_command(raw)
        parsed = parse(alias) if alias else parsed
    return parsed


def choose_language_payload(language: str) -> str:
    """The payload of a language button: `/choose_language{"language": "so"}`."""
    return f"/{CHOOSE_LANGUAGE}" + json.dumps({"language": language})


def chosen_language(payload: Payload) -> str | None:
    """The language a language button (or `/language so`) chose, or None."""
    chosen = payload.entities.get("language") if payload.intent == CHOOSE_LANGUAGE else None
    return chosen if chosen in LANGUAGES else None


def typed_command(text: str) -> str | None:
    """The payload a typed `/command` stands for ("/human" → "/talk_to_human"), or None.

    "/language so" picks Somali at once, as the Telegram command does.
    """
    words = text.strip().split()
    if not words or not words[0].startswith("/"):
        return None
    name = words[0][1:].split("@", 1)[0].lower()  # "/help@FamilyHubBot" in a Telegram group
    payload = TYPED_COMMANDS.get(name)
    chosen = words[1].lower() if len(words) > 1 else ""
    if payload == TYPED_COMMANDS["language"] and chosen in LANGUAGES:
        return choose_language_payload(chosen)
    return payload  # "/language" alone, or with an unknown code: the language buttons


def domain_intents(bot_dir: Path = BOT_DIR) -> frozenset[str]:
    """Intents declared in the Rasa domain (bot/domain.yml or bot/domain/*.yml), if present."""
    files = sorted((bot_dir / "domain").glob("*.yml")) + [bot_dir / "domain.yml"]
    found: set[str] = set()
    for path in files:
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        for intent in data.get("intents", []) or []:
            found.add(next(iter(intent)) if isinstance(intent, dict) else str(intent))
    return frozenset(found)


def known_intents() -> frozenset[str]:
    return CONTRACT_INTENTS | domain_intents()
