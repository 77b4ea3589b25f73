"""Who may accept a request: a mentor with a standing alert for it and an active account.

Telegram callback data comes from the client and a bad client can send any (docs/security.md),
so `handoff:accept:N` is checked against the database, never trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.core import HandoffState, MentorStatus
from bot.handoff import mentors
from bot.handoff.desk import (
    NOT_ALERTED,
    MentorDesk,
)
from bot.handoff.service import HandoffService
from bot.handoff.waiting import PAUSED
from bot.i18n import translate
from bot.store.database import Database
from bot.store.models import Handoff, HandoffAlert, Mentor
from tests.handoff.conftest import OFF_DUTY, Clock, get_handoff


def only_handoff(db: Database) -> int:
    with db.session() as session:
        return int(session.scalars(select(Handoff.id)).one())


def mentor_id(db: Database, telegram_user_id: int) -> int:
    with db.session() as session:
        found = session.scalars(
            select(Mentor.id).where(Mentor.telegram_user_id == telegram_user_id)
        ).one()
        return int(found)


def test_a_mentor_never_alerted_cannot_accept_by_number(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "so")
    # Another language: Hodan is not alerted while a Somali speaker is on duty.
    hodan = add_mentor("Hodan", "tr")
    service.request(parent("so"), "talk_to_human")
    handoff_id = only_handoff(db)
    refused = desk.accept(hodan, handoff_id)
    assert refused is not None and refused.text == translate("tr", NOT_ALERTED)
    assert get_handoff(db, handoff_id).state == HandoffState.QUEUED
    assert desk.accept(amina, handoff_id) is None


def test_a_mentor_of_an_organisation_off_duty_cannot_accept(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "so")
    evening = add_mentor("Leyla", "so", organisation="Evening Mums")
    desk.settings = desk.settings.model_copy(
        update={"duty_hours_by_organisation": {"Evening Mums": "Sat 18:00-22:00"}}
    )
    service.settings = desk.settings
    service.request(parent("so"), "talk_to_human")
    handoff_id = only_handoff(db)
    refused = desk.accept(evening, handoff_id)
    assert refused is not None and refused.text == translate("so", NOT_ALERTED)
    assert desk.accept(amina, handoff_id) is None


def test_a_paused_mentor_cannot_accept_a_new_request(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    service.request(parent("en"), "talk_to_human")
    handoff_id = only_handoff(db)
    with db.session() as session:
        mentors.set_status(session, mentor_id(db, amina), MentorStatus.PAUSED)
    refused = desk.accept(amina, handoff_id)
    assert refused is not None and refused.text == translate("en", PAUSED)
    assert get_handoff(db, handoff_id).state == HandoffState.QUEUED
    # Nor can they list requests to take.
    listed = desk.waiting(amina)
    assert listed.text == translate("en", PAUSED) and listed.buttons == []


def test_an_alert_stands_after_duty_hours_end(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
    clock: Clock,
) -> None:
    amina = add_mentor("Amina", "en")
    service.request(parent("en"), "talk_to_human")
    handoff_id = only_handoff(db)
    clock.now = OFF_DUTY
    assert desk.accept(amina, handoff_id) is None
    assert get_handoff(db, handoff_id).state == HandoffState.ACTIVE


def test_an_away_mentor_may_accept_the_alert_they_got(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    service.request(parent("en"), "talk_to_human")
    desk.set_available(amina, False)  # /away stops new alerts, not the ones already sent
    assert desk.accept(amina, only_handoff(db)) is None


def test_a_retired_alert_no_longer_stands(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
    clock: Clock,
) -> None:
    """Alerted, then the request was taken and put back (its mentor left): the old alert, whose
    button was removed, cannot be replayed; the new round of alerts can be accepted."""
    amina, hodan = add_mentor("Amina", "en"), add_mentor("Hodan", "en")
    conversation = parent("en")
    service.request(conversation, "talk_to_human")
    handoff_id = only_handoff(db)
    assert desk.accept(amina, handoff_id) is None
    with db.session() as session:
        # Hodan is removed before the request comes back: her old alert was retired.
        mentors.set_status(session, mentor_id(db, hodan), MentorStatus.PAUSED)
        mentors.set_status(session, mentor_id(db, amina), MentorStatus.REMOVED)
    clock.now += timedelta(minutes=1)
    service.relay_to_mentor(conversation, "hello?")  # Amina unreachable: back to the queue
    assert get_handoff(db, handoff_id).state == HandoffState.QUEUED
    with db.session() as session:
        mentors.set_status(session, mentor_id(db, hodan), MentorStatus.ACTIVE)
        standing = session.scalars(
            select(HandoffAlert).where(
                HandoffAlert.mentor_id == mentor_id(db, hodan), HandoffAlert.retired_at.is_(None)
            )
        ).all()
    assert standing == []
    refused = desk.accept(hodan, handoff_id)
    assert refused is not None and refused.text == translate("en", NOT_ALERTED)
    service.tick()  # the request is alerted again, now that Hodan is active
    assert desk.accept(hodan, handoff_id) is None


def test_waiting_lists_only_what_the_mentor_may_take_and_records_its_alert(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "so")
    hodan = add_mentor("Hodan", "tr")
    service.request(parent("so"), "talk_to_human")
    somali = only_handoff(db)
    # Hodan does not speak Somali, and a Somali speaker is on duty: not hers to take.
    assert f"#{somali}" not in desk.waiting(hodan).text
    # A request past the day's alert limit is pushed to nobody: /waiting shows it, and listing
    # it records the alert that makes the Accept button work.
    with db.session() as session:
        for alert in session.scalars(select(HandoffAlert)):
            session.delete(alert)
    listed = desk.waiting(amina)
    assert [b.payload for b in listed.buttons] == [f"handoff:accept:{somali}"]
    assert desk.accept(amina, somali) is None


def test_waiting_shows_an_escalated_request_in_another_language(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
    clock: Clock,
) -> None:
    add_mentor("Amina", "so")
    hodan = add_mentor("Hodan", "tr")
    service.request(parent("so"), "talk_to_human")
    handoff_id = only_handoff(db)
    clock.now += timedelta(minutes=service.settings.handoff_escalate_minutes + 1)
    service.tick()  # escalated: every mentor on duty is asked, whatever their languages
    assert get_handoff(db, handoff_id).escalated_at is not None
    assert f"#{handoff_id}" in desk.waiting(hodan).text
    assert desk.accept(hodan, handoff_id) is None
