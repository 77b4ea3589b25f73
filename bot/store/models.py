"""The tables: conversations and their messages, mentors, handoffs, the outbox, voice notes and
photos on their way, the daily counts the reports are built from, and the staff who read them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.core import OPEN_HANDOFF_STATES, HandoffState, MentorStatus


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use bot.store.models.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON}


class Conversation(Base):
    """One parent on one channel. Its id is also the Rasa sender id."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(16))  # "web" | "telegram"
    # Keyed hash of the channel's own id (Telegram chat id, web session id): lets us find the
    # conversation again without storing the raw id where it is not needed.
    external_id_hash: Mapped[str] = mapped_column(String(64))
    # Needed to send a Telegram parent a reply; kept only for that channel.
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    token_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    language: Mapped[str] = mapped_column(String(2), default="en")
    language_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether the parent wrote something decisive or chose a language: until then the language
    # is a default or a guess, and each message decides by itself (bot/language/opening.py).
    language_settled: Mapped[bool] = mapped_column(Boolean, default=False)
    rasa_language: Mapped[str | None] = mapped_column(String(2), default=None)
    notice_shown_at: Mapped[datetime | None] = mapped_column(default=None)
    consent_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", passive_deletes=True
    )
    handoffs: Mapped[list[Handoff]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("channel", "external_id_hash", name="uq_conversation_external"),
    )


class Message(Base):
    """A message in a transcript. Its id doubles as the web chat's server-push event id."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    sender: Mapped[str] = mapped_column(String(8))  # "parent" | "bot" | "mentor" | "system"
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, default=None)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    language: Mapped[str | None] = mapped_column(String(2), default=None)
    intent: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Mentor(Base):
    """A member of a community partner's staff who takes over conversations on Telegram."""

    __tablename__ = "mentors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200))
    languages: Mapped[str] = mapped_column(String(32))  # comma-separated ISO codes
    status: Mapped[str] = mapped_column(String(16), default=MentorStatus.INVITED)  # MentorStatus
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True, default=None)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    invite_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    invite_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Handoff(Base):
    """A parent's request for a person, from queued to ended."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), default=HandoffState.QUEUED)  # HandoffState
    language: Mapped[str] = mapped_column(String(2))
    topic: Mapped[str | None] = mapped_column(String(64), default=None)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # The parent's answer to "share our recent messages?": None until they answer.
    share_transcript: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # The last messages before the request ({"sender", "text"}), taken when it was queued and
    # shown only to the mentor who accepts, only with consent; cleared when the handoff closes.
    summary: Mapped[list[dict[str, str]] | None] = mapped_column(
        JSON(none_as_null=True), default=None
    )
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentors.id", ondelete="SET NULL"), default=None
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    alerted_at: Mapped[datetime | None] = mapped_column(default=None)
    # A crisis: its kind (CrisisKind) and whether the parent wrote about someone else, for the
    # mentors' alert. One crisis is one request: later crisis messages add at most one update.
    crisis_kind: Mapped[str | None] = mapped_column(String(32), default=None)
    about_other: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_update_at: Mapped[datetime | None] = mapped_column(default=None)
    # Too many requests from one conversation in a day: queued without pushing alerts.
    alerts_capped: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last message either side wrote while active: the idle timeout counts from it.
    last_activity_at: Mapped[datetime | None] = mapped_column(default=None)
    end_reason: Mapped[str | None] = mapped_column(
        String(16), default=None
    )  # mentor|parent|idle|erased
    feedback: Mapped[str | None] = mapped_column(String(16), default=None)

    conversation: Mapped[Conversation] = relationship(back_populates="handoffs")
    mentor: Mapped[Mentor | None] = relationship()

    __table_args__ = (
        # At most one open handoff per conversation, enforced by the database.
        Index(
            "uq_handoff_open",
            "conversation_id",
            unique=True,
            sqlite_where=state.in_(OPEN_HANDOFF_STATES),
            postgresql_where=state.in_(OPEN_HANDOFF_STATES),
        ),
    )


class HandoffAlert(Base):
    """One alert to one mentor: it lets that mentor accept the request while it stands (until
    retired), and it is how the alert message is edited to 'taken by …' later."""

    __tablename__ = "handoff_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"))
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    outbox_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the request is settled or put back in the queue: the alert no longer stands.
    retired_at: Mapped[datetime | None] = mapped_column(default=None)

    mentor: Mapped[Mentor] = relationship()


class RelayLink(Base):
    """A message the bot put in a mentor's chat, so a reply to it reaches the right parent."""

    __tablename__ = "relay_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    mentor_chat_id: Mapped[int] = mapped_column(BigInteger)
    telegram_message_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("mentor_chat_id", "telegram_message_id", name="uq_relay_link"),
    )


