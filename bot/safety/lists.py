"""The crisis phrase lists: YAML files under bot/safety/phrases/, one per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core import CRISIS_KINDS

# libyaml's C loader when installed: the lists are large, and load at every start.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PHRASES_DIR = Path(__file__).with_name("phrases")


class PhraseListError(ValueError):
    """A phrase list file is malformed."""


@dataclass(frozen=True)
class PhraseList:
    """The crisis phrases of one language, by kind, and its everyday guard phrases."""

    language: str
    phrases: dict[str, list[str]]
    guards: list[str]


def _strings(value: object, where: str) -> list[str]:
    """A YAML list of non-empty strings, or an error naming where it was."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PhraseListError(f"{where} must be a list of phrases")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            hint = " (put quotes around a phrase that is only a number)" if item else ""
            raise PhraseListError(f"{where} must be a list of phrases, not {item!r}{hint}")
    return [v.strip() for v in value]


def load_list(path: Path) -> PhraseList:
    """Read and check one phrase list file."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (safe)
    if not isinstance(data, dict) or not isinstance(data.get("language"), str):
        raise PhraseListError(f"{path}: needs a 'language' and 'kinds'")
    kinds = data.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise PhraseListError(f"{path}: 'kinds' must map a kind to its phrases")
    unknown = set(kinds) - set(CRISIS_KINDS)
    if unknown:
        raise PhraseListError(f"{path}: unknown kinds {sorted(unknown)}; use {CRISIS_KINDS}")
    phrases = {kind: _strings(kinds.get(kind), f"{path}: {kind}") for kind in CRISIS_KINDS}
    return PhraseList(data["language"], phrases, _strings(data.get("guards"), f"{path}: guards"))


def load_lists(directory: Path = PHRASES_DIR) -> list[PhraseList]:
    """Every phrase list in the directory, in file name order."""
    return [load_list(path) for path in sorted(directory.glob("*.yml"))]
