"""Voice notes, audio, photos, video notes, videos and files on Telegram.

- A parent's goes through a turn (`parent_media`): to the mentor in a conversation with one,
  otherwise the "text only" reply; its caption is screened like any text.
- A mentor's (`from_mentor`) reaches a Telegram parent as a copy of the mentor's message
  (copyMessage: we keep no file). A web chat parent cannot open a Telegram file, so a mentor's
  voice note or photo for one is downloaded (getFile), converted or cleaned, and kept in the
  database as long as its message (bot.handoff.media).
- How the outbox sends either, with its marking: attachments.py.
- `listen`: the Listen button under the assistant's replies, read aloud as a voice note
  (espeak-ng, offline; English and Turkish: docs/media.md#read-aloud). Nothing is kept.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from bot.core import Media
from bot.gateway.channels.telegram.dependencies import deps
from bot.gateway.channels.telegram.handlers import route_message
from bot.gateway.channels.telegram.outgoing import LISTEN
from bot.gateway.ratelimit import RateLimiter
from bot.handoff import NotAMentor
from bot.i18n import translate
from bot.media import MediaError, clean_photo, for_browser

log = logging.getLogger(__name__)

# The kinds a parent or mentor can send and the other side gets.
MEDIA = (
    filters.VOICE
    | filters.AUDIO
    | filters.PHOTO
    | filters.VIDEO_NOTE
    | filters.VIDEO
    | filters.Document.ALL
)
# Telegram's bots may download files up to 20 MB; a web chat page gets at most this much.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
# Read-aloud costs a second or two of CPU: a few a minute per chat.
LISTENS_PER_MINUTE = 10
_listens = RateLimiter(LISTENS_PER_MINUTE)
# What a web chat page can show: voice notes and audio as <audio>, photos as an image.
WEB_KINDS = frozenset({"voice", "audio", "photo"})


def media_of(message: Message) -> tuple[Media, str, int | None] | None:
    """The message's media by reference, its file id and size; None for anything else."""
    chat_id, message_id = message.chat_id, message.message_id
    found: tuple[str, str, int | None] | None = None
    if message.voice is not None:
        found = ("voice", message.voice.file_id, message.voice.file_size)
    elif message.audio is not None:
        found = ("audio", message.audio.file_id, message.audio.file_size)
    elif message.photo:
        largest = message.photo[-1]
        found = ("photo", largest.file_id, largest.file_size)
    elif message.video_note is not None:
        found = ("video_note", message.video_note.file_id, message.video_note.file_size)
    elif message.video is not None:
        found = ("video", message.video.file_id, message.video.file_size)
    elif message.document is not None:
        found = ("document", message.document.file_id, message.document.file_size)
    if found is None:
        return None
    kind, file_id, size = found
    media = Media(kind=kind, from_chat_id=chat_id, message_id=message_id)  # type: ignore[arg-type]
    return media, file_id, size


async def parent_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A parent's voice note, photo or file: a turn, with its caption screened."""
    message = update.effective_message
    found = media_of(message) if message is not None else None
    if found is None:
        await route_message(update, context, "unsupported")
        return
    await route_message(update, context, "media", media=found[0])


async def from_mentor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A mentor's message that is not text: passed to their parent when it is media.

    Anyone who is not a mentor goes on to the parents' handlers.
    """
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    wiring = deps(context)
    desk = wiring.desk
    if user is None or chat is None or message is None or desk is None:
        return
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    try:
        target = await asyncio.to_thread(desk.media_target, user.id, reply_to, chat.id)
    except NotAMentor:
        return
    language = target.language
    found = media_of(message)
    if found is None:
        await chat.send_message(
            translate(
                language,
                "Only text, voice notes, photos, videos and files can be passed on to parents.",
            )
        )
        raise ApplicationHandlerStop
    media, file_id, size = found
    if target.channel == "web":
        fetched = await _for_web_parent(
            context.bot, media, file_id, size, language, chat.send_message
        )
        if fetched is None:
            raise ApplicationHandlerStop
        media = fetched
    reply = functools.partial(
        desk.reply, user.id, message.caption or "", reply_to, chat.id, media=media
    )
    problem = await asyncio.to_thread(reply)
    if problem is not None:
        await chat.send_message(problem.text)
    raise ApplicationHandlerStop


async def _for_web_parent(
    bot: Bot,
    media: Media,
    file_id: str,
    size: int | None,
    language: str,
    tell: Callable[[str], Awaitable[object]],
) -> Media | None:
    """A mentor's voice note or photo fetched from Telegram, ready for a web chat page."""
    if media.kind not in WEB_KINDS:
        await _say(
            tell,
            translate(
                language,
                "This parent uses the web chat, where only voice notes and photos can be passed on. Please send a voice note, a photo or text.",
            ),
        )
        return None
    too_large = translate(
        language,
        "This file is too large to pass on to the web chat (at most {megabytes} MB). Please send a shorter voice note or a smaller photo.",
        megabytes=MAX_DOWNLOAD_BYTES // (1024 * 1024),
    )
    if size is not None and size > MAX_DOWNLOAD_BYTES:
        await _say(tell, too_large)
        return None
    try:
        telegram_file = await bot.get_file(file_id)
        data = bytes(await telegram_file.download_as_bytearray())
    except BadRequest as error:
        log.warning("mentor media not fetched: %s", type(error).__name__)
        await _say(tell, too_large if "too big" in str(error).lower() else _failed(language))
        return None
    except TelegramError as error:
        log.warning("mentor media not fetched: %s", type(error).__name__)
        await _say(tell, _failed(language))
        return None
    if len(data) > MAX_DOWNLOAD_BYTES:
        await _say(tell, too_large)
        return None
    try:
        if media.kind == "photo":
            cleaned, mime = await asyncio.to_thread(clean_photo, data), "image/jpeg"
        else:
            cleaned, mime = await asyncio.to_thread(for_browser, data), "audio/mp4"
    except MediaError as error:
        log.warning("mentor media not converted: %s", error)
        await _say(tell, _failed(language))
        return None
    return Media(
        kind="photo" if media.kind == "photo" else "voice",
        from_chat_id=media.from_chat_id,
        message_id=media.message_id,
        data=cleaned,
        mime_type=mime,
    )


def _failed(language: str) -> str:
    return translate(language, "Sorry, this could not be passed on. Please try again, or write.")


async def _say(tell: Callable[[str], Awaitable[object]], text: str) -> None:
    await tell(text)


async def listen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on Listen: the message it is under, read aloud, as a voice note replying to it."""
    query = update.callback_query
    assert query is not None
    speech = deps(context).speech
    language = (query.data or "").removeprefix(LISTEN)
    message = query.message
    if (
        speech is None
        or language not in speech.languages
        or not isinstance(message, Message)
        or not message.text
        or _listens.hit(str(message.chat.id)) is not None
    ):
        await query.answer()
        return
    await query.answer()
    try:
        voice = await asyncio.to_thread(speech.speak_voice_note, message.text, language)
    except MediaError as error:
        log.warning("read-aloud failed: %s", error)
        return
    await context.bot.send_voice(message.chat.id, voice, reply_to_message_id=message.message_id)


__all__ = ["MEDIA", "from_mentor", "listen", "media_of", "parent_media"]
