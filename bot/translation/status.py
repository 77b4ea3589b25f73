"""`familyhub i18n status`: per language, the share reviewed, kept apart for the catalogs, the
directory texts and the glossary (translation review by bilingual staff), and the crisis phrase
lists and crisis texts (clinical review, from bot/safety/review.yml)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import LANGUAGES
from bot.translation.crisis_texts import ClinicalRegister
from bot.translation.entries import CATALOG, DIRECTORY, Sources, collect

NAMES = {"en": "English", "so": "Somali", "tr": "Turkish"}


@dataclass(frozen=True)
class Share:
    """How many of a kind of text are reviewed (or approved), of how many."""

    what: str
    done: int
    total: int
    extra: str = ""

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0

    def line(self, verb: str) -> str:
        tail = f"  ({self.extra})" if self.extra else ""
        line = f"    {self.what:<24} {self.share:>4.0%} {verb:<9} {self.done:>4} of {self.total:<4}{tail}"
        return line.rstrip()


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    translation: list[Share]
    clinical: list[Share]


def _needs_work(statuses: list[str]) -> str:
    count = sum(s.startswith("needs-work") for s in statuses)
    return f"needs work: {count}" if count else ""


def language_status(language: str, sources: Sources, register: ClinicalRegister) -> LanguageStatus:
    translation: list[Share] = []
    if language != "en":
        entries = collect(language, sources)
        catalog = [e for e in entries if e.kind == CATALOG]
        directory = [e for e in entries if e.kind == DIRECTORY]
        untranslated = sum(e.status == "untranslated" for e in directory)
        crisis = [e for e in catalog if register.crisis_text(e.english) is not None]
        terms = [t.translations[language].review for t in sources.glossary().terms]
        extra = [_needs_work([e.status for e in directory])]
        if untranslated:
            extra.append(f"untranslated: {untranslated}")
        translation = [
            Share(
                "catalogs",
                sum(e.reviewed for e in catalog),
                len(catalog),
                _needs_work([e.status for e in catalog]),
            ),
            Share(
                "directory texts",
                sum(e.reviewed for e in directory),
                len(directory),
                ", ".join(x for x in extra if x),
            ),
            Share("glossary terms", sum(t.startswith("checked-by") for t in terms), len(terms)),
            Share("crisis texts", sum(e.reviewed for e in crisis), len(crisis)),
        ]
    clinical = []
    for what, items in (
        ("crisis phrase lists", register.phrase_lists),
        ("crisis texts", register.crisis_texts),
    ):
        share, count = register.approved(items, language)
        clinical.append(Share(what, round(share * count), count))
    return LanguageStatus(language, translation, clinical)


def report(sources: Sources, register: ClinicalRegister) -> str:
    """The status of every language, as plain text."""
    lines = []
    for language in LANGUAGES:
        found = language_status(language, sources, register)
        lines.append(f"{NAMES[language]} ({language})")
        if found.translation:
            lines.append("  translation review (bilingual staff; docs/translation.md)")
            lines += [share.line("reviewed") for share in found.translation]
        lines.append("  clinical review (clinicians; bot/safety/review.yml)")
        lines += [share.line("approved") for share in found.clinical]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
