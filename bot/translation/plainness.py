"""Plain language, measured: words per sentence, and loanwords a reader may not know.

Parents (and many mentors) read in a second language, on a phone, tired; some have had little
schooling. Short sentences and everyday words help them most. The cap and the loanwords to
avoid (locales/loanwords-to-avoid.yml) are checked by tests/translation/test_plain_language.py
and by `familyhub i18n import`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT
from bot.text import fold
from bot.translation.glossary import Forms, Glossary

WORDS_PER_SENTENCE = 20
LOANWORDS_PATH = PROJECT_ROOT / "locales" / "loanwords-to-avoid.yml"
# A sentence ends at . ! ? or … followed by a space or the end, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
# A word has a letter or a digit; "–", "·" and emoji are not words. {placeholder} is one word.
_WORD = re.compile(r"\S*[^\W_]\S*")
# English kept in brackets after a translation, "(health visitor)": the way to keep a name.
_BRACKETS = re.compile(r"\([^()]*\)")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def longest_sentence(text: str) -> int:
    """The number of words in the text's longest sentence (0 for a text with none)."""
    return max((len(words(s)) for s in sentences(text)), default=0)


@dataclass(frozen=True)
class Loanword:
    """An English word to avoid in one language, and what to write instead."""

    forms: Forms
    instead: str


class Loanwords:
    """The loanwords to avoid, per language (locales/loanwords-to-avoid.yml)."""

    def __init__(self, path: Path = LOANWORDS_PATH) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        self.by_language: dict[str, list[Loanword]] = {}
        for language, entries in data.items():
            self.by_language[str(language)] = [
                Loanword(
                    Forms(str(e["stems"][0]), tuple(e["stems"]), tuple(e.get("endings", [""]))),
                    str(e["instead"]),
                )
                for e in entries or []
            ]

    def found(self, text: str, language: str, glossary: Glossary) -> list[str]:
        """The loanwords to avoid in a text, outside brackets, that the glossary does not allow."""
        outside = _BRACKETS.sub(" ", fold(text))
        hits = []
        for loanword in self.by_language.get(language, []):
            for match in loanword.forms.pattern.finditer(outside):
                if not glossary.allows(match.group(0), language):
                    hits.append(f"{match.group(0)} (instead: {loanword.instead})")
        return hits
