"""Language identification for English, Somali and Turkish messages, and the conversation's
language after each one."""

from bot.language.choice import explicit_choice
from bot.language.identify import Detection, Identifier, detect, identifier
from bot.language.switching import LanguageChoice, choose_language

__all__ = [
    "Detection",
    "Identifier",
    "LanguageChoice",
    "choose_language",
    "detect",
    "explicit_choice",
    "identifier",
]
