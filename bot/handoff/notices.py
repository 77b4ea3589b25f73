"""What the parent is told about their request: the share question, and when mentors work."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from sqlalchemy.orm import Session

from bot.core import Outbound
from bot.handoff import matching
from bot.handoff.buttons import share_buttons
from bot.i18n import translate
from bot.settings import Settings


def consent_question(language: str) -> Outbound:
    return Outbound(
        translate(
            language,
            "Can I share our recent messages with the mentor, so you do not have to repeat yourself? If not, they will only see your language and topic.",
        ),
        buttons=share_buttons(language),
    )


def asked_mentors(language: str) -> Outbound:
    return Outbound(
        translate(
            language,
            "I have asked our mentors. Someone who can help will reply here as soon as they can.",
        )
    )


def waiting_in_list(language: str) -> Outbound:
    """A request past the day's cap of alerts: it waits where mentors look, with no new alert."""
    return Outbound(
        translate(
            language,
            "Your request is in the list that our mentors check. Someone will reply here as soon as they can.",
        )
    )


def nobody_on_duty(session: Session, settings: Settings, language: str, now: datetime) -> Outbound:
    """Honest about when someone will answer, with other ways to get help now."""
    start = matching.next_duty_start(session, settings, now)
    when = (
        format_datetime(start, "EEEE HH:mm", tzinfo=start.tzinfo, locale=language) if start else "?"
    )
    return Outbound(
        translate(
            language,
            "Our mentors are not working right now. Your request is saved and someone will reply from {when}. If you need help now, call NHS 111 (choose the mental health option) or Samaritans on 116 123. In an emergency, call 999.",
            when=when,
        )
    )
