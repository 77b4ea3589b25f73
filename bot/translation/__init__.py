"""Somali and Turkish that families trust: the glossary, the plain-language measure, and the
review workflow that partner organisations' bilingual staff use (docs/translation.md)."""

from bot.translation.checks import Checker
from bot.translation.corrections import Outcome, import_sheet
from bot.translation.crisis_texts import ClinicalRegister, clinical_register
from bot.translation.entries import Entry, Sources, collect
from bot.translation.export import export
from bot.translation.glossary import Glossary, GlossaryError, Term, load_glossary
from bot.translation.plainness import WORDS_PER_SENTENCE, Loanwords, longest_sentence
from bot.translation.spreadsheet import NotAReviewSheet, read
from bot.translation.status import report

__all__ = [
    "WORDS_PER_SENTENCE",
    "Checker",
    "ClinicalRegister",
    "Entry",
    "Glossary",
    "GlossaryError",
    "Loanwords",
    "NotAReviewSheet",
    "Outcome",
    "Sources",
    "Term",
    "clinical_register",
    "collect",
    "export",
    "import_sheet",
    "load_glossary",
    "longest_sentence",
    "read",
    "report",
]
