"""Erasing everything about one parent: our rows and Rasa's tracker events."""

from __future__ import annotations

import logging

from sqlalchemy import delete, or_, select

from bot.conversations.erasure_log import ErasureLog
from bot.conversations.tracker import TrackerStore
from bot.store.database import Database
from bot.store.models import (
    Conversation,
    Handoff,
    HandoffAlert,
    Message,
    OutboxItem,
    RelayLink,
)

log = logging.getLogger(__name__)


class Eraser:
    """Deletes a conversation with its messages, handoffs and queued deliveries, then its tracker."""

    def __init__(self, db: Database, tracker: TrackerStore, log: ErasureLog | None = None) -> None:
        self.db = db
        self.tracker = tracker
        # A parent's own erasures are logged, to be re-applied after a restore from backup;
        # the retention purge's are not (the purge deletes them again by itself).
        self.log = log

    def erase(self, conversation_id: str) -> None:
        """Erase one parent; safe to call twice."""
        if self.log is not None:
            self.log.record(conversation_id)
        with self.db.session() as session:
            # Explicit deletes, so nothing depends on the database honouring ON DELETE CASCADE.
            handoffs = list(
                session.scalars(
                    select(Handoff.id).where(Handoff.conversation_id == conversation_id)
                )
            )
            session.execute(
                delete(OutboxItem).where(
                    or_(
                        OutboxItem.conversation_id == conversation_id,
                        OutboxItem.relay_handoff_id.in_(handoffs),
                    )
                )
            )
            session.execute(delete(RelayLink).where(RelayLink.handoff_id.in_(handoffs)))
            session.execute(delete(HandoffAlert).where(HandoffAlert.handoff_id.in_(handoffs)))
            session.execute(delete(Handoff).where(Handoff.conversation_id == conversation_id))
            session.execute(delete(Message).where(Message.conversation_id == conversation_id))
            session.execute(delete(Conversation).where(Conversation.id == conversation_id))
        removed = self.tracker.erase(conversation_id)
        log.info("conversation erased (%d tracker events)", removed)
