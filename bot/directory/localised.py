"""A text a parent reads, in English and, when translated, Somali and Turkish."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import LANGUAGES


@dataclass(frozen=True, slots=True)
class Text:
    """English (always), Somali and Turkish versions of one text."""

    en: str
    so: str | None = None
    tr: str | None = None

    def get(self, language: str | None = None) -> str:
        """The text in `language`, English when it is not translated."""
        if language == "so" and self.so:
            return self.so
        if language == "tr" and self.tr:
            return self.tr
        return self.en

    def has(self, language: str) -> bool:
        """Whether the text is written in `language`."""
        return bool(getattr(self, language, None)) if language in LANGUAGES else False

    def versions(self) -> tuple[str, ...]:
        """Every version that is written."""
        return tuple(t for t in (self.en, self.so, self.tr) if t)
