"""The gateway's own replies, for when a turn answers instead of Rasa (all translated)."""

from __future__ import annotations

from bot.core import TALK_TO_HUMAN_PAYLOAD, Button, Outbound
from bot.i18n import N_, translate

# The screen cannot hear a voice note or see a photo, so the reply to one always ends with
# where to get urgent help.
URGENT_HELP = N_(
    "If you need help urgently, call 999, or call NHS 111 and choose the mental health option."
)
# What the transcript shows for a parent's voice note, photo or file (and its caption).
MEDIA_SHOWN = {
    "voice": N_("Voice note"),
    "audio": N_("Audio"),
    "video_note": N_("Video note"),
    "video": N_("Video"),
    "photo": N_("Photo"),
    "document": N_("File"),
}
MEDIA_ICONS = {"voice": "🎤", "audio": "🎵", "video_note": "📹", "video": "📹", "photo": "📷"}


def _human_button(language: str) -> list[Button]:
    return [Button(translate(language, "Talk to a person"), TALK_TO_HUMAN_PAYLOAD)]


def media_shown(language: str, kind: str, caption: str) -> str:
    """ "🎤 Voice note", with the caption after it, as the parent's side of the transcript."""
    name = translate(language, MEDIA_SHOWN.get(kind, MEDIA_SHOWN["document"]))
    shown = f"{MEDIA_ICONS.get(kind, '📎')} {name}"
    return f"{shown}: {caption}" if caption else shown


def empty(language: str) -> Outbound:
    return Outbound(translate(language, "Please write a message."), sender="system")


def too_long(language: str, limit: int) -> Outbound:
    return Outbound(
        translate(
            language,
            "Your message is too long. Please keep it under {limit} characters, or send it in parts.",
            limit=limit,
        ),
        sender="system",
    )


def not_text(language: str) -> Outbound:
    """A voice note, photo, file or sticker outside a conversation with a mentor."""
    sorry = translate(
        language,
        "Sorry, I can only read text messages, not voice notes, photos or files. Please write to me, or ask to talk to a person.",
    )
    return Outbound(
        f"{sorry}\n\n{translate(language, URGENT_HELP)}",
        buttons=[
            Button(translate(language, "Talk to a person who can listen"), TALK_TO_HUMAN_PAYLOAD)
        ],
        sender="system",
    )


def unknown_command(language: str) -> Outbound:
    return Outbound(
        translate(
            language,
            "Sorry, I do not know that command. Please write what you need, or type help to see what I can do.",
        ),
        sender="system",
    )


def unknown_payload(language: str) -> Outbound:
    return Outbound(
        translate(
            language,
            "Sorry, I did not understand that button. Please write what you need, or type help to see what I can do.",
        ),
        sender="system",
    )


def too_fast(language: str, seconds: int) -> Outbound:
    return Outbound(
        translate(
            language,
            "You are sending messages very quickly. Please wait {seconds} seconds and try again.",
            seconds=seconds,
        ),
        sender="system",
    )


def unavailable(language: str) -> Outbound:
    return Outbound(
        translate(
            language,
            "Sorry, I cannot answer right now because of a technical problem. Please try again in a few minutes. To talk to a person, tap the button below. If you need help now, call NHS 111 (choose the mental health option) or Samaritans on 116 123. In an emergency, call 999.",
        ),
        buttons=_human_button(language),
        sender="system",
    )


def no_answer(language: str) -> Outbound:
    return Outbound(
        translate(
            language,
            "Sorry, I could not answer that just now. Please try again, or ask to talk to a person.",
        ),
        buttons=_human_button(language),
        sender="system",
    )


def ended(language: str) -> Outbound:
    return Outbound(
        translate(language, "This conversation has ended. Please start a new one."),
        sender="system",
    )


def erased(language: str) -> Outbound:
    return Outbound(
        translate(language, "Done. I have deleted everything we held about you."),
        sender="system",
    )


def no_mentors(language: str) -> Outbound:
    return Outbound(
        translate(
            language,
            "I cannot put you in touch with a person through this chat yet. For support now, call NHS 111 (choose the mental health option) or Samaritans on 116 123. In an emergency, call 999.",
        ),
        sender="system",
    )
