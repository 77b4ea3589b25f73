"""How the router reads a parent's message: the words it screens, and the language it is in."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import LANGUAGES, Inbound
from bot.gateway import hooks
from bot.gateway.payloads import Payload
from bot.text import normalise

# A conversation whose language the parent chose switches only on a clear, confident guess.
LOCKED_SWITCH_CONFIDENCE = 0.9
# A short message this unlikely to be in the conversation's language is lowercased by its own
# best guess: "I NEED HELP" in a Turkish conversation is English ("i need help", not "ı need help").
OWN_LANGUAGE_BELOW = 0.5


def typed_text(inbound: Inbound) -> str:
    """The message as it came: a payload, or the text (for Telegram media, the caption)."""
    raw = inbound.payload if inbound.kind == "payload" else inbound.text
    return (raw or "").strip()


def screened_text(inbound: Inbound) -> str:
    """Every word the parent sent, for the crisis screen.

    A text or a caption; a Telegram command's whole line with its arguments ("/human i want to
    die"), which the channel sends as `text` beside the command's payload; else a button's payload.
    """
    return (inbound.text or "").strip() or (inbound.payload or "").strip()


@dataclass(frozen=True)
class LanguageChoice:
    """The conversation's language after one message, and the language the message is written in."""

    language: str
    locked: bool
    # What Turkish-aware lowercasing uses (I→ı only for Turkish): the message's own language,
    # which may differ from the conversation's for a short message in another language.
    written_in: str


def choose_language(
    language: str, locked: bool, parsed: Payload | None, neutral: str, hint: str | None
) -> LanguageChoice:
    """A language button or an explicit choice switches; otherwise a decisive guess may.

    `neutral` is the text normalised without a language (bot.language expects that form:
    normalising with the old language first would turn "I" into Turkish "ı").
    """
    if parsed is not None:
        chosen = parsed.entities.get("language") if parsed.intent == "choose_language" else None
        if chosen in LANGUAGES:
            return LanguageChoice(str(chosen), True, str(chosen))
        return LanguageChoice(language, locked, language)
    chosen = hooks.explicit_choice(neutral)
    if chosen in LANGUAGES:
        return LanguageChoice(str(chosen), True, str(chosen))
    guess = hooks.detect(neutral, current=language, hint=hint)
    if guess.decisive and guess.language in LANGUAGES:
        if not locked or guess.confidence >= LOCKED_SWITCH_CONFIDENCE:
            return LanguageChoice(guess.language, locked, guess.language)
        return LanguageChoice(language, locked, guess.language)
    # Not decisive: `confidence` is the probability of the conversation's language.
    written_in = language
    if guess.confidence < OWN_LANGUAGE_BELOW:
        own = hooks.detect(neutral, current=None, hint=None)
        written_in = own.language if own.language in LANGUAGES else language
    return LanguageChoice(language, locked, written_in)


def rasa_text(raw: str, written_in: str) -> str:
    """The text Rasa reads: normalised, lowercased the way of the language it is written in."""
    return normalise(raw, written_in)
