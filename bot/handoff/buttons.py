"""The parent's handoff buttons: payloads the gateway answers itself, before Rasa."""

from __future__ import annotations

from bot.core import Button
from bot.i18n import translate

SHARE = "handoff_share"
CANCEL = "handoff_cancel"  # stop waiting, or end the conversation with the mentor
END = "handoff_end"  # end the conversation with the mentor
FEEDBACK = "feedback"
PAYLOAD_INTENTS = frozenset({SHARE, CANCEL, END, FEEDBACK})
FEEDBACK_SCORES = ("good", "ok", "bad")
FEEDBACK_TITLES = {"good": "👍", "ok": "😐", "bad": "👎"}


def share_buttons(language: str) -> list[Button]:
    return [
        Button(translate(language, "Yes, share"), f'/{SHARE}{{"share": "yes"}}'),
        Button(translate(language, "No, do not share"), f'/{SHARE}{{"share": "no"}}'),
        Button(translate(language, "Cancel the request"), f"/{CANCEL}"),
    ]


def end_button(language: str) -> Button:
    return Button(translate(language, "End the conversation"), f"/{END}")


def feedback_buttons() -> list[Button]:
    return [
        Button(FEEDBACK_TITLES[score], f'/{FEEDBACK}{{"score": "{score}"}}')
        for score in FEEDBACK_SCORES
    ]