class OutboxItem(Base):
    """A message to deliver, kept until it is sent, so restarts lose nothing."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))  # e.g. "telegram.send", "telegram.edit"
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), default=None, index=True
    )
    # Who it goes to (e.g. "telegram:123"): items to one recipient are delivered in order.
    recipient: Mapped[str | None] = mapped_column(String(64), default=None)
    # Set on relayed messages: they are delivered only while this handoff is active.
    relay_handoff_id: Mapped[int | None] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), default=None, index=True
    )
    status: Mapped[str] = mapped_column(
        String(16), default="pending"
    )  # pending|sent|failed|cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The worker sending it now (bot.handoff.claims); None when no one has it in hand.
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_outbox_recipient_status", "recipient", "status"),)


class MediaFile(Base):
    """A voice note or photo on its way between a web chat parent and a mentor's Telegram.

    Kept in the database, not on one machine's disk, so that any gateway process can deliver
    it. "to_mentor": a web parent's, cleaned and converted, deleted as soon as the outbox has
    delivered it (or given up). "to_parent": a mentor's, for a web parent's page, kept as long
    as the message it belongs to. Erasure deletes both at once (docs/media.md).
    """

    __tablename__ = "media_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(10))  # "to_mentor" | "to_parent"
    kind: Mapped[str] = mapped_column(String(16))  # bot.core.MediaKind
    mime_type: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ProcessedUpdate(Base):
    """Telegram update ids already handled, so each update is handled once."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The chat of an update still being handled; cleared when it is done. One left set after a
    # crash is a parent who was never answered: the next start tells them it failed.
    in_flight_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)


class ChatTrail(Base):
    """One message in a parent's Telegram chat (theirs or the bot's), by id only, never its text:
    erasure deletes it from the chat while Telegram allows (48 hours), then the row goes."""

    __tablename__ = "chat_trail"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class DailyCount(Base):
    """How many times one thing happened on one day: the reports' only source.

    Counts, never one row per event, with nothing that belongs to one parent: no text, no
    conversation or Telegram id, no time finer than the day (docs/reports.md#what-is-counted).
    Kept for REPORT_RETENTION_DAYS, and left alone by erasure, as nothing here is anyone's.
    """

    __tablename__ = "daily_counts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    event: Mapped[str] = mapped_column(String(32))  # bot.analytics.Event
    # What happened, more closely: an intent, a service id, a crisis kind, an answer…
    detail: Mapped[str] = mapped_column(String(64), default="")
    flag: Mapped[str] = mapped_column(String(16), default="")  # e.g. "urgent", "same"
    waited: Mapped[str] = mapped_column(String(16), default="")  # a bucket of minutes
    duty: Mapped[str] = mapped_column(String(3), default="")  # "in" | "out" | ""
    organisation: Mapped[str] = mapped_column(String(200), default="")  # a mentor's, never a name
    count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint(
            "day",
            "channel",
            "language",
            "event",
            "detail",
            "flag",
            "waited",
            "duty",
            "organisation",
            name="uq_daily_count",
        ),
    )


class StaffAccount(Base):
    """A named member of staff who may read the reports at /staff/reports."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # bot.staff.passwords: scrypt with its parameters and salt, never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
