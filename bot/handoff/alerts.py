"""Alerting mentors about a waiting parent, and retiring the alerts once it is settled.

One request, one round of alerts: a parent who writes again, or writes several crisis messages,
adds at most one "urgent" update to the mentors already alerted, and one conversation can push
at most HANDOFF_ALERTS_PER_DAY rounds of alerts in 24 hours. Past that, a request waits in the
list mentors see with /waiting, and each capped push is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from babel.dates import format_time
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core import Button
from bot.handoff import delivery, matching
from bot.handoff.outbox import cancel
from bot.i18n import N_, translate
from bot.i18n.formats import language_name
from bot.settings import Settings
from bot.store.models import Handoff, HandoffAlert, OutboxItem

log = logging.getLogger(__name__)

ACCEPT = "handoff:accept:{id}"
CRISIS_KINDS = {
    "suicide_self_harm": N_("suicide or self-harm"),
    "harm_to_baby": N_("fear of harming the baby"),
    "domestic_abuse": N_("domestic abuse"),
    "medical_emergency": N_("medical emergency"),
    "postpartum_psychosis": N_("possible postpartum psychosis"),
}
TOPICS = {
    "crisis": N_("possible crisis"),
    "mental_health": N_("feeling low or anxious"),
    "find_mentor": N_("a maternity mentor"),
    "talk_to_human": N_("asked to talk to a person"),
    "infant_feeding": N_("feeding"),
    "find_groups": N_("groups and activities"),
    "fallback": N_("the assistant did not understand"),
}


def topic_label(topic: str | None, language: str, crisis_kind: str | None = None) -> str:
    label = translate(language, TOPICS.get(topic or "", N_("asked to talk to a person")))
    if crisis_kind in CRISIS_KINDS:
        label += f" ({translate(language, CRISIS_KINDS[crisis_kind])})"
    return label


def about(handoff: Handoff, mentor_language: str) -> list[str]:
    """The parent's language and topic (with a crisis, its kind, so the mentor can take care in
    how they reply): all a mentor learns without the parent's consent."""
    topic = topic_label(handoff.topic, mentor_language, handoff.crisis_kind)
    lines = [
        translate(
            mentor_language,
            "Language: {language_name}",
            language_name=language_name(handoff.language, mentor_language),
        ),
        translate(mentor_language, "Topic: {topic}", topic=topic),
    ]
    if handoff.about_other:
        lines.append(translate(mentor_language, "The parent is writing about someone else."))
    return lines


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


def alert_request(
    session: Session,
    settings: Settings,
    handoff: Handoff,
    now: datetime,
    *,
    created: bool,
    was_urgent: bool,
) -> bool:
    """Alert mentors about a request once, plus one urgent update at most; True when mentors
    have been alerted (now or before). A new request past the day's cap is queued unpushed."""
    if created:
        rounds = alert_rounds_today(session, handoff.conversation_id, now)
        if rounds >= settings.handoff_alerts_per_day:
            handoff.alerts_capped = True
            log.warning("handoff %s: alerts not pushed (%s rounds today)", handoff.id, rounds)
            return False
        return send_alerts(session, settings, handoff, now)
    if handoff.alerts_capped:
        log.warning("handoff %s: urgent update not pushed (alerts capped)", handoff.id)
        return False
    if handoff.alerted_at is None:
        # Nobody has been alerted yet (no mentor on duty): try again, as an urgent request.
        return handoff.urgent and send_alerts(session, settings, handoff, now)
    if not handoff.urgent:
        return True  # a repeated ordinary request: the mentors already have its alert
    if handoff.urgent_update_at is not None:
        log.warning("handoff %s: another urgent update not pushed (one sent)", handoff.id)
        return True
    handoff.urgent_update_at = now
    send_update(session, handoff, still=was_urgent)
    return True


def alert_rounds_today(session: Session, conversation_id: str, now: datetime) -> int:
    """How many of a conversation's requests alerted mentors in the last 24 hours."""
    found = session.scalar(
        select(func.count())
        .select_from(Handoff)
        .where(
            Handoff.conversation_id == conversation_id,
            Handoff.alerted_at.is_not(None),
            Handoff.alerted_at >= now - timedelta(hours=24),
        )
    )
    return int(found or 0)


def send_update(session: Session, handoff: Handoff, *, still: bool) -> None:
    """Tell the mentors already alerted that the request is (still) urgent, with Accept again."""
    alerts = session.scalars(select(HandoffAlert).where(HandoffAlert.handoff_id == handoff.id))
    for mentor in {alert.mentor for alert in alerts}:
        if mentor.telegram_chat_id is None:
            continue
        language = mentor.language_list[0]
        text = (
            N_("STILL URGENT: parent #{number} wrote again and may be in crisis.")
            if still
            else N_("NOW URGENT: parent #{number} may be in crisis.")
        )
        delivery.to_mentor(
            session,
            mentor.telegram_chat_id,
            "🚨 " + translate(language, text, number=handoff.id),
            buttons=[Button(translate(language, "Accept"), ACCEPT.format(id=handoff.id))],
            link={"handoff_id": handoff.id},
            conversation_id=handoff.conversation_id,
        )


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
