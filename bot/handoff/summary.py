"""The short summary of a conversation that a mentor sees, only with the parent's consent."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import translate
from bot.store.models import Message

LIMIT = 8
CHARS = 200


def snapshot(session: Session, conversation_id: str, limit: int = LIMIT) -> list[dict[str, str]]:
    """The parent's and the assistant's last stored messages, oldest first, each cut short.

    Only messages the parent let us keep exist, so without that consent this is empty.
    """
    messages = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.sender.in_(("parent", "bot")))
        .where(Message.text != "")
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    return [{"sender": m.sender, "text": m.text[:CHARS]} for m in reversed(messages)]


def render(lines: list[dict[str, str]] | None, language: str) -> str:
    """The summary for a mentor, in the mentor's language."""
    if not lines:
        return translate(
            language,
            "The parent agreed to share, but no recent messages are kept for this conversation.",
        )
    parent, bot = translate(language, "Parent"), translate(language, "Assistant")
    shown = [f"{parent if line['sender'] == 'parent' else bot}: {line['text']}" for line in lines]
    return (
        translate(language, "Recent messages, shared with the parent's consent:")
        + "\n"
        + "\n".join(shown)
    )
