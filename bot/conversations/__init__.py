"""Conversations on top of the store: web sessions and Telegram chats, a turn's record,
the privacy notice and consent, erasure (with Rasa's tracker, and the erased-ids log that is
re-applied after a restore from backup) and retention."""

from bot.conversations import notice
from bot.conversations.erasure import Eraser
from bot.conversations.erasure_log import ErasureLog, logged_ids
from bot.conversations.records import Conversations, ConversationState, TurnRecord, WebSession
from bot.conversations.retention import purge, purge_forever
from bot.conversations.tracker import TrackerStore

__all__ = [
    "ConversationState",
    "Conversations",
    "ErasureLog",
    "Eraser",
    "TrackerStore",
    "TurnRecord",
    "WebSession",
    "logged_ids",
    "notice",
    "purge",
    "purge_forever",
]
