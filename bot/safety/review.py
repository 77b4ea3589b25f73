"""The clinical review register of the crisis phrase lists and crisis texts (review.yml).

It is kept apart from the translation review of the catalogs: a crisis text can be a good
Somali translation and still wait for a clinician, and the reverse. The safety case
(docs/safety-case.md) and the translation status report both read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

REGISTER_PATH = Path(__file__).with_name("review.yml")
STATUSES = ("draft", "in-review", "approved", "needs-work")
LANGUAGES = ("en", "so", "tr")


class ReviewRegisterError(ValueError):
    """review.yml is malformed."""


@dataclass(frozen=True)
class Review:
    """The clinical review of one item in one language."""

    status: str
    reviewer: str | None = None
    date: date | None = None
    note: str | None = None

    @property
    def approved(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True)
class Item:
    """A phrase list or a crisis text, with its review in each language."""

    id: str
    what: str
    reviews: dict[str, Review]


def _review(value: object, where: str) -> Review:
    if not isinstance(value, dict) or value.get("status") not in STATUSES:
        raise ReviewRegisterError(f"{where}: needs a status, one of {', '.join(STATUSES)}")
    when = value.get("date")
    if when is not None and not isinstance(when, date):
        raise ReviewRegisterError(f"{where}: date must be written YYYY-MM-DD")
    if value["status"] == "approved" and not (value.get("reviewer") and when):
        raise ReviewRegisterError(f"{where}: an approved item names its reviewer and date")
    return Review(value["status"], value.get("reviewer"), when, value.get("note"))


def load_register(path: Path = REGISTER_PATH) -> list[Item]:
    """Every item of the register, phrase lists first, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = []
    for section in ("phrase_lists", "crisis_texts"):
        for number, entry in enumerate(data.get(section) or [], 1):
            where = f"{path.name}: {section} #{number}"
            if not isinstance(entry, dict) or not entry.get("id") or not entry.get("what"):
                raise ReviewRegisterError(f"{where}: needs an id and a what")
            # A phrase list is in one language; a crisis text is reviewed in each of the three.
            languages = LANGUAGES if section == "crisis_texts" else (str(entry.get("language")),)
            if not set(languages) <= set(LANGUAGES):
                raise ReviewRegisterError(f"{where}: language must be one of {LANGUAGES}")
            reviews = {lang: _review(entry.get(lang), f"{where} ({lang})") for lang in languages}
            items.append(Item(str(entry["id"]), str(entry["what"]), reviews))
    ids = [item.id for item in items]
    if len(ids) != len(set(ids)):
        raise ReviewRegisterError(f"{path.name}: an id appears twice")
    return items


def share_approved(items: list[Item], language: str) -> float:
    """The share of a language's items that a clinician approved (0 to 1)."""
    found = [item.reviews[language] for item in items if language in item.reviews]
    return sum(review.approved for review in found) / len(found) if found else 0.0


def markdown_table(items: list[Item]) -> str:
    """The register as the table of docs/safety-case.md (`python -m bot.safety.review`)."""
    lines = ["| item | what | en | so | tr |", "|---|---|---|---|---|"]
    for item in items:
        cells = []
        for language in LANGUAGES:
            review = item.reviews.get(language)
            if review is None:
                cells.append("n/a")
                continue
            cell = review.status
            if review.reviewer:
                cell += f", {review.reviewer} {review.date}"
            if review.note:
                cell += f": {review.note}"
            cells.append(cell)
        what = item.what.replace("|", "\\|")
        lines.append(f"| `{item.id}` | {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table(load_register()))


__all__ = [
    "Item",
    "Review",
    "ReviewRegisterError",
    "load_register",
    "markdown_table",
    "share_approved",
]
