"""The mentor's side of a handoff: register, be available, accept, reply, end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.analytics import Tally
from bot.core import Button, HandoffState, Media, MentorStatus, Outbound
from bot.handoff import closing, delivery, mentors, queue, summary
from bot.handoff.alerts import about, retire_alerts
from bot.handoff.buttons import end_button
from bot.handoff.counting import HandoffCounts
from bot.handoff.delivery import Parents
from bot.handoff.waiting import PAUSED, waiting_list
from bot.i18n import N_, translate
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Handoff, HandoffAlert, Mentor, RelayLink, utcnow

log = logging.getLogger(__name__)

END = "handoff:end:{id}"
NOT_ALERTED = N_(
    "You can accept only a request you were alerted to. Send /waiting to see the requests you can take."
)


@dataclass(frozen=True)
class DeskReply:
    """What to answer the mentor in their own chat."""

    text: str
    buttons: list[Button] = field(default_factory=list)


class NotAMentor(PermissionError):
    """A mentor command or button from someone who is not a registered mentor."""


@dataclass(frozen=True)
class MediaTarget:
    """Where a mentor's voice note or photo would go: the parent's channel ("web" or
    "telegram"), or None when it cannot be placed; and the mentor's own language."""

    channel: str | None
    language: str


class MentorDesk:
    """Everything a mentor can do from Telegram, checked against the mentor register.

    Every method touches the database: async callers run them in a worker thread.
    """

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

    def is_mentor(self, telegram_user_id: int) -> bool:
        with self.db.session() as session:
            return mentors.registered(session, telegram_user_id) is not None

    def register(self, code: str, telegram_user_id: int, telegram_chat_id: int) -> DeskReply | None:
        """Redeem an invite code from `/start CODE`; None when the code is not a valid invite."""
        with self.db.session() as session:
            previous = mentors.by_telegram_user(session, telegram_user_id)
            previous_id = previous.id if previous is not None else None
            mentor = mentors.register(
                session, self.settings, code, telegram_user_id, telegram_chat_id
            )
            if mentor is None:
                return None
            if previous_id is not None and previous_id != mentor.id:
                # The old account is retired: its conversations must not wait for it.
                closing.release_mentor(
                    session, self.settings, previous_id, self.clock(), self.parents
                )
            language = mentor.language_list[0]
            log.info("mentor %s registered", mentor.id)
            reply = DeskReply(
                translate(
                    language,
                    "Welcome, {name}. You are registered as a mentor for {organisation}. You will get an alert when a parent asks for a person. Send /away to pause alerts and /available to get them again.",
                    name=mentor.name,
                    organisation=mentor.organisation,
                ),
            )
        self.outbox_notify()
        return reply

    def _mentor(self, session: Session, telegram_user_id: int, *, command: bool = True) -> Mentor:
        mentor = mentors.registered(session, telegram_user_id)
        if mentor is None:
            if command:
                log.warning("mentor command refused for a non-mentor")
            raise NotAMentor
        return mentor

    def waiting(self, telegram_user_id: int) -> DeskReply:
        """/waiting: the requests waiting for a person, each with an Accept button."""
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            text, buttons = waiting_list(session, self.settings, mentor, self.clock())
        return DeskReply(text, buttons)

    def set_available(self, telegram_user_id: int, available: bool) -> DeskReply:
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            mentors.set_available(mentor, available)
            language = mentor.language_list[0]
            if available:
                return DeskReply(
                    translate(language, "You are available. New requests will alert you.")
                )
            return DeskReply(
                translate(
                    language, "You are away. You will not get new alerts until you send /available."
                ),
            )

    def accept(self, telegram_user_id: int, handoff_id: int) -> DeskReply | None:
        """Take a waiting parent; None when this mentor won it.

        The conversation's opening message (language, topic, the summary if the parent agreed,
        the End button) then goes through the outbox with a relay link, so that replying to it
        reaches this parent, and so that it survives a restart.
        """
        now = self.clock()
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            language = mentor.language_list[0]
            if not queue.accept(session, handoff_id, mentor, now):
                return self._refused(session, mentor, handoff_id, language)
            handoff = session.get(Handoff, handoff_id)
            assert handoff is not None and mentor.telegram_chat_id is not None
            self.counts.accepted(handoff, mentor, now)
            conversation = handoff.conversation
            retire_alerts(
                session,
                handoff_id,
                lambda lang: translate(lang, "Taken by {name}.", name=mentor.name),
                keep_mentor_id=mentor.id,
            )
            self.parents.send(
                session,
                conversation,
                Outbound(
                    translate(
                        conversation.language,
                        "{name} from {organisation} has joined. They are a real person. You can write to them here.",
                        name=mentor.name,
                        organisation=mentor.organisation,
                    ),
                    buttons=[end_button(conversation.language)],
                    sender="system",
                ),
            )
            delivery.to_mentor(
                session,
                mentor.telegram_chat_id,
                opening(handoff, language),
                buttons=[
                    Button(translate(language, "End the conversation"), END.format(id=handoff_id))
                ],
                link={"handoff_id": handoff_id},
                conversation_id=conversation.id,
                relay_handoff_id=handoff_id,
            )
        self.outbox_notify()
        return None

    def media_target(
        self, telegram_user_id: int, reply_to_message_id: int | None, chat_id: int
    ) -> MediaTarget:
        """Which channel a mentor's media would reach, before it is fetched for a web chat
        parent (a Telegram parent gets a copy, and nothing is fetched). Raises NotAMentor."""
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id, command=False)
            handoff = self._target(session, mentor, reply_to_message_id, chat_id)
            channel = handoff.conversation.channel if handoff is not None else None
            return MediaTarget(channel, mentor.language_list[0])

    def _refused(
        self, session: Session, mentor: Mentor, handoff_id: int, language: str
    ) -> DeskReply:
        """Why an Accept did not win: a paused account, no alert for it, or too late.

        The number comes from Telegram callback data, which a client can forge, so a refusal
        for want of an alert is logged (without the parent's details).
        """
        handoff = session.get(Handoff, handoff_id)
        if mentor.status != MentorStatus.ACTIVE:
            log.warning("accept refused: mentor %s is paused", mentor.id)
            return DeskReply(translate(language, PAUSED))
        alerted = session.scalar(
            select(HandoffAlert.id)
            .where(HandoffAlert.handoff_id == handoff_id, HandoffAlert.mentor_id == mentor.id)
            .limit(1)
        )
        if alerted is None or handoff is not None and handoff.state == HandoffState.QUEUED:
            log.warning("accept refused: mentor %s holds no standing alert", mentor.id)
            return DeskReply(translate(language, NOT_ALERTED))
        taken_by = handoff.mentor.name if handoff and handoff.mentor else None
        if taken_by:
            return DeskReply(translate(language, "Already taken by {name}.", name=taken_by))
        return DeskReply(translate(language, "This request is no longer waiting."))

    def reply(
        self,
        telegram_user_id: int,
        text: str,
        reply_to_message_id: int | None,
        chat_id: int,
        media: Media | None = None,
    ) -> DeskReply | None:
        """Relay a mentor's message to the right parent; a DeskReply when it cannot be placed.

        With `media` (a voice note, photo or file), `text` is its caption: a Telegram parent
        gets a copy of the mentor's message; a web chat parent the file in `media.data`.
        Raises NotAMentor (without logging: it is how a parent's message is told apart).
        """
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id, command=False)
            language = mentor.language_list[0]
            handoff = self._target(session, mentor, reply_to_message_id, chat_id)
            if handoff is not None and not queue.touch(
                session, handoff.id, mentor.id, self.clock()
            ):
                # Ended meanwhile. The check and the relay are one transaction (queue.touch).
                handoff = None
            if handoff is None:
                if len(queue.active_for_mentor(session, mentor.id)) < 2:
                    return DeskReply(
                        translate(
                            language, "You are not in a conversation with a parent right now."
                        ),
                    )
                return DeskReply(
                    translate(
                        language,
                        "You hold more than one conversation. Use Reply on a parent's message so I know who it is for.",
                    ),
                )
            self.parents.send(
                session,
                handoff.conversation,
                Outbound(
                    text,
                    sender="mentor",
                    sender_name=f"{mentor.name} ({mentor.organisation})",
                    media=media,
                ),
                relay_handoff_id=handoff.id,
            )
        self.outbox_notify()
        return None

    def _target(
        self, session: Session, mentor: Mentor, reply_to_message_id: int | None, chat_id: int
    ) -> Handoff | None:
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
                    and handoff.state == HandoffState.ACTIVE
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
        now = self.clock()
        with self.db.session() as session:
            mentor = self._mentor(session, telegram_user_id)
            language = mentor.language_list[0]
            handoff = (
                session.get(Handoff, handoff_id)
                if handoff_id
                else self._target(session, mentor, reply_to_message_id, chat_id)
            )
            ended = (
                handoff is not None
                and handoff.mentor_id == mentor.id
                and closing.end_by_mentor(session, handoff, mentor, now, self.parents)
            )
            if ended and handoff is not None:
                self.counts.ended(handoff, "mentor", now)
            number = handoff.id if handoff is not None else 0
        if not ended:
            return DeskReply(translate(language, "There is no conversation of yours to end here."))
        self.outbox_notify()
        return DeskReply(
            translate(
                language, "Conversation with parent #{number} ended. Thank you.", number=number
            ),
        )


def opening(handoff: Handoff, language: str) -> str:
    """The accepting mentor's first message: who, what about, and the summary only with consent."""
    lines = [
        translate(
            language,
            "You are now talking with parent #{number}. Reply to their messages here (use Reply if you hold more than one conversation). Send /end when you have finished.",
            number=handoff.id,
        ),
        "",
        *about(handoff, language),
        "",
    ]
    if handoff.share_transcript:
        lines.append(summary.render(handoff.summary, language))
    elif handoff.share_transcript is None:
        lines.append(
            translate(
                language,
                "The parent has not said yet whether to share their recent messages. If they agree, you will get them here.",
            )
        )
    else:
        lines.append(
            translate(
                language,
                "The parent did not agree to share the conversation, so you only see the language and topic.",
            )
        )
    return "\n".join(lines)
