"""The parent's side of a handoff: ask for a person, share consent, wait, cancel, relay, feedback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from babel.dates import format_datetime
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.gateway.messages import Button, Outbound
from bot.handoff import delivery, matching, queue
from bot.handoff.alerts import retire_alerts, send_alerts
from bot.i18n import translate
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Conversation, Handoff, Message, utcnow

log = logging.getLogger(__name__)

# Button payloads the gateway answers itself, before Rasa.
SHARE = "handoff_share"
CANCEL = "handoff_cancel"
FEEDBACK = "feedback"
PAYLOAD_INTENTS = frozenset({SHARE, CANCEL, FEEDBACK})
FEEDBACK_SCORES = ("good", "ok", "bad")


class HandoffService:
    """What the router calls for anything to do with a human mentor (its HandoffHook)."""

    payload_intents = PAYLOAD_INTENTS

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        outbox_notify: Callable[[], None] = lambda: None,
        parent_notify: Callable[[str], None] = lambda _conversation_id: None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.settings = settings
        self.outbox_notify = outbox_notify
        self.parent_notify = parent_notify
        self.clock = clock

    def is_handed_off(self, conversation_id: str) -> bool:
        """True while a mentor holds the conversation, so the bot stays silent."""
        with self.db.session() as session:
            handoff = queue.open_handoff(session, conversation_id)
            return handoff is not None and handoff.state == "active"

    def request(
        self, conversation_id: str, topic: str | None, *, urgent: bool = False
    ) -> list[Outbound]:
        """Queue a request for a person and alert mentors; returns what to tell the parent."""
        now = self.clock()
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                return []
            language = conversation.language
            handoff, created = queue.request(session, conversation_id, language, topic, urgent, now)
            if handoff.state == "active":
                return [
                    Outbound(
                        translate(
                            language,
                            "You are already talking with a mentor. Write here and they will see it.",
                        )
                    )
                ]
            alerted = send_alerts(
                session, self.settings, handoff, now, urgent_update=urgent and not created
            )
            replies = []
            if created:
                replies.append(self._consent_question(language))
            if alerted:
                if created:
                    replies.append(
                        Outbound(
                            translate(
                                language,
                                "I have asked our mentors. Someone who can help will reply here as soon as they can.",
                            )
                        )
                    )
            elif created or urgent:
                replies.append(self._nobody_on_duty(session, language, now))
        self.outbox_notify()
        return replies

    def _consent_question(self, language: str) -> Outbound:
        return Outbound(
            translate(
                language,
                "Can I share our recent messages with the mentor, so you do not have to repeat yourself? If not, they will only see your language and topic.",
            ),
            buttons=[
                Button(translate(language, "Yes, share"), f'/{SHARE}{{"share": "yes"}}'),
                Button(translate(language, "No, do not share"), f'/{SHARE}{{"share": "no"}}'),
                Button(translate(language, "Cancel the request"), f"/{CANCEL}"),
            ],
        )

    def _nobody_on_duty(self, session: Session, language: str, now: datetime) -> Outbound:
        start = matching.next_duty_start(session, self.settings, now)
        when = (
            format_datetime(start, "EEEE HH:mm", tzinfo=start.tzinfo, locale=language)
            if start
            else "?"
        )
        return Outbound(
            translate(
                language,
                "Our mentors are not working right now. Your request is saved and someone will reply from {when}. If you need help now, call NHS 111 (choose the mental health option) or Samaritans on 116 123. In an emergency, call 999.",
                when=when,
            )
        )

    def set_share(self, conversation_id: str, share: bool) -> list[Outbound]:
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            handoff = queue.open_handoff(session, conversation_id)
            if conversation is None or handoff is None:
                language = conversation.language if conversation else "en"
                return [
                    Outbound(
                        translate(language, "There is no request for a person open right now.")
                    )
                ]
            handoff.share_transcript = share
            mentor = handoff.mentor
            chat_id = mentor.telegram_chat_id if mentor is not None else None
            if share and handoff.state == "active" and mentor is not None and chat_id is not None:
                text = summary(session, conversation_id, mentor.language_list[0])
                delivery.to_mentor(
                    session,
                    chat_id,
                    text,
                    link={"handoff_id": handoff.id},
                    conversation_id=conversation_id,
                )
            if share:
                text = translate(
                    conversation.language, "Thank you. The mentor will see our recent messages."
                )
            else:
                text = translate(
                    conversation.language,
                    "That is fine. The mentor will only see your language and topic.",
                )
        self.outbox_notify()
        return [Outbound(text)]

    def cancel(self, conversation_id: str) -> list[Outbound]:
        """The parent no longer wants to wait."""
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            language = conversation.language if conversation else "en"
            handoff = queue.open_handoff(session, conversation_id)
            if handoff is None or not queue.cancel(session, handoff.id):
                return [Outbound(translate(language, "There is no waiting request to cancel."))]
            retire_alerts(
                session,
                handoff.id,
                lambda lang: translate(lang, "The parent cancelled this request."),
            )
        self.outbox_notify()
        return [
            Outbound(
                translate(language, "Your request is cancelled. I am still here if you need me.")
            )
        ]

    def relay_to_mentor(
        self, conversation_id: str, text: str, *, urgent: bool = False
    ) -> list[Outbound]:
        """Pass a parent's message to the mentor holding the conversation."""
        with self.db.session() as session:
            handoff = queue.open_handoff(session, conversation_id)
            if handoff is None or handoff.state != "active" or handoff.mentor is None:
                return []
            mentor = handoff.mentor
            if mentor.telegram_chat_id is None:
                return []
            mentor_language = mentor.language_list[0]
            label = translate(mentor_language, "Parent #{number}", number=handoff.id)
            if urgent:
                label = translate(
                    mentor_language, "URGENT: possible crisis. Parent #{number}", number=handoff.id
                )
            delivery.to_mentor(
                session,
                mentor.telegram_chat_id,
                f"{'⚠️' if urgent else '💬'} {label}:\n{text}",
                link={"handoff_id": handoff.id},
                conversation_id=conversation_id,
            )
        self.outbox_notify()
        return []

    def feedback(self, conversation_id: str, score: str) -> list[Outbound]:
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            language = conversation.language if conversation else "en"
            last = session.scalars(
                select(Handoff)
                .where(Handoff.conversation_id == conversation_id, Handoff.state == "ended")
                .order_by(Handoff.id.desc())
                .limit(1)
            ).one_or_none()
            if last is not None and score in FEEDBACK_SCORES:
                last.feedback = score
        return [Outbound(translate(language, "Thank you for telling us."))]

    def handle_payload(
        self, conversation_id: str, intent: str, entities: dict[str, str]
    ) -> list[Outbound]:
        """The gateway's own buttons: share consent, cancel, feedback."""
        if intent == SHARE:
            return self.set_share(conversation_id, entities.get("share") == "yes")
        if intent == CANCEL:
            return self.cancel(conversation_id)
        return self.feedback(conversation_id, entities.get("score", ""))

    def forget(self, conversation_id: str) -> None:
        """Before erasure: close any open handoff and tell its mentor, without passing on any text."""
        with self.db.session() as session:
            handoff = queue.open_handoff(session, conversation_id)
            if handoff is None:
                return
            mentor = handoff.mentor if handoff.state == "active" else None
            closed = queue.end(session, handoff.id) or queue.cancel(session, handoff.id)
            if closed and mentor is not None and mentor.telegram_chat_id is not None:
                delivery.to_mentor(
                    session,
                    mentor.telegram_chat_id,
                    translate(
                        mentor.language_list[0],
                        "Parent #{number} asked us to delete their data. The conversation has ended.",
                        number=handoff.id,
                    ),
                )
            retire_alerts(
                session,
                handoff.id,
                lambda lang: translate(lang, "This request is no longer waiting."),
            )
        self.outbox_notify()

    def tick(self) -> None:
        """Alert requests waiting for duty hours, and escalate those nobody accepted in time."""
        now = self.clock()
        with self.db.session() as session:
            for handoff in queue.never_alerted(session):
                send_alerts(session, self.settings, handoff, now)
            for handoff in queue.due_for_escalation(
                session, now, self.settings.handoff_escalate_minutes
            ):
                if send_alerts(session, self.settings, handoff, now, wider=True):
                    handoff.escalated_at = now
                    conversation = handoff.conversation
                    delivery.to_parent(
                        session,
                        conversation,
                        Outbound(
                            translate(
                                conversation.language,
                                "Thank you for waiting. I have asked more of our team to help. If you need help now, call NHS 111 or Samaritans on 116 123.",
                            ),
                            sender="system",
                        ),
                        self.parent_notify,
                    )
        self.outbox_notify()


def summary(session: Session, conversation_id: str, language: str, limit: int = 8) -> str:
    """The last messages of a conversation, for a mentor the parent agreed to share them with."""
    messages = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    parent, bot = translate(language, "Parent"), translate(language, "Assistant")
    lines = [
        f"{parent if m.sender == 'parent' else bot}: {m.text[:200]}"
        for m in reversed(messages)
        if m.text
    ]
    return (
        translate(language, "Recent messages, shared with the parent's consent:")
        + "\n"
        + "\n".join(lines)
    )
