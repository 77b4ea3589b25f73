"""Every Somali or Turkish text a reviewer checks: catalog entries and directory texts alike."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.translation import catalog
from bot.translation.catalog import CatalogFile
from bot.translation.directory_file import DirectoryFile
from bot.translation.directory_review import DirectoryReview
from bot.translation.glossary import Glossary, load_glossary
from bot.translation.plainness import Loanwords

CATALOG = "catalog"
DIRECTORY = "directory"


@dataclass(frozen=True)
class Entry:
    """One text to review in one language, as it is now."""

    key: str
    kind: str
    where: str
    english: str
    text: str
    status: str

    @property
    def reviewed(self) -> bool:
        return self.status.startswith("checked-by ")

    @property
    def fingerprint(self) -> str:
        """What the English and the translation were, apart: a later change to either shows."""
        return f"{fingerprint(self.english, '')}:{fingerprint('', self.text)}"

    @property
    def ident(self) -> str:
        """The catalog's msgid, or the directory text's key."""
        return self.english if self.kind == CATALOG else self.key.split(":", 1)[1]


def fingerprint(english: str, text: str) -> str:
    return hashlib.sha256(f"{english}\0{text}".encode()).hexdigest()[:16]


def catalog_key(msgid: str) -> str:
    return f"{CATALOG}:{hashlib.sha256(msgid.encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class Sources:
    """Where the texts live: locales/ (the catalogs, the glossary, the loanwords to avoid and
    the directory texts' review record) and the services directory."""

    locales_dir: Path = catalog.LOCALES_DIR
    directory: Path | None = None

    def catalog(self, language: str) -> CatalogFile:
        return CatalogFile(language, catalog.po_path(language, self.locales_dir))

    def directory_file(self) -> DirectoryFile | None:
        return DirectoryFile(self.directory) if self.directory is not None else None

    def review(self) -> DirectoryReview:
        return DirectoryReview(self.locales_dir / "directory-review.yml")

    def glossary(self) -> Glossary:
        return load_glossary(self.locales_dir / "glossary.yml")

    def loanwords(self) -> Loanwords:
        return Loanwords(self.locales_dir / "loanwords-to-avoid.yml")


def catalog_entries(po: CatalogFile) -> list[Entry]:
    return [
        Entry(
            catalog_key(catalog.msgid(m)),
            CATALOG,
            catalog.where(m),
            catalog.msgid(m),
            catalog.text(m),
            catalog.status(m),
        )
        for m in po.entries()
    ]


def directory_entries(
    directory: DirectoryFile, review: DirectoryReview, language: str
) -> list[Entry]:
    found = []
    for item in directory.texts():
        english, text = item.get("en"), item.get(language)
        status = review.status(language, item.key, english, text) if text else "untranslated"
        found.append(Entry(f"{DIRECTORY}:{item.key}", DIRECTORY, item.where, english, text, status))
    return found


def collect(language: str, sources: Sources) -> list[Entry]:
    """Every catalog entry, then every directory text, in file order."""
    found = catalog_entries(sources.catalog(language))
    directory = sources.directory_file()
    if directory is not None:
        found += directory_entries(directory, sources.review(), language)
    return found
