"""The English responses of the Rasa domain files, reloaded when a file changes, and variation choice."""

from __future__ import annotations

import json
import logging
import threading
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger(__name__)

BOT_DIR = Path(__file__).resolve().parents[1]

Variation = dict[str, Any]

# Built from the services directory by the NLG endpoint; their domain texts are never shown.
SPECIAL_RESPONSES = frozenset(
    {"utter_service_card", "utter_hub_card", "utter_crisis", "utter_crisis_other"}
)


def domain_files(bot_dir: Path = BOT_DIR) -> list[Path]:
    """bot/domain/**/*.yml, and bot/domain.yml when there is one, in a stable order."""
    files = sorted((bot_dir / "domain").rglob("*.yml")) if (bot_dir / "domain").is_dir() else []
    single = bot_dir / "domain.yml"
    return [*files, single] if single.is_file() else files


def read_responses(files: list[Path]) -> dict[str, list[Variation]]:
    """Every `responses:` entry in the files; a broken file is logged and skipped."""
    found: dict[str, list[Variation]] = {}
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            log.error("cannot read responses from %s: %s", path, error)
            continue
        responses = data.get("responses") if isinstance(data, Mapping) else None
        if not isinstance(responses, Mapping):
            continue
        for name, variations in responses.items():
            if isinstance(variations, list):
                found[str(name)] = [dict(v) for v in variations if isinstance(v, Mapping)]
    return found


class ResponseBook:
    """The responses of the domain files, re-read when any file's modification time changes."""

    def __init__(self, bot_dir: Path = BOT_DIR) -> None:
        self.bot_dir = bot_dir
        self._lock = threading.Lock()
        self._signature: tuple[tuple[str, int], ...] | None = None
        self._responses: dict[str, list[Variation]] = {}

    def get(self, name: str) -> list[Variation] | None:
        """The variations of response `name`, or None when the domain has no such response."""
        files = domain_files(self.bot_dir)
        signature = tuple((str(p), _mtime(p)) for p in files)
        if signature != self._signature:
            with self._lock:
                if signature != self._signature:
                    self._responses = read_responses(files)
                    self._signature = signature
        return self._responses.get(name)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _condition_holds(condition: object, slots: Mapping[str, Any]) -> bool:
    """Whether every slot condition of a variation matches, as Rasa checks them."""
    if not isinstance(condition, list):
        return False
    for item in condition:
        if not isinstance(item, Mapping) or item.get("type", "slot") != "slot":
            return False
        if slots.get(str(item.get("name"))) != item.get("value"):
            return False
    return True


def choose_variation(
    name: str,
    variations: list[Variation],
    arguments: Mapping[str, Any],
    slots: Mapping[str, Any],
    channel: str | None = None,
) -> Variation | None:
    """One variation, chosen as Rasa does (conditions, channel) but deterministically."""
    usable = [v for v in variations if not v.get("channel") or v.get("channel") == channel]
    conditional = [
        v for v in usable if v.get("condition") and _condition_holds(v["condition"], slots)
    ]
    candidates = conditional or [v for v in usable if not v.get("condition")]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    # Same request, same text: a stable hash instead of random choice keeps replies reproducible.
    key = json.dumps([name, dict(arguments), dict(slots)], sort_keys=True, default=str)
    return candidates[zlib.crc32(key.encode("utf-8")) % len(candidates)]
