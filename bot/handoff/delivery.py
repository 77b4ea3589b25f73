"""Getting a message to a parent or a mentor outside the request/reply cycle, durably."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.core import Button, HandoffState, Outbound
from bot.handoff import media as media_files
from bot.handoff.outbox import enqueue
from bot.store.models import Conversation, Message, OutboxItem, RelayLink, utcnow

TELEGRAM_SEND = "telegram.send"
TELEGRAM_EDIT = "telegram.edit"
# Telegram lets a bot delete a message it sent in a private chat only for 48 hours.
DELETABLE_FOR = timedelta(hours=48)


def telegram_buttons(buttons: list[Button]) -> list[list[dict[str, str]]]:
    """One button per row, as the outbox stores them: title and callback data."""
    return [[{"title": button.title, "data": button.payload}] for button in buttons]


# Without consent to keep the transcript, a web chat parent's pushed message (a mentor's reply)
# is stored only so the open or reopened chat page can fetch it, then purged after this long.
UNKEPT_PUSH_HOURS = 24


def telegram_recipient(chat_id: int) -> str:
    """The outbox's ordering key for one Telegram chat."""
    return f"telegram:{chat_id}"


@dataclass(frozen=True)
class Parents:
    """Getting messages to parents outside a turn: a mentor's, or the handoff's own."""

    retention_days: int
    # Wakes the web chat streams of a conversation; called once the message is committed.
    notify: Callable[[str], None] = lambda _conversation_id: None

    def send(
        self,
        session: Session,
        conversation: Conversation,
        outbound: Outbound,
        *,
        relay_handoff_id: int | None = None,
    ) -> Message | None:
        """Get a message to the parent: kept in their transcript only as their consent allows.

        With consent it is stored like the bot's own replies (for RETENTION_DAYS). Without it,
        a Telegram parent's copy lives only in the outbox until sent; a web chat parent's is
        stored for UNKEPT_PUSH_HOURS, because server push delivers only stored messages.
        `relay_handoff_id` marks a mentor's message: it goes out only while that handoff is
        active.
        """
        now = utcnow()
        message = None
        telegram = conversation.channel == "telegram" and conversation.telegram_chat_id is not None
        media = outbound.media
        if conversation.consent_at is not None or not telegram:
            keep = (
                timedelta(days=self.retention_days)
                if conversation.consent_at is not None
                else timedelta(hours=UNKEPT_PUSH_HOURS)
            )
            if media is not None and not telegram:
                # A mentor's voice note or photo, for the page: kept as long as its message.
                media = media_files.keep_for_parent(session, conversation.id, media, now + keep)
            message = Message(
                conversation_id=conversation.id,
                direction="out",
                sender=outbound.sender,
                text=outbound.text,
                buttons=[{"title": b.title, "payload": b.payload} for b in outbound.buttons]
                or None,
                extra={
                    "push": True,
                    "sender_name": outbound.sender_name,
                    "urgent": outbound.urgent,
                    **({"media": media.reference()} if media is not None else {}),
                },
                language=conversation.language,
                created_at=now,
                expires_at=now + keep,
            )
            session.add(message)
            session.flush()
        if telegram:
            assert conversation.telegram_chat_id is not None
            # A mentor's media goes by reference (copyMessage): no file is kept for it.
            parts = (
                media_files.pieces(outbound.text, outbound.media)
                if outbound.media is not None
                else [(outbound.text, None)]
            )
            for index, (text, reference) in enumerate(parts):
                last = index == len(parts) - 1
                payload: dict[str, Any] = {
                    "chat_id": conversation.telegram_chat_id,
                    "text": text,
                    "sender": outbound.sender,
                    "sender_name": outbound.sender_name,
                    "buttons": telegram_buttons(outbound.buttons) if last else [],
                }
                if reference is not None:
                    payload["media"] = reference
                enqueue(
                    session,
                    TELEGRAM_SEND,
                    payload,
                    conversation_id=conversation.id,
                    recipient=telegram_recipient(conversation.telegram_chat_id),
                    relay_handoff_id=relay_handoff_id,
                )
        if message is not None:
            after_commit(session, lambda: self.notify(conversation.id))
        return message


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the surrounding transaction commits: a web chat stream woken
    earlier (from another thread) would look for the new message before it is visible."""
    event.listen(session, "after_commit", lambda _session: callback(), once=True)


def to_mentor(
    session: Session,
    chat_id: int,
    text: str,
    *,
    buttons: list[Button] | None = None,
    link: dict[str, Any] | None = None,
    conversation_id: str | None = None,
    relay_handoff_id: int | None = None,
    media: dict[str, Any] | None = None,
) -> OutboxItem:
    """Queue a Telegram message to a mentor; `link` records what it belongs to once sent.

    `relay_handoff_id` marks a parent's relayed message: it goes out only while that handoff
    is active, and if it cannot be delivered at all the handoff goes back to the queue.
    `media` is a voice note, photo or file (Media.reference()) that `text` is the caption of.
    """
    payload: dict[str, Any] = {
        "chat_id": chat_id,
        "to": "mentor",
        "text": text,
        "buttons": telegram_buttons(buttons or []),
    }
    if link:
        payload["link"] = link
    if media:
        payload["media"] = media
    return enqueue(
        session,
        TELEGRAM_SEND,
        payload,
        conversation_id=conversation_id,
        recipient=telegram_recipient(chat_id),
        relay_handoff_id=relay_handoff_id,
    )


def edit_mentor_message(session: Session, chat_id: int, message_id: int, text: str) -> None:
    enqueue(
        session,
        TELEGRAM_EDIT,
        {"chat_id": chat_id, "message_id": message_id, "text": text},
        recipient=telegram_recipient(chat_id),
    )


def record_sent(session: Session, item: OutboxItem, result: dict[str, Any] | None) -> None:
    """After a message is sent, remember its ids: a mentor's, so that replies and alert edits
    find it (every piece of a long message); a parent's, so that erasure can delete it."""
    if not result or "message_id" not in result:
        return
    from bot.store.models import ChatTrail, Handoff, HandoffAlert

    chat_id, message_id = item.payload["chat_id"], result["message_id"]
    pieces = result.get("message_ids") or [message_id]
    link = item.payload.get("link")
    if item.payload.get("to") != "mentor":
        if item.conversation_id is not None:
            for piece in pieces:
                session.add(
                    ChatTrail(
                        conversation_id=item.conversation_id, chat_id=chat_id, message_id=piece
                    )
                )
        return
    if not link:
        return
    for piece in pieces:
        session.add(
            RelayLink(
                handoff_id=link["handoff_id"], mentor_chat_id=chat_id, telegram_message_id=piece
            )
        )
    alert = session.get(HandoffAlert, link["alert_id"]) if "alert_id" in link else None
    if alert is None:
        return
    alert.telegram_message_id = message_id
    handoff = session.get(Handoff, link["handoff_id"])
    if (
        handoff is not None
        and handoff.state != HandoffState.QUEUED
        and handoff.mentor_id != alert.mentor_id
    ):
        # The handoff was settled while this alert was on its way: retire it at once.
        from bot.i18n import translate

        taken = handoff.mentor.name if handoff.mentor else None
        language = alert.mentor.language_list[0]
        text = (
            translate(language, "Taken by {name}.", name=taken)
            if taken
            else translate(language, "This request is no longer waiting.")
        )
        edit_mentor_message(session, chat_id, message_id, text)
