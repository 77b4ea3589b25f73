"""Telegram handlers of the handoff: mentors (register, availability, accept, relay, end), parents' /cancel.

Every desk call touches the database, so it runs in a worker thread (`call`), never on the
event loop: a busy SQLite file must not stall every other chat.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.ext._handlers.basehandler import BaseHandler

from bot.core import LANGUAGES
from bot.gateway.channels.telegram import handlers as parent_handlers
from bot.gateway.channels.telegram.application import GROUP_EXTENSIONS, Extension
from bot.gateway.channels.telegram.dependencies import call
from bot.handoff.desk import DeskReply, MentorDesk, NotAMentor
from bot.handoff.service import CANCEL
from bot.i18n import translate

log = logging.getLogger(__name__)

# Mentor handlers run before the parent handlers (group 0), and stop them when they apply.
GROUP = GROUP_EXTENSIONS
DESK_KEY = "desk"
CANCEL_PAYLOAD = f"/{CANCEL}"


def _desk(context: ContextTypes.DEFAULT_TYPE) -> MentorDesk:
    return context.bot_data[DESK_KEY]  # type: ignore[no-any-return]


def _markup(reply: DeskReply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(title, callback_data=data)] for title, data in reply.buttons]
    )


async def _answer(update: Update, reply: DeskReply | None) -> None:
    """Send the desk's answer in the mentor's chat; None means there is nothing to say."""
    if reply is not None and update.effective_chat is not None:
        await update.effective_chat.send_message(reply.text, reply_markup=_markup(reply))


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
    reply = await call(_desk(context).register, context.args[0], user.id, chat.id)
    if reply is None:
        return
    await _answer(update, reply)
    raise ApplicationHandlerStop


async def available(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark the mentor available for new alerts."""
    await _set_available(update, context, True)


async def away(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark the mentor away: no new alerts."""
    await _set_available(update, context, False)


async def _set_available(update: Update, context: ContextTypes.DEFAULT_TYPE, value: bool) -> None:
    assert update.effective_user is not None
    try:
        await _answer(
            update, await call(_desk(context).set_available, update.effective_user.id, value)
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
        reply = await call(_desk(context).end, user.id, None, chat.id, reply_to)
    except NotAMentor:
        await _refuse(update)
    await _answer(update, reply)
    raise ApplicationHandlerStop


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Accept or End buttons on mentor messages."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None and query.data is not None
    _prefix, verb, number = query.data.split(":", 2)
    desk = _desk(context)
    try:
        if verb == "accept":
            # None when accepted: the conversation's first message comes through the outbox.
            reply = await call(desk.accept, user.id, int(number))
        else:
            reply = await call(desk.end, user.id, int(number), chat.id)
    except NotAMentor:
        await _refuse(update)
    except ValueError:
        await query.answer()
        raise ApplicationHandlerStop from None
    await query.answer()
    await _answer(update, reply)
    raise ApplicationHandlerStop


async def relay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A mentor's message: relay it to the right parent."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    desk = _desk(context)
    if not message.text:
        if not await call(desk.is_mentor, user.id):
            return
        language = "en"
        await chat.send_message(
            translate(language, "Only text messages can be passed on to parents.")
        )
        raise ApplicationHandlerStop
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    try:
        # One thread hop for every private message: a parent's is refused here and goes on.
        problem = await call(desk.reply, user.id, message.text, reply_to, chat.id)
    except NotAMentor:
        return
    await _answer(update, problem)
    raise ApplicationHandlerStop


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A parent's /cancel: stop waiting for a mentor, or end the conversation with one."""
    await parent_handlers.route_message(update, context, "payload", payload=CANCEL_PAYLOAD)
    raise ApplicationHandlerStop


def mentor_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """The handlers to add in GROUP, before the parent handlers."""
    return [
        CommandHandler("start", register),
        CommandHandler("available", available),
        CommandHandler("away", away),
        CommandHandler("end", end),
        CallbackQueryHandler(button, pattern=r"^handoff:(accept|end):\d+$"),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, relay),
        CommandHandler("cancel", cancel, filters=filters.ChatType.PRIVATE),
    ]


def extension(desk: MentorDesk) -> Extension:
    """The `build_application` extension that adds the handoff's handlers and its desk."""

    def extend(application: Application) -> None:  # type: ignore[type-arg]
        application.bot_data[DESK_KEY] = desk
        for handler in mentor_handlers():
            application.add_handler(handler, group=GROUP)

    return extend
