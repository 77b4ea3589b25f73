"""Alerting mentors about a waiting parent, and retiring the alerts once it is settled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from babel.dates import format_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import Button
from bot.handoff import delivery, matching
from bot.handoff.outbox import cancel
from bot.i18n import N_, translate
from bot.i18n.formats import language_name
from bot.settings import Settings
from bot.store.models import Handoff, HandoffAlert, OutboxItem

ACCEPT = "handoff:accept:{id}"
TOPICS = {
    "crisis": N_("possible crisis"),
    "mental_health": N_("feeling low or anxious"),
    "find_mentor": N_("a maternity mentor"),
    "talk_to_human": N_("asked to talk to a person"),
    "infant_feeding": N_("feeding"),
    "find_groups": N_("groups and activities"),
    "fallback": N_("the assistant did not understand"),
}


def topic_label(topic: str | None, language: str) -> str:
    return translate(language, TOPICS.get(topic or "", N_("asked to talk to a person")))


def about(handoff: Handoff, mentor_language: str) -> list[str]:
    """The parent's language and topic: all a mentor learns without the parent's consent."""
    return [
        translate(
            mentor_language,
            "Language: {language_name}",
            language_name=language_name(handoff.language, mentor_language),
        ),
        translate(
            mentor_language, "Topic: {topic}", topic=topic_label(handoff.topic, mentor_language)
        ),
    ]


def alert_text(handoff: Handoff, mentor_language: str, settings: Settings, *, flagged: bool) -> str:
    lines = []
    if handoff.urgent:
        lines.append("🚨 " + translate(mentor_language, "URGENT: this parent may be in crisis."))
    lines.append(
        "🔔 "
        + translate(
            mentor_language, "A parent is asking for a person (#{number}).", number=handoff.id
        )
    )
    lines += about(handoff, mentor_language)
    since = format_time(handoff.requested_at, "HH:mm", tzinfo=settings.zone, locale=mentor_language)  # type: ignore[arg-type]
    lines.append(translate(mentor_language, "Waiting since {time}", time=since))
    if flagged:
        lines.append(
            "⚠️ "
            + translate(
                mentor_language,
                "Nobody on duty speaks this language. Please accept only if you can help, for example with an interpreter.",
            )
        )
    return "\n".join(lines)


def send_alerts(
    session: Session,
    settings: Settings,
    handoff: Handoff,
    now: datetime,
    *,
    wider: bool = False,
    urgent_update: bool = False,
) -> bool:
    """Queue an alert with an Accept button to every mentor who should see it; False if none."""
    chosen = matching.recipients(session, settings, handoff, now, wider=wider)
    if not chosen.mentors:
        return False
    for mentor in chosen.mentors:
        assert mentor.telegram_chat_id is not None
        language = mentor.language_list[0]
        alert = HandoffAlert(handoff_id=handoff.id, mentor_id=mentor.id)
        session.add(alert)
        session.flush()
        item = delivery.to_mentor(
            session,
            mentor.telegram_chat_id,
            alert_text(handoff, language, settings, flagged=chosen.language_flagged),
            buttons=[Button(translate(language, "Accept"), ACCEPT.format(id=handoff.id))],
            link={"handoff_id": handoff.id, "alert_id": alert.id},
            conversation_id=handoff.conversation_id,
        )
        alert.outbox_id = item.id
    handoff.alerted_at = handoff.alerted_at or now
    return True


def retire_alerts(
    session: Session,
    handoff_id: int,
    text_for: Callable[[str], str],
    *,
    keep_mentor_id: int | None = None,
) -> None:
    """Change every alert of a settled handoff (e.g. to "taken by …"), or stop unsent ones."""
    alerts = session.scalars(
        select(HandoffAlert).where(HandoffAlert.handoff_id == handoff_id)
    ).all()
    for alert in alerts:
        if alert.mentor_id == keep_mentor_id or alert.mentor.telegram_chat_id is None:
            continue
        text = text_for(alert.mentor.language_list[0])
        if alert.telegram_message_id is not None:
            delivery.edit_mentor_message(
                session, alert.mentor.telegram_chat_id, alert.telegram_message_id, text
            )
        elif alert.outbox_id is not None:
            item = session.get(OutboxItem, alert.outbox_id)
            if item is not None:
                cancel(session, [item])
