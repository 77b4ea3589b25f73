"""The privacy notice: what is kept, for how long, who sees it, and how to delete it."""

from __future__ import annotations

from bot.conversations.welcome import menu
from bot.core import Button, Outbound
from bot.i18n import N_, translate

CONSENT_INTENT = "privacy_consent"
CONSENT_YES = f'/{CONSENT_INTENT}{{"consent": "yes"}}'
CONSENT_NO = f'/{CONSENT_INTENT}{{"consent": "no"}}'
# The reports' daily counts (bot.analytics) hold nothing about any one parent, so erasure
# leaves them: the notice says so (docs/reports.md#what-is-counted).
COUNTED = N_(
    "We also count how often the service is used, for example how many people asked for a mentor each day. These counts say nothing about you, so they stay when you delete your conversation."
)


def web_notice(language: str, retention_days: int) -> str:
    return _with_counts(language, _web(language, retention_days))


def telegram_notice(language: str, retention_days: int) -> str:
    return _with_counts(language, _telegram(language, retention_days))


def _with_counts(language: str, notice: str) -> str:
    return f"{notice} {translate(language, COUNTED)}"


def _web(language: str, retention_days: int) -> str:
    return translate(
        language,
        "Before we start: this is an automated assistant, not a person. If you agree, we keep your messages for {days} days so that we can help you, then delete them. Family Hub staff can see them. If you ask for a person, a mentor from a partner organisation can see them too. We never share them with anyone else. You can delete your conversation at any time.",
        days=retention_days,
    )


def _telegram(language: str, retention_days: int) -> str:
    return translate(
        language,
        "Your privacy: we keep your messages for {days} days so that we can help you, then delete them. Family Hub staff can see them. If you ask for a person, a mentor from a partner organisation can see them too. We never share them with anyone else. Send /forget at any time to delete everything we hold about you.",
        days=retention_days,
    )


def notice_message(language: str, channel: str, retention_days: int) -> Outbound:
    """The notice with its two consent buttons, for a client that has not shown it yet."""
    text = (
        telegram_notice(language, retention_days)
        if channel == "telegram"
        else web_notice(language, retention_days)
    )
    return Outbound(
        text,
        buttons=[
            Button(translate(language, "I agree"), CONSENT_YES),
            Button(translate(language, "Do not keep my messages"), CONSENT_NO),
        ],
        sender="system",
    )


def consent_reply(language: str, consent: bool) -> Outbound:
    """The answer to the notice's buttons: the first screen, a greeting and the main buttons."""
    if consent:
        text = translate(language, "Thank you. Tap what you need, or write to me.")
    else:
        text = translate(
            language,
            "That is fine: I will not keep your messages. Tap what you need, or write to me.",
        )
    return Outbound(text, menu(language), sender="system")
