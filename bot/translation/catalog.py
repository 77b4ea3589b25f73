"""The Somali and Turkish .po catalogs as the review workflow reads and writes them.

Babel reads and writes them, with the settings `make i18n-update` uses, so a file saved here is
byte for byte what pybabel, Poedit and Weblate expect: only the `msgstr` and the translator
comments (`# review: ...`, `# note: ...`) of the entries that changed are different.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from bot.settings import PROJECT_ROOT

LOCALES_DIR = PROJECT_ROOT / "locales"
# The review status comment of an entry (docs/translation.md); exactly one per entry.
REVIEW_PREFIX = "review: "
NOTE_PREFIX = "note: "
MACHINE_DRAFT = "machine-draft"
# What `pybabel update` writes: keep it, so a saved file differs only where it changed.
WIDTH = 76


def po_path(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language / "LC_MESSAGES" / "messages.po"


class CatalogFile:
    """One language's .po file: its entries, their review status, and changes to both."""

    def __init__(self, language: str, path: Path | None = None) -> None:
        self.language = language
        self.path = path or po_path(language)
        with self.path.open("rb") as handle:
            self.catalog: Catalog = read_po(handle, locale=language)

    def entries(self) -> Iterator[Message]:
        """Every current entry (not the header, not the obsolete `#~` ones)."""
        return (message for message in self.catalog if message.id)

    def get(self, msgid: str) -> Message | None:
        found = self.catalog.get(msgid)
        return found if found is not None and found.id else None

    def set(self, msgid: str, text: str | None, status: str, note: str | None = None) -> None:
        """A new translation (None keeps the old one), its review status and a reviewer's note."""
        message = self.get(msgid)
        if message is None:
            raise KeyError(msgid)
        if text is not None:
            message.string = text
            message.flags.discard("fuzzy")
        kept = [
            comment
            for comment in message.user_comments
            if not comment.startswith((REVIEW_PREFIX, NOTE_PREFIX))
        ]
        message.user_comments = [f"{REVIEW_PREFIX}{status}", *kept]
        if note:
            message.user_comments.append(NOTE_PREFIX + " ".join(note.split()))

    def save(self) -> None:
        with self.path.open("wb") as handle:
            write_po(handle, self.catalog, width=WIDTH)


def status(message: Message) -> str:
    """An entry's review status: machine-draft, checked-by NAME DATE or needs-work NOTE."""
    for comment in message.user_comments:
        if comment.startswith(REVIEW_PREFIX):
            return comment[len(REVIEW_PREFIX) :].strip()
    return MACHINE_DRAFT


def text(message: Message) -> str:
    return message.string if isinstance(message.string, str) else ""


def msgid(message: Message) -> str:
    return message.id if isinstance(message.id, str) else str(message.id[0])


_RESPONSE = re.compile(r"^response: (\S+?)(, button)?$")


@cache
def sources(root: Path = PROJECT_ROOT) -> dict[str, tuple[str, ...]]:
    """Each msgid's Python source files, extracted as `make i18n-extract` does (babel.cfg)."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(["translate:2", "N_"])}
    found: dict[str, set[str]] = {}
    for filename, _, message, _, _ in extract_from_dir(
        str(root), method_map, options_map, keywords=keywords
    ):
        key = message if isinstance(message, str) else message[0]
        if filename.endswith(".py"):
            found.setdefault(key, set()).add(filename)
    return {key: tuple(sorted(files)) for key, files in found.items()}


def where(message: Message) -> str:
    """Where a parent or mentor sees the text: the responses and buttons, or the source files."""
    places = []
    for comment in message.auto_comments:
        matched = _RESPONSE.match(comment)
        if matched:
            places.append(f"reply {matched.group(1)}" + (" (button)" if matched.group(2) else ""))
    places += sources().get(msgid(message), ())
    return "; ".join(places)
