"""Somali and Turkish that families trust: the glossary, the plain-language measure, and the
review workflow that partner organisations' bilingual staff use (docs/translation.md)."""

from bot.translation.entries import Entry, Sources, collect
from bot.translation.glossary import Glossary, GlossaryError, Term, load_glossary
from bot.translation.plainness import WORDS_PER_SENTENCE, Loanwords, longest_sentence

__all__ = [
    "WORDS_PER_SENTENCE",
    "Entry",
    "Glossary",
    "GlossaryError",
    "Loanwords",
    "Sources",
    "Term",
    "collect",
    "load_glossary",
    "longest_sentence",
]
