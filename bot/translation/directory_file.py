"""The parent-facing texts of services_directory.yaml, read and changed in place.

ruamel.yaml reads the file as partners wrote it and writes it back byte for byte, except the
texts that changed: comments, order, quotes and line layout all stay. Each text has a key that
names where it is ("services/hub-northside/description", "locations/hub-central/directions",
"services/stay-and-play-northside/schedule/2/note") and survives edits elsewhere in the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import ScalarString

from bot.core import LANGUAGES
from bot.directory.schema import LOCATION_TEXT_FIELDS, SERVICE_TEXT_FIELDS


def _yaml() -> YAML:
    # The layout of services_directory.yaml: mappings by 2, "- " list items indented by 2,
    # long texts never folded over lines.
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def plain(value: object) -> str:
    """A text as the service reads it: whitespace runs folded to one space."""
    return " ".join(str(value).split()) if value is not None else ""


@dataclass(frozen=True)
class DirectoryText:
    """One parent-facing text of the directory, in every language it is written in."""

    key: str
    where: str
    versions: CommentedMap

    def get(self, language: str) -> str:
        return plain(self.versions.get(language))


class DirectoryFile:
    """services_directory.yaml, with its texts by key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: Any = _yaml().load(path.read_text(encoding="utf-8"))

    def texts(self) -> Iterator[DirectoryText]:
        """Every parent-facing text with an English version, in file order."""
        for section, fields, label in (
            ("locations", LOCATION_TEXT_FIELDS, "location"),
            ("services", SERVICE_TEXT_FIELDS, "service"),
        ):
            for entry in self.data.get(section) or []:
                if not isinstance(entry, dict) or not entry.get("id"):
                    continue
                ident = entry["id"]
                for name in fields:
                    yield from self._text(
                        entry.get(name), f"{section}/{ident}/{name}", f"{label} {ident}: {name}"
                    )
                schedule = entry.get("schedule")
                for number, session in enumerate(schedule if isinstance(schedule, list) else [], 1):
                    if isinstance(session, dict):
                        yield from self._text(
                            session.get("note"),
                            f"{section}/{ident}/schedule/{number}/note",
                            f"{label} {ident}: note of session {number}",
                        )

    @staticmethod
    def _text(value: object, key: str, where: str) -> Iterator[DirectoryText]:
        if isinstance(value, CommentedMap) and plain(value.get("en")):
            yield DirectoryText(key, where, value)

    def get(self, key: str) -> DirectoryText | None:
        return next((text for text in self.texts() if text.key == key), None)

    def set(self, key: str, language: str, text: str) -> None:
        """Write one language's version of a text, in the style of the one it replaces."""
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        versions = found.versions
        # Quoted like the version it replaces, or like the English one.
        model = versions.get(language, versions.get("en"))
        new: str = type(model)(text) if isinstance(model, ScalarString) else text
        if language in versions:
            versions[language] = new
            return
        # A new version goes in language order: en, so, tr.
        later = [code for code in LANGUAGES[LANGUAGES.index(language) + 1 :] if code in versions]
        position = list(versions).index(later[0]) if later else len(versions)
        versions.insert(position, language, new)

    def dumps(self) -> str:
        out = io.StringIO()
        _yaml().dump(self.data, out)
        return out.getvalue()

    def save(self) -> None:
        self.path.write_text(self.dumps(), encoding="utf-8")
