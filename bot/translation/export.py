"""`familyhub i18n export`: the texts of one language, in a spreadsheet a reviewer can fill in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.translation import spreadsheet
from bot.translation.crisis_texts import ClinicalRegister
from bot.translation.entries import CATALOG, Entry, Sources, collect
from bot.translation.glossary import Glossary
from bot.translation.plainness import WORDS_PER_SENTENCE
from bot.translation.spreadsheet import Row, Sheet

# What `--status` may select: an entry's status starts with one of these.
STATUSES = ("machine-draft", "needs-work", "checked-by", "untranslated")


def row(entry: Entry, language: str, glossary: Glossary, register: ClinicalRegister) -> Row:
    """One entry as a spreadsheet row, with where it appears and the glossary terms it uses."""
    where = entry.where
    if entry.kind == CATALOG and (item := register.crisis_text(entry.english)) is not None:
        clinical = item.reviews.get(language)
        status = clinical.status if clinical else "draft"
        where = f"{where}; crisis reply, clinical review: {status}".lstrip("; ")
    terms = "\n".join(
        f"{term.term}: {term.translations[language].form}"
        for term in glossary.used_in(entry.english)
    )
    return Row(
        key=entry.key,
        english=entry.english,
        draft=entry.text,
        where=where,
        terms=terms,
        status=entry.status,
        fingerprint=entry.fingerprint,
    )


def export(
    language: str,
    sources: Sources,
    path: Path,
    register: ClinicalRegister,
    *,
    status: str | None = None,
    today: date | None = None,
) -> int:
    """Write the spreadsheet; returns how many texts it holds."""
    glossary = sources.glossary()
    entries = [
        e for e in collect(language, sources) if status is None or e.status.startswith(status)
    ]
    rows = [row(e, language, glossary, register) for e in entries]
    created = (today or date.today()).isoformat()
    glossary_rows = [
        (
            term.term,
            ", ".join(term.english.stems),
            term.translations[language].form,
            term.note,
            term.translations[language].review,
        )
        for term in glossary.terms
    ]
    sheet = Sheet(language, rows, created, status or "")
    spreadsheet.write(path, sheet, glossary_rows, WORDS_PER_SENTENCE)
    return len(rows)
