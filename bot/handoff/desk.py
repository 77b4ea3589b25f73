"""The mentor's side of a handoff: register, be available, accept, reply, end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from bot.gateway.messages import Button, Outbound
from bot.handoff import delivery, mentors, queue
from bot.handoff.alerts import retire_alerts
from bot.handoff.service import FEEDBACK, FEEDBACK_SCORES, summary
from bot.i18n import translate
from bot.store.database import Database
from bot.store.models import Handoff, Mentor, RelayLink

log = logging.getLogger(__name__)

END = "handoff:end:{id}"
FEEDBACK_TITLES = {"good": "👍", "ok": "😐", "bad": "👎"}


@dataclass(frozen=True)
class DeskReply:
    """What to answer the mentor in their own chat."""

    text: str
    buttons: list[tuple[str, str]]


class NotAMentor(PermissionError):
    """A mentor command or button from someone who is not a registered mentor."""


class MentorDesk:
    """Everything a mentor can do from Telegram, checked against the mentor register."""

    def __init__(
        self,
        db: Database,
        *,
        outbox_notify: Callable[[], None],
        parent_notify: Callable[[str], None],
    ) -> None:
        self.db = db
        self.outbox_notify = outbox_notify
        self.parent_notify = parent_notify

    def is_mentor(self, telegram_user_id: int) -> bool:
        with self.db.session() as session:
            return mentors.registered(session, telegram_user_id) is not None

    def register(self, code: str, telegram_user_id: int, telegram_chat_id: int) -> DeskReply | None:
        """Redeem an invite code from `/start CODE`; None when the code is not a valid invite."""
        with self.db.session() as session:
            mentor = mentors.register(session, code, telegram_user_id, telegram_chat_id)
            if mentor is None:
                return None
            language = mentor.language_list[0]
            log.info("mentor %s registered", mentor.id)
            return DeskReply(
                translate(
                    language,
                    "Welcome, {name}. You are registered as a mentor for {organisation}. You will get an alert when a parent asks for a person. Send /away to pause alerts and /available to get them again.",
                    name=mentor.name,
                    organisation=mentor.organisation,
                ),
                [],
            )

    def _mentor(self, session, telegram_user_id: int) -> Mentor:  # type: ignore[no-untyped-def]
        mentor = mentors.registered(session, telegram_user_id)
        if mentor is None:
            log.warning("mentor command refused for a non-mentor")
            raise NotAMentor
        return mentor

    def set_available(self, telegram_user_id: int, available: bool) -> DeskReply:
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            mentors.set_available(mentor, available)
            language = mentor.language_list[0]
            if available:
                return DeskReply(
                    translate(language, "You are available. New requests will alert you."), []
                )
            return DeskReply(
                translate(
                    language, "You are away. You will not get new alerts until you send /available."
                ),
                [],
            )

    def accept(self, telegram_user_id: int, handoff_id: int) -> DeskReply:
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            language = mentor.language_list[0]
            if not queue.accept(session, handoff_id, mentor):
                handoff = session.get(Handoff, handoff_id)
                taken_by = handoff.mentor.name if handoff and handoff.mentor else None
                if taken_by:
                    return DeskReply(
                        translate(language, "Already taken by {name}.", name=taken_by), []
                    )
                return DeskReply(translate(language, "This request is no longer waiting."), [])
            handoff = session.get(Handoff, handoff_id)
            assert handoff is not None
            conversation = handoff.conversation
            retire_alerts(
                session,
                handoff_id,
                lambda lang: translate(lang, "Taken by {name}.", name=mentor.name),
                keep_mentor_id=mentor.id,
            )
            delivery.to_parent(
                session,
                conversation,
                Outbound(
                    translate(
                        conversation.language,
                        "{name} from {organisation} has joined. They are a real person. You can write to them here.",
                        name=mentor.name,
                        organisation=mentor.organisation,
                    ),
                    sender="system",
                ),
                self.parent_notify,
            )
            text = translate(
                language,
                "You are now talking with parent #{number}. Reply to their messages here (use Reply if you hold more than one conversation). Send /end when you have finished.",
                number=handoff_id,
            )
            if handoff.share_transcript:
                text += "\n\n" + summary(session, conversation.id, language)
            else:
                text += "\n\n" + translate(
                    language,
                    "The parent did not agree to share the conversation, so you only see the language and topic.",
                )
        self.outbox_notify()
        return DeskReply(
            text, [(translate(language, "End the conversation"), END.format(id=handoff_id))]
        )

    def reply(
        self, telegram_user_id: int, text: str, reply_to_message_id: int | None, chat_id: int
    ) -> DeskReply | None:
        """Relay a mentor's message to the right parent; a DeskReply when it cannot be placed."""
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            language = mentor.language_list[0]
            handoff = self._target(session, mentor, reply_to_message_id, chat_id)
            if handoff is None:
                active = queue.active_for_mentor(session, mentor.id)
                if not active:
                    return DeskReply(
                        translate(
                            language, "You are not in a conversation with a parent right now."
                        ),
                        [],
                    )
                return DeskReply(
                    translate(
                        language,
                        "You hold more than one conversation. Use Reply on a parent's message so I know who it is for.",
                    ),
                    [],
                )
            delivery.to_parent(
                session,
                handoff.conversation,
                Outbound(
                    text, sender="mentor", sender_name=f"{mentor.name} ({mentor.organisation})"
                ),
                self.parent_notify,
            )
        self.outbox_notify()
        return None

    def _target(
        self, session, mentor: Mentor, reply_to_message_id: int | None, chat_id: int
    ) -> Handoff | None:  # type: ignore[no-untyped-def]
        if reply_to_message_id is not None:
            link = session.scalars(
                select(RelayLink).where(
                    RelayLink.mentor_chat_id == chat_id,
                    RelayLink.telegram_message_id == reply_to_message_id,
                )
            ).one_or_none()
            if link is not None:
                handoff = session.get(Handoff, link.handoff_id)
                if (
                    handoff is not None
                    and handoff.state == "active"
                    and handoff.mentor_id == mentor.id
                ):
                    return handoff
        active = queue.active_for_mentor(session, mentor.id)
        return active[0] if len(active) == 1 else None

    def end(
        self,
        telegram_user_id: int,
        handoff_id: int | None,
        chat_id: int,
        reply_to_message_id: int | None = None,
    ) -> DeskReply:
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            language = mentor.language_list[0]
            handoff = (
                session.get(Handoff, handoff_id)
                if handoff_id
                else self._target(session, mentor, reply_to_message_id, chat_id)
            )
            if (
                handoff is None
                or handoff.mentor_id != mentor.id
                or not queue.end(session, handoff.id)
            ):
                return DeskReply(
                    translate(language, "There is no conversation of yours to end here."), []
                )
            conversation = handoff.conversation
            parent_language = conversation.language
            delivery.to_parent(
                session,
                conversation,
                Outbound(
                    translate(
                        parent_language,
                        "{name} has ended the conversation. I am the automated assistant again. How was your chat with them?",
                        name=mentor.name,
                    ),
                    buttons=[
                        Button(FEEDBACK_TITLES[score], f'/{FEEDBACK}{{"score": "{score}"}}')
                        for score in FEEDBACK_SCORES
                    ],
                    sender="system",
                ),
                self.parent_notify,
            )
            number = handoff.id
        self.outbox_notify()
        return DeskReply(
            translate(
                language, "Conversation with parent #{number} ended. Thank you.", number=number
            ),
            [],
        )
