"""The domain the actions rely on: every response they send exists, and every button payload is allowed."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import yaml

from bot.gateway.payloads import parse
from bot.settings import BOT_DIR

DOMAIN = BOT_DIR / "domain"
ACTIONS = BOT_DIR / "actions"


def domain() -> dict[str, Any]:
    merged: dict[str, Any] = {"intents": [], "responses": {}, "entities": []}
    for path in sorted(DOMAIN.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["intents"] += data.get("intents") or []
        merged["entities"] += data.get("entities") or []
        merged["responses"].update(data.get("responses") or {})
    return merged


def responses_sent_by_actions() -> set[str]:
    """Every response="utter_…" literal in bot/actions."""
    found: set[str] = set()
    for path in ACTIONS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"utter_\w+", node.value)
            ):
                found.add(node.value)
    return found


def test_every_response_an_action_sends_is_in_the_domain() -> None:
    missing = responses_sent_by_actions() - set(domain()["responses"])
    assert not missing


def test_every_button_payload_is_an_allowed_intent_payload() -> None:
    data = domain()
    intents = set(data["intents"])
    for name, variations in data["responses"].items():
        for variation in variations:
            for button in variation.get("buttons") or []:
                if button["payload"] == "{payload}":
                    continue  # filled by the action (utter_more_services)
                parsed = parse(button["payload"])
                assert parsed is not None, (name, button)
                assert parsed.intent in intents, (name, button)
                assert set(parsed.entities) <= set(data["entities"]), (name, button)


def test_the_greeting_says_it_is_automated_and_offers_every_path() -> None:
    greet = domain()["responses"]["utter_greet"][0]
    assert "automated assistant" in greet["text"]
    payloads = {b["payload"] for b in greet["buttons"]}
    assert payloads == {
        "/find_groups", "/find_mentor", "/mental_health", "/infant_feeding",
        "/find_hub", "/talk_to_human", "/choose_language",
    }  # fmt: skip


def test_more_payloads_use_only_domain_entities() -> None:
    from bot.actions.cards import payload

    built = parse(payload("find_groups", {"group_type": "baby_massage", "day": ""}, 2))
    assert built is not None
    assert built.entities == {"group_type": "baby_massage", "page": "2"}
    assert set(built.entities) <= set(domain()["entities"])


def test_domain_files_are_flat() -> None:
    # The gateway's payload check reads bot/domain/*.yml only (no sub-folders).
    assert not [p for p in DOMAIN.rglob("*.yml") if p.parent != Path(DOMAIN)]
