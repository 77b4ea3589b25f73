"""Which catalog texts are crisis texts, and their clinical review, from the register that the
safety net's owner keeps (bot/safety/review.yml, read only through bot/safety/review.py).

The clinical review is kept apart from the translation review: a good Somali translation of a
crisis text may still wait for a clinician, and a reviewer's correction means a clinician has to
look again.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety.review import Item, load_register, share_approved


@dataclass(frozen=True)
class ClinicalRegister:
    """The register's phrase lists and crisis texts, apart."""

    phrase_lists: list[Item]
    crisis_texts: list[Item]

    def crisis_text(self, msgid: str) -> Item | None:
        return next((item for item in self.crisis_texts if item.what == msgid), None)

    def approved(self, items: list[Item], language: str) -> tuple[float, int]:
        """The share a clinician approved in `language`, and how many items there are."""
        count = sum(1 for item in items if language in item.reviews)
        return share_approved(items, language), count


def clinical_register() -> ClinicalRegister:
    items = load_register()
    # A phrase list is reviewed in its one language, a crisis text in each (bot/safety/review.py).
    return ClinicalRegister(
        [item for item in items if len(item.reviews) == 1],
        [item for item in items if len(item.reviews) > 1],
    )
