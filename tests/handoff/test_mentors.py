"""Mentor accounts: an invite works only for MENTOR_INVITE_HOURS."""

from bot.handoff import mentors
from bot.settings import Settings
from bot.store.database import Database


def test_expired_invite_is_refused(db: Database, settings: Settings) -> None:
    expiring = settings.model_copy(update={"mentor_invite_hours": 0})
    with db.session() as session:
        _mentor, code = mentors.invite(session, expiring, "Ayşe", "tr", "Manor Gardens")
    with db.session() as session:
        assert mentors.register(session, expiring, code, 13, 13) is None
