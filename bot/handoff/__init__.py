"""The human handoff, pure domain (no web framework, no Telegram library).

A parent's request for a person is queued (`queue`), the mentors who speak their language
and are on duty are alerted (`matching`, `duty`, `alerts`), one accepts, and the
conversation is relayed until it ends (`closing`). `HandoffService` is the parent's side,
`MentorDesk` the mentor's; every message to either goes through the durable outbox
(`delivery`, `outbox`), which a channel's senders deliver.
"""

from bot.handoff.buttons import CANCEL, END, FEEDBACK, SHARE
from bot.handoff.delivery import (
    TELEGRAM_EDIT,
    TELEGRAM_SEND,
    Parents,
    record_sent,
)
from bot.handoff.desk import DeskReply, MediaTarget, MentorDesk, NotAMentor
from bot.handoff.outbox import OutboxWorker, PermanentFailure, RetryLater, Sender
from bot.handoff.service import HandoffService

__all__ = [
    "CANCEL",
    "END",
    "FEEDBACK",
    "SHARE",
    "TELEGRAM_EDIT",
    "TELEGRAM_SEND",
    "DeskReply",
    "MediaTarget",
    "HandoffService",
    "MentorDesk",
    "NotAMentor",
    "OutboxWorker",
    "Parents",
    "PermanentFailure",
    "RetryLater",
    "Sender",
    "record_sent",
]
