"""Text normalisation shared by the NLU, the safety screen, language detection and search."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u0060\u00b4\u2032\u02bb\uff07"})
_WHITESPACE = re.compile(r"\s+")
# Letters that do not decompose into a base letter plus a combining mark.
_FOLD_EXTRA = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d"}
)


def lower(text: str, language: str | None) -> str:
    """Lowercase, the Turkish way when the text is Turkish (I→ı), and İ→i always."""
    if language == "tr":
        text = text.replace("I", "ı")
    return text.replace("İ", "i").lower()


def normalise(text: str, language: str | None = None) -> str:
    """The form every parent message takes before NLU; the training data is written in it."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = _WHITESPACE.sub(" ", text).strip()
    return lower(text, language)


def fold(text: str, language: str | None = None) -> str:
    """A matching key: normalised, then stripped of diacritics (ş→s, ı→i, é→e …)."""
    decomposed = unicodedata.normalize("NFD", normalise(text, language))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_FOLD_EXTRA)
