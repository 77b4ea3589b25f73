"""Voice notes and photos kept for delivery (models.MediaFile): added, read, and let go."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.database import Database
from bot.store.models import MediaFile

TO_MENTOR = "to_mentor"
TO_PARENT = "to_parent"


def add_file(
    session: Session,
    conversation_id: str,
    direction: str,
    kind: str,
    mime_type: str,
    data: bytes,
    expires_at: datetime,
) -> int:
    """Keep a file in the surrounding transaction; returns its id."""
    row = MediaFile(
        conversation_id=conversation_id,
        direction=direction,
        kind=kind,
        mime_type=mime_type,
        data=data,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row.id


def load_file(
    db: Database, file_id: int, *, direction: str, conversation_id: str | None = None
) -> tuple[bytes, str] | None:
    """A file's bytes and type; None when it is gone (delivered, expired or erased)."""
    query = select(MediaFile.data, MediaFile.mime_type).where(
        MediaFile.id == file_id, MediaFile.direction == direction
    )
    if conversation_id is not None:
        query = query.where(MediaFile.conversation_id == conversation_id)
    with db.engine.connect() as connection:
        found = connection.execute(query).first()
    return (bytes(found.data), str(found.mime_type)) if found is not None else None


def drop_file(session: Session, file_id: int, direction: str = TO_MENTOR) -> int:
    """Let a file go (delivered, or no longer wanted); returns how many rows went."""
    result = session.execute(
        delete(MediaFile).where(MediaFile.id == file_id, MediaFile.direction == direction)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def drop_conversation_files(
    session: Session, conversation_id: str, direction: str | None = None
) -> int:
    """Every file of one conversation (of one direction, when given)."""
    query = delete(MediaFile).where(MediaFile.conversation_id == conversation_id)
    if direction is not None:
        query = query.where(MediaFile.direction == direction)
    result = session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def drop_expired(session: Session, now: datetime) -> int:
    result = session.execute(delete(MediaFile).where(MediaFile.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
