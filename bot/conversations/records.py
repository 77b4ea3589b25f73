"""Finding and creating conversations, and writing a turn's transcript in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.core import LANGUAGES, Outbound
from bot.hashing import keyed_hash
from bot.store.database import Database
from bot.store.models import Conversation, Message, new_id, utcnow

TOKEN_PURPOSE = "webchat-token"
WEB_PURPOSE = "webchat-session"
TELEGRAM_PURPOSE = "telegram-chat"

# The statements every message runs, built once: building one costs more than running it.
_STATE_COLUMNS = (
    Conversation.id,
    Conversation.channel,
    Conversation.language,
    Conversation.language_locked,
    Conversation.language_settled,
    Conversation.rasa_language,
    Conversation.notice_shown_at,
    Conversation.consent_at,
)
_BY_ID = select(*_STATE_COLUMNS, Conversation.token_hash).where(
    Conversation.id == bindparam("conversation_id")
)
_BY_EXTERNAL = select(*_STATE_COLUMNS).where(
    Conversation.channel == bindparam("channel"),
    Conversation.external_id_hash == bindparam("external"),
)
_TURN_CHANGES: dict[str, Any] = {
    "language": bindparam("new_language"),
    "language_locked": bindparam("new_locked"),
    "language_settled": bindparam("new_settled"),
    "rasa_language": bindparam("new_rasa_language"),
    "last_seen_at": bindparam("now"),
}
_TOUCH = (
    update(Conversation)
    .where(Conversation.id == bindparam("conversation_id"))
    .values(_TURN_CHANGES)
    .returning(Conversation.consent_at)
)
_TOUCH_NOTICED = _TOUCH.values(
    notice_shown_at=func.coalesce(Conversation.notice_shown_at, bindparam("now"))
)
_ADD_MESSAGES = insert(Message).returning(Message.id, sort_by_parameter_order=True)


@dataclass(frozen=True)
class WebSession:
    """A new web chat session: its id (the conversation id) and its bearer token, shown once."""

    id: str
    token: str
    language: str


@dataclass(frozen=True)
class ConversationState:
    """What a turn needs to know about a conversation before it starts."""

    id: str
    channel: str
    language: str
    language_locked: bool
    # False while the language is a default or a guess (bot.language.opening).
    language_settled: bool
    rasa_language: str | None
    notice_shown: bool
    consented: bool


def state_of(conversation: Conversation | Row[*tuple[Any, ...]]) -> ConversationState:
    return ConversationState(
        id=conversation.id,
        channel=conversation.channel,
        language=conversation.language,
        language_locked=conversation.language_locked,
        language_settled=conversation.language_settled,
        rasa_language=conversation.rasa_language,
        notice_shown=conversation.notice_shown_at is not None,
        consented=conversation.consent_at is not None,
    )


class Conversations:
    """The conversation table as the gateway uses it; ids and tokens are kept as keyed hashes."""

    def __init__(self, db: Database, retention_days: int, *, hashing_key: bytes) -> None:
        self.db = db
        self.retention_days = retention_days
        self.hashing_key = hashing_key

    def _hash(self, value: str, purpose: str) -> str:
        return keyed_hash(self.hashing_key, value, purpose)

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
                    external_id_hash=self._hash(conversation_id, WEB_PURPOSE),
                    token_hash=self._hash(token, TOKEN_PURPOSE),
                    language=chosen or "en",
                    language_locked=chosen is not None,
                    language_settled=chosen is not None,
                )
            )
        return WebSession(conversation_id, token, chosen or "en")

    def authenticate(self, conversation_id: str, token: str) -> ConversationState | None:
        """The web conversation whose token this is, or None."""
        if not token or len(conversation_id) > 64:
            return None
        with self.db.engine.connect() as connection:
            found = connection.execute(_BY_ID, {"conversation_id": conversation_id}).first()
        if found is None or found.channel != "web" or not found.token_hash:
            return None
        if not secrets.compare_digest(found.token_hash, self._hash(token, TOKEN_PURPOSE)):
            return None
        return state_of(found)

    def get(self, conversation_id: str) -> ConversationState | None:
        with self.db.engine.connect() as connection:
            found = connection.execute(_BY_ID, {"conversation_id": conversation_id}).first()
        return state_of(found) if found else None

    def for_telegram_chat(self, chat_id: int, hint: str | None) -> ConversationState:
        """The conversation of a Telegram chat, created on its first message."""
        external = self._hash(str(chat_id), TELEGRAM_PURPOSE)
        key = {"channel": "telegram", "external": external}
        with self.db.engine.connect() as connection:
            found = connection.execute(_BY_EXTERNAL, key).first()
        if found is not None:
            return state_of(found)
        try:
            with self.db.session() as session:
                conversation = Conversation(
                    channel="telegram",
                    external_id_hash=external,
                    telegram_chat_id=chat_id,
                    language=hint if hint in LANGUAGES else "en",
                    language_settled=False,
                )
                session.add(conversation)
                session.flush()
                return state_of(conversation)
        except IntegrityError:
            # Two updates of a new chat raced; the other one created it.
            with self.db.engine.connect() as connection:
                return state_of(connection.execute(_BY_EXTERNAL, key).one())

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

    def finish_turn(self, turn: TurnRecord) -> list[int]:
        """Write the turn: conversation fields, and the transcript when the parent consented."""
        now = utcnow()
        changes = {
            "conversation_id": turn.conversation_id,
            "new_language": turn.language,
            "new_locked": turn.language_locked,
            "new_settled": turn.language_settled,
            "new_rasa_language": turn.rasa_language,
            "now": now,
        }
        with self.db.engine.begin() as connection:
            touch = _TOUCH_NOTICED if turn.notice_shown else _TOUCH
            updated = connection.execute(touch, changes).first()
            if updated is None or updated.consent_at is None or not turn.store:
                return []
            expires = now + timedelta(days=self.retention_days)
            rows = [_row(turn, now, expires, m) for m in turn.outbound]
            if turn.inbound_text:
                rows.insert(0, _inbound_row(turn, now, expires))
            if not rows:
                return []
            return list(connection.execute(_ADD_MESSAGES, rows).scalars())

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
class TurnRecord:
    """One parent message and its replies, as they are to be written (a turn fills it in)."""

    conversation_id: str
    language: str
    language_locked: bool
    rasa_language: str | None
    inbound_text: str
    outbound: list[Outbound]
    intent: str | None = None
    notice_shown: bool = False
    store: bool = True
    language_settled: bool = True


def _inbound_row(turn: TurnRecord, now: datetime, expires: datetime) -> dict[str, Any]:
    return {
        "conversation_id": turn.conversation_id,
        "direction": "in",
        "sender": "parent",
        "text": turn.inbound_text,
        "buttons": None,
        "extra": None,
        "language": turn.language,
        "intent": turn.intent,
        "created_at": now,
        "expires_at": expires,
    }


def _row(turn: TurnRecord, now: datetime, expires: datetime, outbound: Outbound) -> dict[str, Any]:
    return {
        "conversation_id": turn.conversation_id,
        "direction": "out",
        "sender": outbound.sender,
        "text": outbound.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in outbound.buttons] or None,
        "extra": {"sender_name": outbound.sender_name} if outbound.sender_name else None,
        "language": turn.language,
        "intent": None,
        "created_at": now,
        "expires_at": expires,
    }
