"""Language identification for English, Somali and Turkish messages."""

from __future__ import annotations

from functools import cache

from bot.language.choice import explicit_choice
from bot.language.identify import Detection, Identifier
from bot.language.lexicon import default_lexicon, default_loanwords

__all__ = ["Detection", "Identifier", "detect", "explicit_choice", "identifier"]


@cache
def identifier() -> Identifier:
    """The process-wide identifier, built on first use (word lists and NLU data read once)."""
    return Identifier(default_lexicon(), default_loanwords())


def detect(text: str, *, current: str | None = None, hint: str | None = None) -> Detection:
    """Detect a message's language; short or unclear messages never override `current`.

    `current` is the conversation's language; `hint` is Telegram's language_code, used as a
    prior for a first message (ignored once the conversation has a language).
    """
    return identifier().detect(text, current=current, hint=hint)
