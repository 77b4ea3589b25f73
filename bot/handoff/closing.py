"""Every way an active handoff stops or moves on, each telling both sides:
the mentor ends it, the parent ends it, nobody writes for too long, or the mentor leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.core import REGISTERED_MENTOR_STATUSES, HandoffState, Outbound
from bot.handoff import delivery, queue
from bot.handoff.alerts import retire_alerts, send_alerts
from bot.handoff.buttons import feedback_buttons
from bot.handoff.delivery import Parents
from bot.handoff.notices import nobody_on_duty
from bot.i18n import N_, translate
from bot.settings import Settings
from bot.store.models import Conversation, Handoff, Mentor

YOUR_MENTOR = N_("your mentor")


def reachable(mentor: Mentor | None) -> bool:
    """A mentor who can still get the parent's messages (paused mentors keep their chats)."""
    return (
        mentor is not None
        and mentor.telegram_chat_id is not None
        and mentor.status in REGISTERED_MENTOR_STATUSES
    )


def _name(mentor: Mentor | None, language: str) -> str:
    return mentor.name if mentor is not None else translate(language, YOUR_MENTOR)


def _back_to_the_bot(
    session: Session, conversation: Conversation, text: str, parents: Parents
) -> None:
    """Tell the parent the assistant is back, with the one-tap feedback question."""
    parents.send(session, conversation, Outbound(text, buttons=feedback_buttons(), sender="system"))


def _tell_mentor(session: Session, mentor: Mentor | None, text_for: Callable[[str], str]) -> None:
    if reachable(mentor):
        assert mentor is not None and mentor.telegram_chat_id is not None
        delivery.to_mentor(session, mentor.telegram_chat_id, text_for(mentor.language_list[0]))


def end_by_mentor(
    session: Session, handoff: Handoff, mentor: Mentor, now: datetime, parents: Parents
) -> bool:
    """The mentor sent /end or tapped End; False when it was not active any more."""
    if not queue.end(session, handoff.id, "mentor", now):
        return False
    language = handoff.conversation.language
    _back_to_the_bot(
        session,
        handoff.conversation,
        translate(
            language,
            "{name} has ended the conversation. I am the automated assistant again. How was your chat with them?",
            name=mentor.name,
        ),
        parents,
    )
    return True


def end_by_parent(session: Session, handoff: Handoff, now: datetime) -> Outbound | None:
    """The parent ended it (/cancel, or End the conversation); returns their reply."""
    mentor, number = handoff.mentor, handoff.id
    if not queue.end(session, number, "parent", now):
        return None
    _tell_mentor(
        session,
        mentor,
        lambda lang: translate(
            lang, "Parent #{number} has ended the conversation. Thank you.", number=number
        ),
    )
    language = handoff.conversation.language
    return Outbound(
        translate(
            language,
            "You have ended the conversation with {name}. I am the automated assistant again. How was your chat with them?",
            name=_name(mentor, language),
        ),
        buttons=feedback_buttons(),
        sender="system",
    )


def end_idle(
    session: Session, handoff: Handoff, hours: int, now: datetime, parents: Parents
) -> bool:
    """Neither side wrote for HANDOFF_IDLE_HOURS: end it and tell both."""
    mentor, number = handoff.mentor, handoff.id
    if not queue.end(session, number, "idle", now):
        return False
    _tell_mentor(
        session,
        mentor,
        lambda lang: translate(
            lang,
            "The conversation with parent #{number} has ended, as nobody wrote for {hours} hours.",
            number=number,
            hours=hours,
        ),
    )
    language = handoff.conversation.language
    _back_to_the_bot(
        session,
        handoff.conversation,
        translate(
            language,
            "Your conversation with {name} has ended, as nobody wrote for {hours} hours. I am the automated assistant again. If you still need a person, just ask. How was your chat?",
            name=_name(mentor, language),
            hours=hours,
        ),
        parents,
    )
    return True


def mentor_left(
    session: Session, settings: Settings, handoff: Handoff, now: datetime
) -> list[Outbound]:
    """Put the handoff back in the queue and alert other mentors; returns what to tell the parent.

    Used when the mentor was removed, or can no longer be reached: the parent is never left
    writing into silence.
    """
    if not queue.requeue(session, handoff.id):
        return []
    language = handoff.conversation.language
    told = [
        Outbound(
            translate(
                language,
                "Sorry, your mentor had to leave the conversation. I am finding someone else for you, who will reply here as soon as they can.",
            ),
            sender="system",
        )
    ]
    if not send_alerts(session, settings, handoff, now):
        told.append(nobody_on_duty(session, settings, language, now))
    return told


def undelivered(language: str) -> Outbound:
    """Added when the parent's own message was among those that did not reach the mentor."""
    return Outbound(
        translate(
            language,
            "Your last message did not reach them. Please write it again when someone new joins.",
        ),
        sender="system",
    )


def release_mentor(
    session: Session, settings: Settings, mentor_id: int, now: datetime, parents: Parents
) -> int:
    """Every conversation a departing mentor holds goes back to the queue; returns how many."""
    moved = 0
    for handoff in list(queue.active_for_mentor(session, mentor_id)):
        conversation = handoff.conversation
        told = mentor_left(session, settings, handoff, now)
        for outbound in told:
            parents.send(session, conversation, outbound)
        moved += bool(told)
    return moved


def just_ended(language: str) -> Outbound:
    """For a parent's message that arrived as the conversation ended: it went to nobody."""
    return Outbound(
        translate(
            language,
            "Your conversation with the mentor has ended, so this message did not reach them. I am the automated assistant again.",
        ),
        sender="system",
    )


def close_for_erasure(session: Session, handoff: Handoff) -> None:
    """The parent asked to delete everything: close the handoff and tell its mentor, no text."""
    mentor = handoff.mentor if handoff.state == HandoffState.ACTIVE else None
    number = handoff.id
    closed = queue.end(session, number, "erased") or queue.cancel(session, number)
    if closed:
        _tell_mentor(
            session,
            mentor,
            lambda lang: translate(
                lang,
                "Parent #{number} asked us to delete their data. The conversation has ended.",
                number=number,
            ),
        )
    retire_alerts(
        session, number, lambda lang: translate(lang, "This request is no longer waiting.")
    )
