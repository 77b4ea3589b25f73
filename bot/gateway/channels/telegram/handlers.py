"""The parent's side of Telegram: one small handler per kind of update."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback

from telegram import Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.conversations import notice
from bot.core import (
    HELP_PAYLOAD,
    LANGUAGE_NAMES,
    LANGUAGES,
    TALK_TO_HUMAN_PAYLOAD,
    Button,
    Inbound,
    InboundKind,
    Outbound,
    Reply,
)
from bot.gateway.channels.telegram import updates
from bot.gateway.channels.telegram.dependencies import ChatConversation, deps
from bot.gateway.channels.telegram.outgoing import keyboard, send_reply
from bot.gateway.payloads import choose_language_payload
from bot.i18n import N_, translate

log = logging.getLogger(__name__)

FORGET_YES = "forget:yes"
FORGET_NO = "forget:no"
CHOOSE_LANGUAGE = N_("Which language would you like?")
WELCOME = N_(
    "Hello! I am the Family Hub assistant, an automated helper, not a person. I can tell you about groups for parents and babies, maternity mentors and support with how you feel. I can also put you in touch with a real person."
)


def language_buttons() -> list[Button]:
    """Language names are written in their own language, never translated."""
    return [Button(LANGUAGE_NAMES[code], choose_language_payload(code)) for code in LANGUAGES]


def _welcome(language: str) -> Outbound:
    return Outbound(translate(language, WELCOME))


def _hint(update: Update) -> str | None:
    user = update.effective_user
    code = (user.language_code or "").split("-")[0].lower() if user else ""
    return code or None


def _chat_id(update: Update) -> int:
    if update.effective_chat is not None:
        return update.effective_chat.id
    assert update.effective_user is not None
    return update.effective_user.id


def written(update: Update) -> str:
    """What the parent wrote: a message's text (a command's whole line) or a caption.

    Never the text of a button tap's message, which is the bot's own.
    """
    message = update.effective_message
    if update.callback_query is not None or message is None:
        return ""
    return message.text or message.caption or ""


async def _conversation(
    update: Update, context: ContextTypes.DEFAULT_TYPE, hint: str | None = None
) -> ChatConversation:
    chats = deps(context).chats
    return await asyncio.to_thread(chats.for_telegram_chat, _chat_id(update), hint or _hint(update))


async def route_message(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    kind: InboundKind,
    *,
    text: str = "",
    payload: str | None = None,
    hint: str | None = None,
) -> None:
    """Take one message through a parent's turn and send its replies to the chat.

    The turn screens `text` for a crisis, so a command sends its whole line beside its payload.
    """
    wiring = deps(context)
    text = text or written(update)
    conversation = await _conversation(update, context, hint)
    chat_id = _chat_id(update)
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    inbound = Inbound(
        channel="telegram",
        conversation_id=conversation.id,
        kind=kind,
        text=text,
        payload=payload,
        language_hint=hint or _hint(update),
    )
    reply = await wiring.take_turn(inbound)
    await send_reply(context.bot, chat_id, reply, wiring.payloads)


async def once(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record the update id first and stop a re-delivered update from being handled again."""
    if not await asyncio.to_thread(updates.first_time, deps(context).db, update.update_id):
        log.info("telegram update %s skipped: already handled", update.update_id)
        raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: welcome with language buttons; `/start so` picks the language.

    A mentor's `/start CODE` (an invite) never gets here: the mentors' handlers take it first.
    """
    argument = context.args[0].strip() if context.args else ""
    wiring = deps(context)
    chat_id = _chat_id(update)
    if argument.lower() in LANGUAGES:
        chosen = argument.lower()
        await send_reply(context.bot, chat_id, Reply(chosen, [_welcome(chosen)]), wiring.payloads)
        await route_message(
            update, context, "payload", payload=choose_language_payload(chosen), hint=chosen
        )
        return
    lang = (await _conversation(update, context)).language
    messages = [_welcome(lang), Outbound(translate(lang, CHOOSE_LANGUAGE), language_buttons())]
    await send_reply(context.bot, chat_id, Reply(lang, messages), wiring.payloads)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: what the assistant can do, answered by a turn."""
    await route_message(update, context, "payload", payload=HELP_PAYLOAD)


async def human(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/human: ask for a person, as the talk_to_human payload."""
    await route_message(update, context, "payload", payload=TALK_TO_HUMAN_PAYLOAD)


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language [so|tr|en]: switch at once, or show the language buttons."""
    argument = context.args[0].strip().lower() if context.args else ""
    if argument in LANGUAGES:
        await route_message(
            update, context, "payload", payload=choose_language_payload(argument), hint=argument
        )
        return
    conversation = await _conversation(update, context)
    lang = conversation.language
    reply = Reply(lang, [Outbound(translate(lang, CHOOSE_LANGUAGE), language_buttons())])
    await send_reply(context.bot, _chat_id(update), reply, deps(context).payloads)


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: what is kept, for how long, who sees it, and how to delete it."""
    wiring = deps(context)
    conversation = await _conversation(update, context)
    text = notice.telegram_notice(conversation.language, wiring.settings.retention_days)
    reply = Reply(conversation.language, [Outbound(text)])
    await send_reply(context.bot, _chat_id(update), reply, wiring.payloads)


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget: ask for confirmation before erasing anything."""
    conversation = await _conversation(update, context)
    lang = conversation.language
    buttons = [
        Button(translate(lang, "Yes, delete everything"), FORGET_YES),
        Button(translate(lang, "No, keep it"), FORGET_NO),
    ]
    markup = keyboard(buttons, deps(context).payloads)
    text = translate(
        lang,
        "Do you want me to delete everything we hold about you? That is your messages, your language choice and any request for a person. This cannot be undone.",
    )
    await context.bot.send_message(_chat_id(update), text, reply_markup=markup)


async def forget_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on the /forget confirmation: erase, or keep, then say which."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    conversation = await _conversation(update, context)
    lang = conversation.language
    if query.data == FORGET_YES:
        await deps(context).erase(conversation.id)
        log.info("telegram conversation erased on request")
        text = translate(lang, "Done. I have deleted everything we held about you.")
    else:
        text = translate(lang, "Nothing was deleted.")
    await query.edit_message_text(text, reply_markup=None)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on an inline button: answer the query, then route its payload."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    data = query.data or ""
    # An unknown short key still goes to a turn, which refuses it with a clear message.
    payload = deps(context).payloads.decode(data) or data
    await route_message(update, context, "payload", payload=payload)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message: a parent's turn."""
    assert update.effective_message is not None
    await route_message(update, context, "text", text=update.effective_message.text or "")


async def other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other /command: typed text, which a turn reads as a command or refuses clearly."""
    await route_message(update, context, "text")


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Voice notes, photos, stickers, files, locations: the turn's kind 'text only' reply.

    A caption goes with it, for the crisis screen: a crisis caption gets the crisis reply.
    """
    await route_message(update, context, "unsupported")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a failed update by id and error type only, then tell the parent something went wrong."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # The traceback's frames, but not the exception's message, which may quote the parent.
    frames = "".join(traceback.format_tb(error.__traceback__)) if error is not None else ""
    log.error("telegram update %s failed: %s\n%s", update_id, type(error).__name__, frames)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    hint = _hint(update)
    lang = hint if hint in LANGUAGES else "en"
    with contextlib.suppress(TelegramError):
        await context.bot.send_message(
            update.effective_chat.id,
            translate(
                lang, "Sorry, something went wrong on our side. Please try again in a moment."
            ),
        )
