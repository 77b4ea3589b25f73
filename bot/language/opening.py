"""The language of a conversation that has not settled on one: each message decides by itself.

A new conversation starts in a default language (English, or Telegram's language_code), but
nobody chose it: a Somali parent on Telegram usually sends `en`, because Somali is not one of
Telegram's app languages. Until the parent writes something decisive or chooses a language,
the default has no weight: a message with any words in it is read on its own ("salaan walaal",
"merhaba"), and only a message with nothing to go on ("ok", "👍", "12:30") keeps the language
the conversation had.
"""

from __future__ import annotations

from bot.language.identify import detect

# A guess this unsure (three languages: a third is no information) keeps the language as it was.
# Tuned on tests/language/data/independent/dev: any guess with words behind it beats the default.
OPENING_CONFIDENCE = 0.4


def opening_language(neutral: str, was: str) -> tuple[str, bool]:
    """The language after a message in an unsettled conversation, and whether it settles it.

    `neutral` is the text normalised without a language; `was` is the conversation's language
    so far (the default, the Telegram hint, or the last message's guess). The message settles
    the conversation when it is decisive: enough words, and clearly in one language.
    """
    guess = detect(neutral)  # the text alone: neither the default nor the hint weighs on it
    if guess.confidence >= OPENING_CONFIDENCE:
        return guess.language, guess.decisive
    return was, False
