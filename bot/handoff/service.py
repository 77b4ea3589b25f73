"""The parent's side of a handoff: ask for a person, share consent, wait, end, relay, feedback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.analytics import Tally
from bot.core import HandoffState, Media, Outbound
from bot.handoff import closing, delivery, notices, queue, summary
from bot.handoff import media as media_files
from bot.handoff.alerts import alert_request, retire_alerts, send_alerts
from bot.handoff.buttons import CANCEL, END, FEEDBACK, FEEDBACK_SCORES, PAYLOAD_INTENTS, SHARE
from bot.handoff.counting import HandoffCounts
from bot.handoff.delivery import Parents
from bot.i18n import N_, translate
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Conversation, Handoff, OutboxItem, utcnow

log = logging.getLogger(__name__)

__all__ = ["CANCEL", "END", "FEEDBACK", "FEEDBACK_SCORES", "SHARE", "HandoffService"]


class HandoffService:
    """The parent's side of a handoff: what a turn calls for anything to do with a mentor."""

    payload_intents = PAYLOAD_INTENTS

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        outbox_notify: Callable[[], None] = lambda: None,
        parent_notify: Callable[[str], None] = lambda _conversation_id: None,
        clock: Callable[[], datetime] = utcnow,
        tally: Tally | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.outbox_notify = outbox_notify
        self.parents = Parents(settings.retention_days, parent_notify)
        self.clock = clock
        self.counts = HandoffCounts(tally, settings)

    def is_handed_off(self, conversation_id: str) -> bool:
        """True while a mentor holds the conversation, so the bot stays silent."""
        with self.db.engine.connect() as connection:
            found = connection.execute(queue.ACTIVE, {"conversation_id": conversation_id})
            return found.first() is not None

    def request(
        self,
        conversation_id: str,
        topic: str | None,
        *,
        urgent: bool = False,
        crisis_kind: str | None = None,
        about_other: bool = False,
    ) -> list[Outbound]:
        """Queue a request for a person and alert mentors (once: see alerts.alert_request);
        returns what to tell the parent. A crisis brings its kind, and whether the parent
        writes about someone else, for the mentors' alert."""
        now = self.clock()
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                return []
            language = conversation.language
            open_now = queue.open_handoff(session, conversation_id)
            was_urgent = open_now is not None and open_now.urgent
            handoff, created = queue.request(session, conversation_id, language, topic, urgent, now)
            if handoff.state == HandoffState.ACTIVE:
                text = "You are already talking with a mentor. Write here and they will see it."
                return [Outbound(translate(language, text))]
            handoff.crisis_kind = handoff.crisis_kind or crisis_kind
            handoff.about_other = handoff.about_other or about_other
            if created:
                self.counts.requested(handoff, now)
                # Taken now, shown later only to the mentor who accepts, only if the parent agrees.
                handoff.summary = summary.snapshot(session, conversation_id)
            alerted = alert_request(
                session, self.settings, handoff, now, created=created, was_urgent=was_urgent
            )
            replies = []
            if created:
                replies.append(notices.consent_question(language))
            if created and handoff.alerts_capped:
                replies.append(notices.waiting_in_list(language))
            elif alerted:
                if created:
                    replies.append(notices.asked_mentors(language))
            elif created or urgent:
                replies.append(notices.nobody_on_duty(session, self.settings, language, now))
        self.outbox_notify()
        return replies

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
            if not share:
                handoff.summary = None  # not kept for a mentor who may never see it
            elif handoff.summary is None:
                handoff.summary = summary.snapshot(session, conversation_id)
            mentor = handoff.mentor
            if (
                share
                and handoff.state == HandoffState.ACTIVE
                and closing.reachable(mentor)
                and queue.touch(session, handoff.id, handoff.mentor_id or 0, self.clock())
            ):
                assert mentor is not None and mentor.telegram_chat_id is not None
                delivery.to_mentor(
                    session,
                    mentor.telegram_chat_id,
                    summary.render(handoff.summary, mentor.language_list[0]),
                    link={"handoff_id": handoff.id},
                    conversation_id=conversation_id,
                    relay_handoff_id=handoff.id,
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
        """/cancel: stop waiting for a mentor, or end the conversation with one."""
        return self._stop(conversation_id, N_("There is no waiting request to cancel."))

    def end_by_parent(self, conversation_id: str) -> list[Outbound]:
        """The parent ends the conversation with their mentor (or stops waiting for one)."""
        return self._stop(conversation_id, N_("You are not talking with a mentor right now."))

    def _stop(self, conversation_id: str, nothing_open: str) -> list[Outbound]:
        now = self.clock()
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            language = conversation.language if conversation else "en"
            handoff = queue.open_handoff(session, conversation_id)
            if handoff is not None and handoff.state == HandoffState.ACTIVE:
                ended = closing.end_by_parent(session, handoff, now)
                if ended is not None:
                    self.counts.ended(handoff, "parent", now)
                    self.outbox_notify()
                    return [ended]
            if handoff is None or not queue.cancel(session, handoff.id, now):
                return [Outbound(translate(language, nothing_open))]
            self.counts.cancelled(handoff, now)
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
        self,
        conversation_id: str,
        text: str,
        *,
        urgent: bool = False,
        media: Media | None = None,
    ) -> list[Outbound]:
        """Pass a parent's message to the mentor holding the conversation.

        Returns nothing when it was passed on; otherwise what to tell the parent, who is never
        left writing into silence: the conversation ended meanwhile, or the mentor left (then
        the request goes back to the queue). With `media` (a voice note, photo or file), `text`
        is its caption; a web chat parent's file is kept only until it is delivered.
        """
        now = self.clock()
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            language = conversation.language if conversation else "en"
            handoff = queue.open_handoff(session, conversation_id)
            if handoff is None or handoff.state != HandoffState.ACTIVE:
                return [closing.just_ended(language)]
            mentor = handoff.mentor
            if not closing.reachable(mentor):
                log.warning("handoff %s: mentor unreachable, back to the queue", handoff.id)
                told = closing.mentor_left(session, self.settings, handoff, now)
                if not told:
                    return [closing.just_ended(language)]
                told.insert(1, closing.undelivered(language))
                self.outbox_notify()
                return told
            assert mentor is not None and mentor.telegram_chat_id is not None
            # The state check and the insert are one transaction (see queue.touch).
            if not queue.touch(session, handoff.id, mentor.id, now):
                return [closing.just_ended(language)]
            mentor_language = mentor.language_list[0]
            label = translate(mentor_language, "Parent #{number}", number=handoff.id)
            if urgent:
                label = translate(
                    mentor_language, "URGENT: possible crisis. Parent #{number}", number=handoff.id
                )
            marked = f"{'⚠️' if urgent else '💬'} {label}"
            if media is None:
                parts: list[tuple[str, dict[str, Any] | None]] = [(f"{marked}:\n{text}", None)]
            else:
                # Only until delivered; the retention purge is the backstop.
                keep = utcnow() + timedelta(days=self.settings.retention_days)
                media = media_files.keep_for_mentor(session, conversation_id, media, keep)
                heading = media_files.mentor_heading(marked, media, mentor_language, text)
                parts = media_files.pieces(heading, media)
            for shown, reference in parts:
                delivery.to_mentor(
                    session,
                    mentor.telegram_chat_id,
                    shown,
                    link={"handoff_id": handoff.id},
                    conversation_id=conversation_id,
                    relay_handoff_id=handoff.id,
                    media=reference,
                )
        self.outbox_notify()
        return []

    def feedback(self, conversation_id: str, score: str) -> list[Outbound]:
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            language = conversation.language if conversation else "en"
            last = session.scalars(
                select(Handoff)
                .where(
                    Handoff.conversation_id == conversation_id, Handoff.state == HandoffState.ENDED
                )
                .order_by(Handoff.id.desc())
                .limit(1)
            ).one_or_none()
            if last is not None and score in FEEDBACK_SCORES:
                if last.feedback is None:  # counted once, though a parent may tap again
                    self.counts.feedback(last, score, self.clock())
                last.feedback = score
        return [Outbound(translate(language, "Thank you for telling us."))]

    def handle_payload(
        self, conversation_id: str, intent: str, entities: dict[str, str]
    ) -> list[Outbound]:
        """The gateway's own buttons: share consent, cancel, end, feedback."""
        if intent == SHARE:
            return self.set_share(conversation_id, entities.get("share") == "yes")
        if intent == CANCEL:
            return self.cancel(conversation_id)
        if intent == END:
            return self.end_by_parent(conversation_id)
        return self.feedback(conversation_id, entities.get("score", ""))

    def forget(self, conversation_id: str) -> None:
        """Before erasure: close any open handoff and tell its mentor, without passing on any
        text. (The erasure itself deletes what Telegram still allows from the mentors' chats:
        bot.conversations.trail.)"""
        with self.db.session() as session:
            handoff = queue.open_handoff(session, conversation_id)
            if handoff is None:
                return
            closing.close_for_erasure(session, handoff)
            self.counts.erased(handoff, self.clock())
        self.outbox_notify()

    def tick(self) -> None:
        """Alert requests waiting for duty hours, escalate those nobody accepted in time, and
        end conversations in which nobody wrote for HANDOFF_IDLE_HOURS."""
        now = self.clock()
        with self.db.session() as session:
            for handoff in queue.never_alerted(session):
                send_alerts(session, self.settings, handoff, now)
            for handoff in queue.due_for_escalation(
                session, now, self.settings.handoff_escalate_minutes
            ):
                if send_alerts(session, self.settings, handoff, now, wider=True):
                    handoff.escalated_at = now
                    self.counts.escalated(handoff, now)
                    self._tell_parent(
                        session,
                        handoff.conversation,
                        N_(
                            "Thank you for waiting. I have asked more of our team to help. If you need help now, call NHS 111 or Samaritans on 116 123."
                        ),
                    )
            hours = self.settings.handoff_idle_hours
            for handoff in list(queue.idle(session, now - timedelta(hours=hours))):
                if closing.end_idle(session, handoff, hours, now, self.parents):
                    self.counts.ended(handoff, "idle", now)
        self.outbox_notify()

    def _tell_parent(self, session: Session, conversation: Conversation, msgid: str) -> None:
        self.parents.send(
            session,
            conversation,
            Outbound(translate(conversation.language, msgid), sender="system"),
        )

    def delivery_failed(self, session: Session, item: OutboxItem) -> None:
        """The outbox gave up on an item: if a parent's message could not reach their mentor,
        the request goes back to the queue and the parent is told (the outbox's after_failure)."""
        if item.relay_handoff_id is None or item.payload.get("to") != "mentor":
            return
        handoff = session.get(Handoff, item.relay_handoff_id)
        if handoff is None or handoff.state != HandoffState.ACTIVE:
            return
        log.warning("handoff %s: relay to the mentor failed, back to the queue", handoff.id)
        conversation = handoff.conversation
        told = closing.mentor_left(session, self.settings, handoff, self.clock())
        if told:
            told.insert(1, closing.undelivered(conversation.language))
        for outbound in told:
            self.parents.send(session, conversation, outbound)
