"""The bottom layer: plain types and names that every layer shares, importing nothing of ours.

- `bot.core.messages`: what a parent sends and what is sent back (Inbound, Outbound, Reply).
- `bot.core.vocabulary`: languages, crisis kinds, handoff and mentor states, directive names
  and the payloads the gateway itself sends.
"""

from bot.core.messages import (
    UNSCREENED_MEDIA,
    Button,
    Channel,
    Inbound,
    InboundKind,
    Media,
    MediaKind,
    Outbound,
    Refusal,
    Reply,
    Sender,
)
from bot.core.vocabulary import (
    CRISIS_INTENT,
    CRISIS_KINDS,
    DEFAULT_LANGUAGE,
    HELP_PAYLOAD,
    LANGUAGE_NAMES,
    LANGUAGES,
    OPEN_HANDOFF_STATES,
    REGISTERED_MENTOR_STATUSES,
    SAFETY_METADATA,
    TALK_TO_HUMAN_PAYLOAD,
    CrisisKind,
    Directive,
    HandoffState,
    MentorStatus,
    SafetyCheck,
)

__all__ = [
    "CRISIS_INTENT",
    "CRISIS_KINDS",
    "DEFAULT_LANGUAGE",
    "HELP_PAYLOAD",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "OPEN_HANDOFF_STATES",
    "REGISTERED_MENTOR_STATUSES",
    "SAFETY_METADATA",
    "TALK_TO_HUMAN_PAYLOAD",
    "UNSCREENED_MEDIA",
    "Button",
    "Channel",
    "CrisisKind",
    "Directive",
    "HandoffState",
    "Inbound",
    "InboundKind",
    "Media",
    "MediaKind",
    "MentorStatus",
    "SafetyCheck",
    "Outbound",
    "Refusal",
    "Reply",
    "Sender",
]
