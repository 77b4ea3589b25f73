"""Our messages as Bot API calls, built one way for a turn's Reply and for the handoff's outbox:
long texts split, one keyboard of inline buttons, long payloads as callback data, and a
person's messages labelled as theirs."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import warnings
from collections import OrderedDict
from collections.abc import Collection, Sequence
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.conversations.trail import TELEGRAM_DELETE
from bot.core import Button, Media, Outbound, Reply, Sender
from bot.gateway.channels.telegram.attachments import LoadFile, send_media
from bot.handoff import TELEGRAM_EDIT, TELEGRAM_SEND, PermanentFailure, RetryLater
from bot.handoff import Sender as OutboxSender
from bot.i18n import translate

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted by Telegram in UTF-16 code units
CALLBACK_DATA_LIMIT = 64  # bytes
_SHORT_PREFIX = "~"
SEND_ATTEMPTS = 3
SEND_RETRY_SECONDS = 0.5


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at a paragraph, else a line, else a word."""
    pieces: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        window = _prefix_within(rest, limit)
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > 0:
                break
        if cut <= 0:
            cut = len(window)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return [piece for piece in pieces if piece] or [text]


def _prefix_within(text: str, limit: int) -> str:
    """The longest prefix of `text` that is at most `limit` UTF-16 units (never splits a pair)."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


class CallbackPayloads:
    """Payloads as callback data: verbatim when they fit Telegram's 64 bytes, else a short key.

    The key is a keyed hash of the payload, so rendering the same payload again after a restart
    gives the same key; keys are remembered in memory (bounded) until then.
    """

    def __init__(self, key: bytes, capacity: int = 10_000) -> None:
        self._key = key
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode()) <= CALLBACK_DATA_LIMIT and not payload.startswith(_SHORT_PREFIX):
            return payload
        digest = hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()[:24]
        short = _SHORT_PREFIX + digest
        self._payloads[short] = payload
        self._payloads.move_to_end(short)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return short

    def decode(self, data: str) -> str | None:
        """The payload behind callback data; None for a short key no longer remembered."""
        if not data.startswith(_SHORT_PREFIX):
            return data
        return self._payloads.get(data)


def keyboard(buttons: Sequence[Button], payloads: CallbackPayloads) -> InlineKeyboardMarkup | None:
    """One button per row, since titles in Somali and Turkish are often long."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.title, callback_data=payloads.encode(b.payload))] for b in buttons]
    )


def shown_text(text: str, sender: Sender | str | None, sender_name: str | None) -> str:
    """A person's messages are marked clearly as coming from a person."""
    if sender == "mentor" and sender_name:
        return f"👤 {sender_name}:\n{text}"
    return text


async def send_outbound(
    bot: Bot, chat_id: int, outbound: Outbound, payloads: CallbackPayloads
) -> list[Message]:
    """Send one Outbound, split when long; its buttons go with the last piece."""
    text = shown_text(outbound.text, outbound.sender, outbound.sender_name)
    return await _send_pieces(bot, chat_id, text, keyboard(outbound.buttons, payloads))


async def _send_pieces(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    attempts: int = SEND_ATTEMPTS,
) -> list[Message]:
    pieces = split_text(text)
    sent = []
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        sent.append(await _send(bot, chat_id, piece, markup if last else None, attempts))
    return sent


async def _send(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, attempts: int
) -> Message:
    """sendMessage, tried again after a server error (429s are the rate limiter's job)."""
    for attempt in range(1, attempts + 1):
        try:
            return await bot.send_message(chat_id, text, reply_markup=markup)
        except TimedOut:
            # It may have arrived; sending again could show the parent the message twice.
            raise
        except NetworkError:
            if attempt == attempts:
                raise
            await asyncio.sleep(SEND_RETRY_SECONDS * attempt)
    raise AssertionError("unreachable")


LISTEN = "listen:"  # callback data "listen:en": read this message aloud, in English


def listen_button(language: str) -> Button:
    return Button(translate(language, "Listen"), f"{LISTEN}{language}")


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    payloads: CallbackPayloads,
    read_aloud: Collection[str] = (),
) -> list[Message]:
    """Send every message of a turn's Reply, in order; what was sent. The assistant's own get
    a Listen button when their language is in `read_aloud` (telegram/media.py)."""
    listen = reply.language in read_aloud
    sent: list[Message] = []
    for outbound in reply.messages:
        if outbound.text.strip():
            if listen and outbound.sender == "bot":
                buttons = [*outbound.buttons, listen_button(reply.language)]
                outbound = dataclasses.replace(outbound, buttons=buttons)
            sent += await send_outbound(bot, chat_id, outbound, payloads)
    return sent


def outbox_error(error: TelegramError) -> Exception:
    """What the outbox should do about a Bot API error: wait as told, give up, or retry."""
    if isinstance(error, RetryAfter):
        with warnings.catch_warnings():
            # PTB 22 warns that retry_after will become a timedelta; accept either.
            warnings.simplefilter("ignore")
            wait = error.retry_after
        return RetryLater(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
    if isinstance(error, Forbidden | BadRequest):
        return PermanentFailure(type(error).__name__)
    return error


def outbox_senders(
    bot: Bot, payloads: CallbackPayloads, load: LoadFile = lambda _file_id: None
) -> dict[str, OutboxSender]:
    """The outbox's senders (bot.handoff.outbox), bound to one bot: stored payloads as Bot API
    calls. `load` reads a web chat parent's voice note or photo kept for delivery."""

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        text = shown_text(payload["text"], payload.get("sender"), payload.get("sender_name"))
        # The outbox keeps buttons as rows of {"title", "data"} (bot.handoff.delivery).
        rows = payload.get("buttons", [])
        buttons = [Button(b["title"], b["data"]) for row in rows for b in row]
        markup = keyboard(buttons, payloads)
        chat_id = payload["chat_id"]
        try:
            # Tried once: the outbox retries a failed delivery itself, with its backoff.
            if payload.get("media"):
                media = Media.from_reference(payload["media"])
                captions: list[int] = []

                async def before(caption: str) -> None:
                    pieces = await _send_pieces(bot, chat_id, caption, None, attempts=1)
                    captions.extend(piece.message_id for piece in pieces)

                sent_id = await send_media(bot, chat_id, text, media, markup, load, before)
                # Every id, so that erasure can delete the caption sent before the file too.
                return {"message_id": sent_id, "message_ids": [*captions, sent_id]}
            sent = await _send_pieces(bot, chat_id, text, markup, attempts=1)
        except TelegramError as error:
            raise outbox_error(error) from error
        except FileNotFoundError as error:
            raise PermanentFailure("media file gone") from error
        return {"message_id": sent[-1].message_id, "message_ids": [m.message_id for m in sent]}

    async def edit(payload: dict[str, Any]) -> dict[str, Any]:
        try:
            await bot.edit_message_text(
                payload["text"], chat_id=payload["chat_id"], message_id=payload["message_id"]
            )
        except TelegramError as error:
            raise outbox_error(error) from error
        return {}

    async def delete(payload: dict[str, Any]) -> dict[str, Any]:
        # Ids Telegram cannot find (or no longer lets us delete) are skipped, not an error.
        try:
            await bot.delete_messages(payload["chat_id"], payload["message_ids"])
        except TelegramError as error:
            raise outbox_error(error) from error
        return {}

    return {TELEGRAM_SEND: send, TELEGRAM_EDIT: edit, TELEGRAM_DELETE: delete}
