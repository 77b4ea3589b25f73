"""The names every layer shares, each with this one owner: import them, never copy them."""

from __future__ import annotations

from enum import StrEnum

# The parents' languages (ISO 639-1). English is the fallback for any text not yet translated.
LANGUAGES: tuple[str, ...] = ("en", "so", "tr")
DEFAULT_LANGUAGE = "en"
# Each language's name written in that language (language buttons and menus): never translated.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "so": "Soomaali", "tr": "Türkçe"}


class CrisisKind(StrEnum):
    """The kinds of crisis the safety screen tells apart.

    A new kind is one line here: the phrase lists (bot/safety), the directory's crisis lines
    and the crisis reply (bot/i18n/crisis.py) all take their kinds from this list.
    """

    SUICIDE_SELF_HARM = "suicide_self_harm"
    HARM_TO_BABY = "harm_to_baby"
    DOMESTIC_ABUSE = "domestic_abuse"
    MEDICAL_EMERGENCY = "medical_emergency"
    POSTPARTUM_PSYCHOSIS = "postpartum_psychosis"


# The kinds as plain strings, in the screen's order of precedence.
CRISIS_KINDS: tuple[str, ...] = tuple(kind.value for kind in CrisisKind)


class HandoffState(StrEnum):
    """A parent's request for a person: queued → active → ended, or queued → cancelled.

    An active handoff whose mentor left goes back to queued.
    """

    QUEUED = "queued"
    ACTIVE = "active"
    ENDED = "ended"
    CANCELLED = "cancelled"


# A conversation has at most one open handoff (the database enforces it).
OPEN_HANDOFF_STATES = (HandoffState.QUEUED, HandoffState.ACTIVE)


class MentorStatus(StrEnum):
    """A mentor account: invited → active ⇄ paused, and removed for good."""

    INVITED = "invited"
    ACTIVE = "active"
    PAUSED = "paused"
    REMOVED = "removed"


# Mentors who may use the mentor commands and keep their conversations (paused: no new alerts).
REGISTERED_MENTOR_STATUSES = (MentorStatus.ACTIVE, MentorStatus.PAUSED)


class Directive(StrEnum):
    """What an action asks the gateway to do, in a `custom` message never shown to the parent.

    The action sends `{"directive": name, ...}` (docs/internals.md#directives-from-rasa-to-the-gateway).
    """

    HANDOFF = "handoff"  # with "topic" and "urgent": the parent asked for, or needs, a person
    ERASE = "erase"  # the parent confirmed delete_my_data
    LANGUAGE = "language"  # with "language": the parent chose a language


# Payloads of buttons and commands the gateway sends itself (Rasa intents, as `/intent`).
HELP_PAYLOAD = "/help"
TALK_TO_HUMAN_PAYLOAD = "/talk_to_human"
CRISIS_INTENT = "crisis"  # the NLU's crisis intent, and the "No, I am not safe" buttons' payload


class SafetyCheck(StrEnum):
    """The gateway's verdict on a message, sent to Rasa in the message's metadata under
    SAFETY_METADATA: whom the NLU's crisis intent may ask "are you safe?" about, or nobody."""

    SELF = "self"  # ask the parent
    OTHER = "other"  # the parent writes about someone else: ask about them
    NONE = "none"  # the learned detector calls the message everyday: ask to rephrase instead


SAFETY_METADATA = "safety"  # {"safety": {"check": SafetyCheck}} in a message's metadata
