"""Telegram handlers of the handoff: mentors (register, availability, accept, relay, end), parents' /cancel.

Every desk call touches the database, so it runs in a worker thread, never on the event
loop: a busy SQLite file must not stall every other chat.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.ext._handlers.basehandler import BaseHandler

from bot.core import LANGUAGES
from bot.gateway.channels.telegram import handlers as parent_handlers
from bot.gateway.channels.telegram import media
from bot.gateway.channels.telegram.dependencies import Desk, deps
from bot.gateway.channels.telegram.outgoing import keyboard
from bot.handoff import CANCEL, DeskReply, NotAMentor
from bot.i18n import translate

log = logging.getLogger(__name__)

CANCEL_PAYLOAD = f"/{CANCEL}"


def _desk(context: ContextTypes.DEFAULT_TYPE) -> Desk:
    desk = deps(context).desk
    assert desk is not None, "the mentors' handlers are added only with a desk"
    return desk


async def _answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, reply: DeskReply | None
) -> None:
    """Send the desk's answer in the mentor's chat; None means there is nothing to say."""
    if reply is not None and update.effective_chat is not None:
        markup = keyboard(reply.buttons, deps(context).payloads)
        await update.effective_chat.send_message(reply.text, reply_markup=markup)


async def _refuse(update: Update) -> None:
    log.warning("mentor-only command refused for a Telegram user who is not a mentor")
    language = (update.effective_user.language_code if update.effective_user else None) or "en"
    language = language if language in LANGUAGES else "en"
    if update.callback_query is not None:
        await update.callback_query.answer(
            translate(language, "Only registered mentors can do this."), show_alert=True
        )
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(
            translate(language, "Only registered mentors can do this.")
        )
    raise ApplicationHandlerStop


async def register(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Redeem a mentor invite from `/start CODE`; anything else goes on to the parent's /start."""
    if not context.args or context.args[0] in LANGUAGES:
        return
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    reply = await asyncio.to_thread(_desk(context).register, context.args[0], user.id, chat.id)
    if reply is None:
        return
    await _answer(update, context, reply)
    raise ApplicationHandlerStop


async def available(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark the mentor available for new alerts."""
    await _set_available(update, context, True)


async def away(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark the mentor away: no new alerts."""
    await _set_available(update, context, False)


async def waiting(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/waiting: the requests waiting for a person, each with an Accept button."""
    assert update.effective_user is not None
    try:
        reply = await asyncio.to_thread(_desk(context).waiting, update.effective_user.id)
    except NotAMentor:
        await _refuse(update)
        return
    await _answer(update, context, reply)
    raise ApplicationHandlerStop


async def _set_available(update: Update, context: ContextTypes.DEFAULT_TYPE, value: bool) -> None:
    assert update.effective_user is not None
    try:
        await _answer(
            update,
            context,
            await asyncio.to_thread(_desk(context).set_available, update.effective_user.id, value),
        )
    except NotAMentor:
        await _refuse(update)
    raise ApplicationHandlerStop


async def end(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """End the mentor's conversation (the one replied to, or their only one)."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    assert user is not None and chat is not None and message is not None
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    try:
        reply = await asyncio.to_thread(_desk(context).end, user.id, None, chat.id, reply_to)
    except NotAMentor:
        await _refuse(update)
    await _answer(update, context, reply)
    raise ApplicationHandlerStop


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Accept or End buttons on mentor messages."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None and query.data is not None
    if chat.type != ChatType.PRIVATE:
        await query.answer()
        raise ApplicationHandlerStop
    _prefix, verb, number = query.data.split(":", 2)
    desk = _desk(context)
    try:
        if verb == "accept":
            # None when accepted: the conversation's first message comes through the outbox.
            reply = await asyncio.to_thread(desk.accept, user.id, int(number))
        else:
            reply = await asyncio.to_thread(desk.end, user.id, int(number), chat.id)
    except NotAMentor:
        await _refuse(update)
    except ValueError:
        await query.answer()
        raise ApplicationHandlerStop from None
    await query.answer()
    await _answer(update, context, reply)
    raise ApplicationHandlerStop


async def relay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A mentor's message: relay it to the right parent."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    desk = _desk(context)
    if not message.text:
        # A voice note, photo or file (bot/gateway/channels/telegram/media.py).
        await media.from_mentor(update, context)
        return
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    try:
        # One thread hop for every private message: a parent's is refused here and goes on.
        problem = await asyncio.to_thread(desk.reply, user.id, message.text, reply_to, chat.id)
    except NotAMentor:
        return
    await _answer(update, context, problem)
    raise ApplicationHandlerStop


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A parent's /cancel: stop waiting for a mentor, or end the conversation with one."""
    await parent_handlers.route_message(update, context, "payload", payload=CANCEL_PAYLOAD)
    raise ApplicationHandlerStop


def mentor_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """The mentors' handlers, which see every update before the parents' (bot.gateway.channels.telegram.channel).

    Private chats only: an invite redeemed in a group would send parents' words to everyone
    in it, so in a group nothing here answers (and the parents' handlers are private too).
    """
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", register, filters=private),
        CommandHandler("available", available, filters=private),
        CommandHandler("away", away, filters=private),
        CommandHandler("waiting", waiting, filters=private),
        CommandHandler("end", end, filters=private),
        CallbackQueryHandler(button, pattern=r"^handoff:(accept|end):\d+$"),
        MessageHandler(private & ~filters.COMMAND, relay),
        CommandHandler("cancel", cancel, filters=private),
        # Anything else from a group (a button on an old message, say) stops here.
        TypeHandler(Update, _ignore_group),
    ]


async def _ignore_group(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        log.warning("telegram update from a %s chat ignored", chat.type)
        raise ApplicationHandlerStop
