"""Telegram update objects as the Bot API sends them, for tests to push into the fake server."""

from __future__ import annotations

import time
from typing import Any

BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Family Hub",
    "username": "familyhub_test_bot",
}


def user(
    user_id: int, language_code: str | None = "en", first_name: str = "Parent"
) -> dict[str, Any]:
    """A Telegram user object."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        data["language_code"] = language_code
    return data


def message(
    chat_id: int, *, from_user: dict[str, Any] | None = None, message_id: int = 0, **content: Any
) -> dict[str, Any]:
    """A Telegram message object in a private chat (the chat id is the user id there).

    Message id 0 means "the next one": the fake Bot API gives the chat's next id when the
    update is pushed (tests/fakes/telegram_api.py)."""
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
        "from": from_user or user(chat_id),
        **content,
    }


def text_update(
    chat_id: int, text: str, *, language_code: str | None = "en", user_id: int | None = None
) -> dict[str, Any]:
    """An update with a text message; commands get their `bot_command` entity, as Telegram adds."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    sender = user(user_id or chat_id, language_code)
    return {"message": message(chat_id, from_user=sender, **content)}


def callback_update(
    chat_id: int,
    data: str,
    *,
    message_id: int = 1,
    language_code: str | None = "en",
    user_id: int | None = None,
    text: str = "…",
) -> dict[str, Any]:
    """An update for a tap on an inline button of one of the bot's messages (whose `text`)."""
    sender = user(user_id or chat_id, language_code)
    shown = message(chat_id, from_user=BOT_USER, message_id=message_id, text=text)
    return {
        "callback_query": {
            "id": f"cbq-{chat_id}-{message_id}-{time.monotonic_ns()}",
            "from": sender,
            "chat_instance": str(chat_id),
            "message": shown,
            "data": data,
        }
    }


def voice_update(
    chat_id: int,
    *,
    language_code: str | None = "en",
    file_id: str = "voice-1",
    file_size: int | None = None,
    caption: str | None = None,
    message_id: int = 0,
) -> dict[str, Any]:
    """An update with a voice note."""
    return media_update(
        chat_id,
        "voice",
        language_code=language_code,
        file_id=file_id,
        file_size=file_size,
        caption=caption,
        message_id=message_id,
    )


def media_update(
    chat_id: int,
    kind: str,
    *,
    language_code: str | None = "en",
    file_id: str | None = None,
    file_size: int | None = None,
    caption: str | None = None,
    message_id: int = 0,
    reply_to: int | None = None,
) -> dict[str, Any]:
    """An update with a voice note, audio, photo, video note, video or document, as Telegram
    sends it (a photo in several sizes, the largest last)."""
    found: dict[str, Any] = {
        "file_id": file_id or f"{kind}-1",
        "file_unique_id": f"u-{file_id or kind}",
    }
    if file_size is not None:
        found["file_size"] = file_size
    content: dict[str, Any] = {}
    if kind == "photo":
        small = {"file_id": "thumb-1", "file_unique_id": "t1", "width": 90, "height": 90}
        content["photo"] = [small, {**found, "width": 1280, "height": 960}]
    elif kind in ("voice", "audio", "video"):
        content[kind] = {**found, "duration": 3}
    elif kind == "video_note":
        content[kind] = {**found, "duration": 3, "length": 240}
    else:
        content[kind] = {**found, "file_name": "letter.pdf", "mime_type": "application/pdf"}
    if caption is not None:
        content["caption"] = caption
    if reply_to is not None:
        content["reply_to_message"] = message(
            chat_id, from_user=BOT_USER, message_id=reply_to, text="…"
        )
    sender = user(chat_id, language_code)
    return {"message": message(chat_id, from_user=sender, message_id=message_id, **content)}


def photo_update(chat_id: int, *, language_code: str | None = "en") -> dict[str, Any]:
    """An update with a photo."""
    size = {"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}
    return {"message": message(chat_id, from_user=user(chat_id, language_code), photo=[size])}


def captioned_photo_update(
    chat_id: int, caption: str, *, language_code: str | None = "en"
) -> dict[str, Any]:
    """An update with a photo and a caption (what the parent wrote under it)."""
    size = {"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}
    sender = user(chat_id, language_code)
    return {"message": message(chat_id, from_user=sender, photo=[size], caption=caption)}


def edited_text_update(
    chat_id: int, text: str, *, message_id: int = 3, user_id: int | None = None
) -> dict[str, Any]:
    """An update for a text message the sender edited, as Telegram sends it."""
    sender = user(user_id or chat_id)
    edit = message(chat_id, from_user=sender, message_id=message_id, text=text)
    return {"edited_message": {**edit, "edit_date": int(time.time())}}
