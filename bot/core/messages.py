"""What a parent sends, whichever the channel, and what is sent back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Channel = Literal["web", "telegram"]
InboundKind = Literal["text", "payload", "unsupported"]
Sender = Literal["bot", "mentor", "system"]


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Inbound:
    """One message from a parent, already stripped of channel details."""

    channel: Channel
    conversation_id: str
    kind: InboundKind = "text"
    # What the parent wrote, which the crisis screen reads: a text, a media caption, or a
    # Telegram command's whole line (sent beside its payload).
    text: str = ""
    payload: str | None = None
    # e.g. Telegram's `language_code`, used only as a prior for a first message
    language_hint: str | None = None


@dataclass(frozen=True)
class Outbound:
    """One reply, rendered in the conversation's language."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    sender: Sender = "bot"
    # display name of a mentor, for messages relayed from a person
    sender_name: str | None = None
    urgent: bool = False


@dataclass
class Reply:
    """Everything the router decided for one inbound message."""

    language: str
    messages: list[Outbound] = field(default_factory=list)
