"""What the bot can still delete from Telegram chats when a parent asks to be forgotten.

Telegram keeps every message in the chat on the parent's phone (theirs and the bot's), and in
a mentor's chat the copies of the parent's words the bot relayed. A bot may delete a message
only for 48 hours after it was sent (in a private chat, its own and the other side's), so the
ids of a parent's chat messages are kept that long (`ChatTrail`, ids only, never text), and the
mentors' copies are known by their relay links. Erasure queues their deletion in the outbox
(`TELEGRAM_DELETE`), which survives a crash; what is older than that stays in the chats, and
the parent is told how to clear their own chat (docs/security.md#telegram).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bot.store.database import Database
from bot.store.models import ChatTrail, OutboxItem, RelayLink, utcnow

# The outbox kind of a deletion: {"chat_id", "message_ids", "erasure": true}.
TELEGRAM_DELETE = "telegram.delete"
# Telegram's limit is 48 hours from sending; the deletion leaves the outbox a little later.
DELETABLE_FOR = timedelta(hours=47)
# deleteMessages takes at most 100 ids at once.
BATCH = 100


def remember(db: Database, conversation_id: str, chat_id: int, message_ids: Iterable[int]) -> None:
    """Note messages in a parent's Telegram chat, so that erasure can delete them there."""
    rows = [
        {"conversation_id": conversation_id, "chat_id": chat_id, "message_id": message_id}
        for message_id in dict.fromkeys(message_ids)
    ]
    if rows:
        with db.session() as session:
            session.execute(insert(ChatTrail), rows)


def queue_deletions(
    session: Session, conversation_id: str, handoff_ids: list[int], now: datetime | None = None
) -> int:
    """Queue the deletion of what can still be deleted: the parent's chat, and the copies in
    mentors' chats; returns how many messages. Call it before the rows it reads are erased."""
    since = (now or utcnow()) - DELETABLE_FOR
    by_chat: dict[int, list[int]] = {}
    parents = select(ChatTrail.chat_id, ChatTrail.message_id).where(
        ChatTrail.conversation_id == conversation_id, ChatTrail.created_at > since
    )
    mentors = select(RelayLink.mentor_chat_id, RelayLink.telegram_message_id).where(
        RelayLink.handoff_id.in_(handoff_ids), RelayLink.created_at > since
    )
    for query in (parents, mentors):
        for chat_id, message_id in session.execute(query):
            by_chat.setdefault(chat_id, []).append(message_id)
    for chat_id, ids in by_chat.items():
        ids = sorted(set(ids))
        for start in range(0, len(ids), BATCH):
            # No conversation and no recipient: the item outlives the erased rows, and once it
            # is settled its payload keeps neither the chat nor the ids (outbox.scrubbed).
            session.add(
                OutboxItem(
                    kind=TELEGRAM_DELETE,
                    payload={
                        "chat_id": chat_id,
                        "message_ids": ids[start : start + BATCH],
                        "erasure": True,
                    },
                )
            )
    return sum(len(ids) for ids in by_chat.values())


def forget(session: Session, conversation_id: str) -> None:
    session.execute(delete(ChatTrail).where(ChatTrail.conversation_id == conversation_id))


def prune(db: Database, now: datetime | None = None) -> int:
    """Forget ids too old for Telegram to delete; returns how many."""
    cutoff = (now or utcnow()) - timedelta(hours=48)
    with db.session() as session:
        result = session.execute(delete(ChatTrail).where(ChatTrail.created_at <= cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
