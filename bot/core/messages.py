"""What a parent sends, whichever the channel, and what is sent back."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

Channel = Literal["web", "telegram"]
# "media": a voice note, audio, photo, video note, video or document (passed to a mentor in a
# handoff, else answered "text only"); "unsupported": anything else that is not text.
InboundKind = Literal["text", "payload", "media", "unsupported"]
Sender = Literal["bot", "mentor", "system"]
MediaKind = Literal["voice", "audio", "photo", "video_note", "video", "document"]
# What the crisis screen cannot read: a mentor is told the parent's recording was not screened.
UNSCREENED_MEDIA: frozenset[str] = frozenset({"voice", "audio", "video_note", "video"})


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Media:
    """A parent's voice note, photo or file, by reference: never a copy we keep.

    From Telegram: the parent's chat and message, which the mentor's chat gets with
    copyMessage. From the web chat: the cleaned file itself (`data`, `mime_type`), kept in the
    database only until the mentor's Telegram has it.
    """

    kind: MediaKind
    from_chat_id: int | None = None
    message_id: int | None = None
    data: bytes | None = field(default=None, repr=False)
    mime_type: str | None = None
    # Once kept for delivery: its row in the database (bot.store.models.MediaFile).
    file_id: int | None = None

    @property
    def screened(self) -> bool:
        """False for what must be heard: the crisis screen reads only words."""
        return self.kind not in UNSCREENED_MEDIA

    def reference(self) -> dict[str, Any]:
        """Where to find it, as the outbox and the transcript keep it (never the bytes)."""
        found = {
            "kind": self.kind,
            "from_chat_id": self.from_chat_id,
            "message_id": self.message_id,
            "file_id": self.file_id,
            "mime_type": self.mime_type,
        }
        return {key: value for key, value in found.items() if value is not None}

    @classmethod
    def from_reference(cls, found: dict[str, Any]) -> Media:
        return cls(
            kind=found["kind"],
            from_chat_id=found.get("from_chat_id"),
            message_id=found.get("message_id"),
            mime_type=found.get("mime_type"),
            file_id=found.get("file_id"),
        )


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
    # With kind "media": what was sent (its caption, if any, is `text`).
    media: Media | None = None
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
    # A mentor's voice note or photo, which `text` (its caption, or empty) goes with.
    media: Media | None = None


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
