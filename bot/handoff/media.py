"""Voice notes, photos and files in a handoff: how the mentor's side marks a parent's, and the
files a web chat parent's and a mentor's need kept until they are delivered.

A Telegram parent's and a mentor's media are passed on by reference (copyMessage): we keep no
file. A web chat parent's is kept in the database (bot.store.files) only until the outbox has
delivered it; a mentor's for a web chat parent only as long as the message it belongs to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.core import Media
from bot.i18n import N_, translate
from bot.store.files import TO_MENTOR, TO_PARENT, add_file

# What the mentor is told a parent sent. A recording cannot be screened for a crisis (the screen
# reads words): it says so, so that the mentor listens with that in mind (docs/handoff.md).
KIND_NAMES = {
    "voice": N_("voice note, not screened"),
    "audio": N_("audio, not screened"),
    "video_note": N_("video note, not screened"),
    "video": N_("video, not screened"),
    "photo": N_("photo"),
    "document": N_("file"),
}
# The caption's own crisis screen is as for any text; this caps what Telegram accepts.
CAPTION_LIMIT = 1024


def kind_name(kind: str, language: str) -> str:
    return translate(language, KIND_NAMES.get(kind, KIND_NAMES["document"]))


def mentor_heading(label: str, media: Media, language: str, caption: str) -> str:
    """ "💬 Parent #N · voice note, not screened:" and the parent's caption, if any."""
    heading = f"{label} · {kind_name(media.kind, language)}:"
    return f"{heading}\n{caption}" if caption else heading


def keep_for_mentor(
    session: Session, conversation_id: str, media: Media, expires_at: datetime
) -> Media:
    """A web chat parent's cleaned file, kept until the outbox delivers it (or gives up)."""
    return _keep(session, conversation_id, TO_MENTOR, media, expires_at)


def keep_for_parent(
    session: Session, conversation_id: str, media: Media, expires_at: datetime
) -> Media:
    """A mentor's voice note or photo for a web chat parent's page, kept like its message."""
    return _keep(session, conversation_id, TO_PARENT, media, expires_at)


def _keep(
    session: Session, conversation_id: str, direction: str, media: Media, expires_at: datetime
) -> Media:
    if media.data is None or media.file_id is not None:
        return media
    mime_type = media.mime_type or "application/octet-stream"
    file_id = add_file(
        session, conversation_id, direction, media.kind, mime_type, media.data, expires_at
    )
    return _kept(media, file_id)


def _kept(media: Media, file_id: int) -> Media:
    return Media(
        kind=media.kind,
        from_chat_id=media.from_chat_id,
        message_id=media.message_id,
        mime_type=media.mime_type,
        file_id=file_id,
    )


def pieces(text: str, media: Media) -> list[tuple[str, dict[str, Any] | None]]:
    """The outbox items one message with media becomes, in order.

    A video note takes no caption, so its marking goes in a short message just before it.
    """
    if media.kind == "video_note":
        return [(text, None), ("", media.reference())]
    return [(text, media.reference())]
