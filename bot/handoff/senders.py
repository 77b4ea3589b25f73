"""Outbox senders for Telegram: turn stored payloads into Bot API calls."""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.gateway.channels.telegram.outgoing import split_text
from bot.handoff.delivery import TELEGRAM_EDIT, TELEGRAM_SEND
from bot.handoff.outbox import PermanentFailure, RetryLater, Sender


def keyboard(rows: list[list[dict[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button["title"], callback_data=button["data"]) for button in row]
            for row in rows
        ]
    )


def shown_text(payload: dict[str, Any]) -> str:
    """A person's messages are marked clearly as coming from a person."""
    text = payload["text"]
    if payload.get("sender") == "mentor" and payload.get("sender_name"):
        return f"👤 {payload['sender_name']}:\n{text}"
    return text


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


def telegram_senders(bot: Bot) -> dict[str, Sender]:
    """The senders for the outbox worker, bound to one bot."""

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        text = shown_text(payload)
        chunks = split_text(text)
        try:
            message = None
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                message = await bot.send_message(
                    payload["chat_id"],
                    chunk,
                    reply_markup=keyboard(payload.get("buttons", [])) if last else None,
                )
        except TelegramError as error:
            raise outbox_error(error) from error
        assert message is not None
        return {"message_id": message.message_id}

    async def edit(payload: dict[str, Any]) -> dict[str, Any]:
        try:
            await bot.edit_message_text(
                payload["text"], chat_id=payload["chat_id"], message_id=payload["message_id"]
            )
        except TelegramError as error:
            raise outbox_error(error) from error
        return {}

    return {TELEGRAM_SEND: send, TELEGRAM_EDIT: edit}
