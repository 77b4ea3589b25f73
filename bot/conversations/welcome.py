"""The first screen, after the privacy notice: a short greeting and the main things the service
does, as buttons, so that a parent who reads and writes little need not type anything.

The same buttons as the greeting's in the domain (bot/domain/welcome.yml, `utter_greet`), without
the language button (the language is chosen by then). The web chat page shows them from
/api/strings; Telegram with the reply to the notice's buttons (`notice.consent_reply`).
"""

from __future__ import annotations

from bot.core import TALK_TO_HUMAN_PAYLOAD, Button, Outbound
from bot.i18n import N_, translate

# Groups, a maternity mentor, feeling low, feeding, the nearest Family Hub, a person.
MENU = (
    (N_("Groups and activities"), "/find_groups"),
    (N_("A maternity mentor"), "/find_mentor"),
    (N_("I'm not feeling OK"), "/mental_health"),
    (N_("Feeding my baby"), "/infant_feeding"),
    (N_("Find a Family Hub"), "/find_hub"),
    (N_("Talk to a person"), TALK_TO_HUMAN_PAYLOAD),
)
GREETING = N_("Hello! Tap what you need, or write to me.")


def menu(language: str) -> list[Button]:
    """The first screen's buttons, in `language`."""
    return [Button(translate(language, title), payload) for title, payload in MENU]


def welcome(language: str) -> Outbound:
    """The greeting and the buttons, for a screen that opens on a conversation already agreed."""
    return Outbound(translate(language, GREETING), menu(language), sender="system")
