"""What a reviewer's text must keep from the English, checked before it goes into a catalog or
the directory: the placeholders, every helpline number, the glossary's terms, plain sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n.placeholders import names
from bot.translation.glossary import Glossary
from bot.translation.plainness import WORDS_PER_SENTENCE, Loanwords, longest_sentence

# A phone or text number: groups of three digits or more, one space apart ("116 123",
# "0808 2000 247", "85258", "999"). "7/24", "0-19" and "10:30" are not.
_NUMBER = re.compile(r"(?<![\d/])\d{3,}(?: \d{3,})*(?![\d/])")


def numbers(text: str) -> list[str]:
    """The phone and text numbers in a text, digits only, in order."""
    return [match.replace(" ", "") for match in _NUMBER.findall(text)]


@dataclass(frozen=True)
class Checker:
    """The checks of one language."""

    language: str
    glossary: Glossary
    loanwords: Loanwords

    def problems(self, english: str, text: str) -> list[str]:
        """Every reason `text` cannot stand for `english` (empty when it can)."""
        if not text.strip():
            return ["the text is empty"]
        found = []
        wanted, given = names(english), names(text)
        if wanted != given:
            found.append(
                "the words in curly braces must be exactly the English ones: "
                f"{_braces(wanted)} (this text has {_braces(given)})"
            )
        else:
            try:
                text.format(**dict.fromkeys(given, "x"))
            except (ValueError, KeyError, IndexError):
                found.append("a curly brace { or } is not closed; keep them as in the English")
        missing = [n for n in numbers(english) if n not in numbers(text)]
        extra = [n for n in numbers(text) if n not in numbers(english)]
        if missing:
            found.append(f"a helpline number is missing or changed: {', '.join(missing)}")
        if extra:
            found.append(f"a number is not in the English (a typing mistake?): {', '.join(extra)}")
        found += self.glossary.problems(english, text, self.language)
        longest = longest_sentence(text)
        if longest > WORDS_PER_SENTENCE:
            found.append(
                f"a sentence has {longest} words; at most {WORDS_PER_SENTENCE}: split it in two"
            )
        for hit in self.loanwords.found(text, self.language, self.glossary):
            found.append(f"a word many parents will not know: {hit}")
        return found


def _braces(found: set[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(found)) or "none"
