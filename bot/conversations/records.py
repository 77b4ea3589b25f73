"""Finding and creating conversations, and writing a turn's transcript in one transaction."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.gateway.messages import Outbound
from bot.hashing import keyed_hash
from bot.settings import LANGUAGES
from bot.store.database import Database
from bot.store.models import Conversation, Message, new_id, utcnow

TOKEN_PURPOSE = "webchat-token"
WEB_PURPOSE = "webchat-session"
TELEGRAM_PURPOSE = "telegram-chat"


@dataclass(frozen=True)
class WebSession:
    """A new web chat session: its id (the conversation id) and its bearer token, shown once."""

    id: str
    token: str
    language: str


@dataclass(frozen=True)
class ConversationState:
    """What the router needs to know about a conversation before a turn."""

    id: str
    channel: str
    language: str
    language_locked: bool
    rasa_language: str | None
    notice_shown: bool
    consented: bool


def state_of(conversation: Conversation) -> ConversationState:
    return ConversationState(
        id=conversation.id,
        channel=conversation.channel,
        language=conversation.language,
        language_locked=conversation.language_locked,
        rasa_language=conversation.rasa_language,
        notice_shown=conversation.notice_shown_at is not None,
        consented=conversation.consent_at is not None,
    )


def token_hash(token: str) -> str:
    return keyed_hash(token, TOKEN_PURPOSE)


class Conversations:
    """The conversation table as the gateway uses it."""

    def __init__(self, db: Database, retention_days: int) -> None:
        self.db = db
        self.retention_days = retention_days

    def create_web_session(self, language: str | None) -> WebSession:
        """A new web conversation with an unguessable token; only the token's keyed hash is kept."""
        token = secrets.token_urlsafe(32)
        chosen = language if language in LANGUAGES else None
        conversation_id = new_id()
        with self.db.session() as session:
            session.add(
                Conversation(
                    id=conversation_id,
                    channel="web",
                    external_id_hash=keyed_hash(conversation_id, WEB_PURPOSE),
                    token_hash=token_hash(token),
                    language=chosen or "en",
                    language_locked=chosen is not None,
                )
            )
        return WebSession(conversation_id, token, chosen or "en")

    def authenticate(self, conversation_id: str, token: str) -> ConversationState | None:
        """The web conversation whose token this is, or None."""
        if not token or len(conversation_id) > 64:
            return None
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None or conversation.channel != "web" or not conversation.token_hash:
                return None
            if not secrets.compare_digest(conversation.token_hash, token_hash(token)):
                return None
            return state_of(conversation)

    def get(self, conversation_id: str) -> ConversationState | None:
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            return state_of(conversation) if conversation else None

    def for_telegram_chat(self, chat_id: int, hint: str | None) -> ConversationState:
        """The conversation of a Telegram chat, created on its first message."""
        external = keyed_hash(str(chat_id), TELEGRAM_PURPOSE)
        query = select(Conversation).where(
            Conversation.channel == "telegram", Conversation.external_id_hash == external
        )
        with self.db.session() as session:
            found = session.scalars(query).one_or_none()
            if found is not None:
                return state_of(found)
        try:
            with self.db.session() as session:
                conversation = Conversation(
                    channel="telegram",
                    external_id_hash=external,
                    telegram_chat_id=chat_id,
                    language=hint if hint in LANGUAGES else "en",
                )
                session.add(conversation)
                session.flush()
                return state_of(conversation)
        except IntegrityError:
            # Two updates of a new chat raced; the other one created it.
            with self.db.session() as session:
                return state_of(session.scalars(query).one())

    def record_consent(self, conversation_id: str, consent: bool) -> ConversationState | None:
        """The notice was shown; consent given (transcript kept) or refused (nothing kept)."""
        now = utcnow()
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                return None
            conversation.notice_shown_at = conversation.notice_shown_at or now
            conversation.consent_at = now if consent else None
            if not consent:
                for message in list(conversation.messages):
                    session.delete(message)
            return state_of(conversation)

    def finish_turn(self, turn: Turn) -> list[int]:
        """Write the turn: conversation fields, and the transcript when the parent consented."""
        now = utcnow()
        ids: list[int] = []
        with self.db.session() as session:
            conversation = session.get(Conversation, turn.conversation_id)
            if conversation is None:
                return ids
            conversation.language = turn.language
            conversation.language_locked = turn.language_locked
            conversation.rasa_language = turn.rasa_language
            conversation.last_seen_at = now
            if turn.notice_shown and conversation.notice_shown_at is None:
                conversation.notice_shown_at = now
            if conversation.consent_at is None or not turn.store:
                return ids
            expires = now + timedelta(days=self.retention_days)
            rows = [_row(turn, now, expires, m) for m in turn.outbound]
            if turn.inbound_text:
                rows.insert(0, _inbound_row(turn, now, expires))
            session.add_all(rows)
            session.flush()
            ids = [row.id for row in rows]
        return ids

    def transcript(self, conversation_id: str, after_id: int, limit: int = 200) -> list[Message]:
        """Stored messages after `after_id`, oldest first: the web chat's server-push events."""
        with self.db.session() as session:
            return list(
                session.scalars(
                    select(Message)
                    .where(Message.conversation_id == conversation_id, Message.id > after_id)
                    .order_by(Message.id)
                    .limit(limit)
                ).all()
            )


@dataclass
class Turn:
    """One parent message and its replies, as they are to be written."""

    conversation_id: str
    language: str
    language_locked: bool
    rasa_language: str | None
    inbound_text: str
    outbound: Sequence[Outbound]
    intent: str | None = None
    notice_shown: bool = False
    store: bool = True


def _inbound_row(turn: Turn, now: datetime, expires: datetime) -> Message:
    return Message(
        conversation_id=turn.conversation_id,
        direction="in",
        sender="parent",
        text=turn.inbound_text,
        language=turn.language,
        intent=turn.intent,
        created_at=now,
        expires_at=expires,
    )


def _row(turn: Turn, now: datetime, expires: datetime, outbound: Outbound) -> Message:
    return Message(
        conversation_id=turn.conversation_id,
        direction="out",
        sender=outbound.sender,
        text=outbound.text,
        buttons=[{"title": b.title, "payload": b.payload} for b in outbound.buttons] or None,
        extra={"sender_name": outbound.sender_name} if outbound.sender_name else None,
        language=turn.language,
        created_at=now,
        expires_at=expires,
    )
