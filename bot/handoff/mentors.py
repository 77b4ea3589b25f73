"""Mentor accounts: invite, register, list, pause, remove, availability."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import LANGUAGES, REGISTERED_MENTOR_STATUSES, MentorStatus
from bot.hashing import keyed_hash, new_code
from bot.settings import Settings
from bot.store.models import Mentor, utcnow

INVITE_PURPOSE = "invite"


class MentorError(ValueError):
    """A mentor operation that cannot be done, with a reason fit to show."""


def parse_languages(text: str) -> str:
    codes = [code.strip().lower() for code in text.split(",") if code.strip()]
    unknown = [code for code in codes if code not in LANGUAGES]
    if not codes or unknown:
        raise MentorError(f"languages must be a comma-separated list of {', '.join(LANGUAGES)}")
    return ",".join(dict.fromkeys(codes))


def invite(
    session: Session, settings: Settings, name: str, languages: str, organisation: str
) -> tuple[Mentor, str]:
    """Create an invited mentor and return it with its one-time code (MENTOR_INVITE_HOURS)."""
    code = new_code()
    mentor = Mentor(
        name=name.strip(),
        organisation=organisation.strip(),
        languages=parse_languages(languages),
        status=MentorStatus.INVITED,
        invite_code_hash=keyed_hash(settings.hashing_key(), code, INVITE_PURPOSE),
        invite_expires_at=utcnow() + timedelta(hours=settings.mentor_invite_hours),
    )
    session.add(mentor)
    session.flush()
    return mentor, code


def invite_link(settings: Settings, code: str) -> str:
    username = settings.telegram_bot_username
    if username:
        return f"https://t.me/{username.lstrip('@')}?start={code}"
    return f"/start {code}"


def register(
    session: Session, settings: Settings, code: str, telegram_user_id: int, telegram_chat_id: int
) -> Mentor | None:
    """Redeem an invite code; None when it is unknown, used or expired."""
    mentor = session.scalars(
        select(Mentor)
        .where(Mentor.invite_code_hash == keyed_hash(settings.hashing_key(), code, INVITE_PURPOSE))
        .with_for_update()
    ).one_or_none()
    if mentor is None or mentor.status != MentorStatus.INVITED:
        return None
    expires = mentor.invite_expires_at
    if expires is None or expires < utcnow():
        return None
    existing = by_telegram_user(session, telegram_user_id)
    if existing is not None and existing.id != mentor.id:
        existing.telegram_user_id = None
        existing.status = MentorStatus.REMOVED
    mentor.telegram_user_id = telegram_user_id
    mentor.telegram_chat_id = telegram_chat_id
    mentor.status = MentorStatus.ACTIVE
    mentor.available = True
    mentor.invite_code_hash = None
    mentor.invite_expires_at = None
    return mentor


def by_telegram_user(session: Session, telegram_user_id: int) -> Mentor | None:
    return session.scalars(
        select(Mentor).where(Mentor.telegram_user_id == telegram_user_id)
    ).one_or_none()


def registered(session: Session, telegram_user_id: int) -> Mentor | None:
    """The active or paused mentor behind a Telegram user, or None for anyone else."""
    mentor = by_telegram_user(session, telegram_user_id)
    return mentor if mentor is not None and mentor.status in REGISTERED_MENTOR_STATUSES else None


def all_mentors(session: Session) -> Sequence[Mentor]:
    return session.scalars(
        select(Mentor).where(Mentor.status != MentorStatus.REMOVED).order_by(Mentor.id)
    ).all()


def get(session: Session, mentor_id: int) -> Mentor:
    mentor = session.get(Mentor, mentor_id)
    if mentor is None or mentor.status == MentorStatus.REMOVED:
        raise MentorError(f"no mentor with id {mentor_id}")
    return mentor


def set_status(session: Session, mentor_id: int, status: MentorStatus) -> Mentor:
    mentor = get(session, mentor_id)
    if status == MentorStatus.ACTIVE and mentor.telegram_user_id is None:
        raise MentorError("this mentor has not registered yet; send them their invite link")
    mentor.status = status
    if status == MentorStatus.REMOVED:
        mentor.telegram_user_id = None
        mentor.telegram_chat_id = None
        mentor.invite_code_hash = None
    return mentor


def set_available(mentor: Mentor, available: bool) -> None:
    mentor.available = available
