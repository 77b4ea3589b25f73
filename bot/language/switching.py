"""The conversation's language after a parent's message: a language the parent chooses switches
it at once; until the parent writes something decisive, each message decides by itself
(bot.language.opening); after that, the words switch it only on a clear guess, and once the
parent has chosen, only on a clear and confident one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import LANGUAGES
from bot.language.choice import explicit_choice
from bot.language.identify import detect
from bot.language.opening import opening_language

# A conversation whose language the parent chose switches only on a clear, confident guess.
LOCKED_SWITCH_CONFIDENCE = 0.9
# A short message this unlikely to be in the conversation's language is lowercased by its own
# best guess: "I NEED HELP" in a Turkish conversation is English ("i need help", not "ı need help").
OWN_LANGUAGE_BELOW = 0.5


@dataclass(frozen=True)
class LanguageChoice:
    """The conversation's language after one message, and the language the message is written in."""

    language: str
    # True once the parent chose the language (a button, "Soomaali", "/language tr").
    locked: bool
    # What Turkish-aware lowercasing uses (I→ı only for Turkish): the message's own language,
    # which may differ from the conversation's for a short message in another language.
    written_in: str
    # True once the parent wrote something decisive or chose: from then on the language sticks.
    settled: bool = True

    @classmethod
    def chosen(cls, language: str) -> LanguageChoice:
        """The language the parent picked (a button or command): switched to, and kept."""
        return cls(language, True, language, True)


def choose_language(
    language: str, locked: bool, neutral: str, hint: str | None, *, settled: bool = True
) -> LanguageChoice:
    """The language after a message of words: an explicit choice switches; a decisive guess may.

    `language`, `locked` and `settled` are the conversation's before the message. `neutral` is
    the text normalised without a language (`bot.text.normalise(text)`): normalising with the
    old language first would turn "I" into Turkish "ı". `hint` is Telegram's language_code.
    """
    chosen = explicit_choice(neutral)
    if chosen in LANGUAGES:
        return LanguageChoice.chosen(str(chosen))
    if not (settled or locked):
        found, decisive = opening_language(neutral, language)
        return LanguageChoice(found, False, found, decisive)
    guess = detect(neutral, current=language, hint=hint)
    if guess.decisive and guess.language in LANGUAGES:
        if not locked or guess.confidence >= LOCKED_SWITCH_CONFIDENCE:
            return LanguageChoice(guess.language, locked, guess.language, True)
        return LanguageChoice(language, locked, guess.language, True)
    # Not decisive: `confidence` is the probability of the conversation's language.
    written_in = language
    if guess.confidence < OWN_LANGUAGE_BELOW:
        own = detect(neutral, current=None, hint=None)
        written_in = own.language if own.language in LANGUAGES else language
    return LanguageChoice(language, locked, written_in, True)
