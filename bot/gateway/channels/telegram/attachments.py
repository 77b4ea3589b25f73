"""How the outbox sends a voice note, photo or file to a mentor or a Telegram parent, with its
"Parent #N" or mentor marking as the caption: a web chat parent's from the file kept in the
database, anything else copied from the chat it came from (copyMessage: no file kept)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardMarkup

from bot.core import Media

CAPTION_LIMIT = 1024  # Telegram's, in UTF-16 code units
# Loads a web chat parent's file kept for delivery: its bytes and type, or None once gone.
LoadFile = Callable[[int], tuple[bytes, str] | None]


async def send_media(
    bot: Bot,
    chat_id: int,
    text: str,
    media: Media,
    markup: InlineKeyboardMarkup | None,
    load: LoadFile,
    send_text: Callable[[str], Awaitable[object]],
) -> int:
    """One voice note, photo or file with its marking as the caption; returns its message id.

    A caption too long for Telegram goes as a message just before, and the media follows
    with none. A kept file (a web chat parent's) is sent from the database; anything else is
    copied from the chat it came from.
    """
    caption: str | None = text or None
    if caption is not None and len(caption.encode("utf-16-le")) // 2 > CAPTION_LIMIT:
        await send_text(caption)
        caption = None
    if media.file_id is not None:
        found = await asyncio.to_thread(load, media.file_id)
        if found is None:
            raise FileNotFoundError("the file is gone (erased or expired)")
        data, _mime = found
        if media.kind == "photo":
            sent = await bot.send_photo(chat_id, data, caption=caption, reply_markup=markup)
        else:
            sent = await bot.send_voice(
                chat_id, data, caption=caption, reply_markup=markup, filename="voice.ogg"
            )
        return sent.message_id
    assert media.from_chat_id is not None and media.message_id is not None
    copied = await bot.copy_message(
        chat_id,
        media.from_chat_id,
        media.message_id,
        # A video note takes no caption (its marking went just before it); for the others
        # our caption replaces the original, which it includes.
        caption=None if media.kind == "video_note" else (caption or ""),
        reply_markup=markup,
    )
    return copied.message_id
