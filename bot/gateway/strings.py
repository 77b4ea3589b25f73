"""The web chat page's own words, served translated so that they live in the babel catalogs."""

from __future__ import annotations

from bot.conversations.notice import web_notice
from bot.conversations.welcome import welcome
from bot.core import LANGUAGE_NAMES
from bot.i18n import N_, translate

PAGE_STRINGS = {
    "title": N_("Family Hub helper"),
    "subtitle": N_("An automated assistant for parents of babies and young children"),
    "choose_language": N_("Choose your language"),
    "agree": N_("I agree"),
    "decline": N_("Do not keep my messages"),
    "message_label": N_("Your message"),
    "placeholder": N_("Write your message"),
    "send": N_("Send"),
    "typing": N_("The assistant is writing…"),
    "from_person": N_("From a person: {name}"),
    "from_person_unnamed": N_("From a person"),
    "you": N_("You"),
    "assistant": N_("Assistant"),
    "delete": N_("Delete my conversation"),
    "delete_confirm": N_(
        "Delete everything we hold about this conversation? This cannot be undone."
    ),
    "delete_yes": N_("Yes, delete everything"),
    "delete_no": N_("No, keep it"),
    "deleted": N_("Done. Your conversation has been deleted."),
    "language": N_("Language"),
    "reconnecting": N_("Connection lost. Reconnecting…"),
    "offline": N_("Could not send. Check your connection and try again."),
    "too_long": N_(
        "Your message is too long. Please keep it under {limit} characters, or send it in parts."
    ),
    "new_chat": N_("Start a new conversation"),
}


def page_strings(language: str, retention_days: int, max_chars: int) -> dict[str, object]:
    """Every UI string of the page in one language, plus the notice and the limits."""
    strings = {key: translate(language, msgid) for key, msgid in PAGE_STRINGS.items()}
    # Placeholders the page fills itself keep their braces.
    strings["from_person"] = translate(language, PAGE_STRINGS["from_person"], name="{name}")
    strings["too_long"] = translate(language, PAGE_STRINGS["too_long"], limit=max_chars)
    greeting = welcome(language)
    return {
        "language": language,
        "languages": LANGUAGE_NAMES,
        "strings": strings,
        "notice": web_notice(language, retention_days),
        # The first screen after the notice: a greeting and the main things, as buttons.
        "welcome": {
            "text": greeting.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in greeting.buttons],
        },
        "retention_days": retention_days,
        "max_message_chars": max_chars,
    }
