"""The review status of the directory's Somali and Turkish texts (locales/directory-review.yml).

Partners edit services_directory.yaml by hand, so the status is kept beside it, not in it: for
each text and language, who checked it and when, with the English and the translation as they
were then. A text whose English or translation has changed since is a draft again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

REVIEW_PATH = PROJECT_ROOT / "locales" / "directory-review.yml"
MACHINE_DRAFT = "machine-draft"
HEADER = """\
# The review status of the Somali and Turkish texts of services_directory.yaml, per language and
# text. Written by `familyhub i18n import` (docs/translation.md); do not edit by hand.
# A text whose English or translation changed after its review counts as a draft again.
"""


@dataclass(frozen=True)
class Reviewed:
    """One text's review in one language, with what it said then."""

    status: str
    english: str
    text: str
    note: str | None = None


class DirectoryReview:
    """Every review of a directory text, by language and key."""

    def __init__(self, path: Path = REVIEW_PATH) -> None:
        self.path = path
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        self.reviews: dict[str, dict[str, Reviewed]] = {}
        for language, entries in (data or {}).items():
            self.reviews[str(language)] = {
                str(key): Reviewed(
                    str(value["status"]),
                    str(value["english"]),
                    str(value["text"]),
                    value.get("note"),
                )
                for key, value in (entries or {}).items()
            }

    def status(self, language: str, key: str, english: str, text: str) -> str:
        """The status of a text as it is now: its review, unless it changed since."""
        found = self.reviews.get(language, {}).get(key)
        if found is None or found.english != english or found.text != text:
            return MACHINE_DRAFT
        return found.status

    def set(self, language: str, key: str, review: Reviewed) -> None:
        self.reviews.setdefault(language, {})[key] = review

    def save(self) -> None:
        data = {
            language: {
                key: {
                    "status": r.status,
                    "english": r.english,
                    "text": r.text,
                    **({"note": r.note} if r.note else {}),
                }
                for key, r in sorted(entries.items())
            }
            for language, entries in sorted(self.reviews.items())
        }
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)
        self.path.write_text(HEADER + "\n" + body, encoding="utf-8")
