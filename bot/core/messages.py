"""What a parent sends, whichever the channel, and what is sent back."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
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
    # The web client's address key (an IPv4 address or an IPv6 /64), for the budget all of a
    # client's sessions share; None on Telegram.
    client: str | None = None

    @property
    def typed(self) -> str:
        """The message as it came: a button's payload, or the text (for Telegram media, the caption)."""
        raw = self.payload if self.kind == "payload" else self.text
        return (raw or "").strip()

    @property
    def words(self) -> str:
        """Every word the parent sent, which the crisis screen reads.

        A text or a caption; a Telegram command's whole line with its arguments ("/human i want
        to die"), which the channel sends as `text` beside the command's payload; else a
        button's payload.
        """
        return (self.text or "").strip() or (self.payload or "").strip()


@dataclass(frozen=True)
class Outbound:
    """One reply, rendered in the conversation's language."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    sender: Sender = "bot"
    # display name of a mentor, for messages relayed from a person
    sender_name: str | None = None
    urgent: bool = False


class Refusal(StrEnum):
    """Why a message was refused before anything else; a crisis message never is."""

    TOO_LONG = "too_long"
    TOO_FAST = "too_fast"
    # not text, empty, or a command or button that is not ours
    UNREADABLE = "unreadable"


@dataclass
class Reply:
    """The answer to one parent message: the one result of a turn, whatever the channel."""

    language: str
    messages: list[Outbound] = field(default_factory=list)
    # Set when the message was refused; `messages` then says why, in the parent's language.
    refused: Refusal | None = None
    # With a refusal for sending too fast: how many seconds to wait.
    retry_after: int | None = None
    # The ids of what was stored: the parent's message first (when stored), then the replies.
    message_ids: list[int] = field(default_factory=list)
    # True when the turn erased everything about the parent (they confirmed delete_my_data).
    erased: bool = False
