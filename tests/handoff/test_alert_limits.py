"""One crisis, one alert: however many messages a parent writes, mentors get one round of
alerts per request and one urgent update at most; one conversation pushes at most
HANDOFF_ALERTS_PER_DAY rounds a day, and what is not pushed waits in /waiting."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.handoff.desk import MentorDesk
from bot.handoff.service import HandoffService
from bot.store.database import Database
from bot.store.models import Handoff
from tests.handoff.conftest import Clock, texts_to

URGENT = "URGENT: this parent may be in crisis."


def pushed(db: Database, chat_id: int) -> list[str]:
    return texts_to(db, chat_id)


def test_many_crisis_messages_alert_each_mentor_once_plus_one_update(
    service: HandoffService,
    db: Database,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    amina, hodan = add_mentor("Amina", "en"), add_mentor("Hodan", "so,en")
    conversation = parent("en")
    caplog.set_level(logging.WARNING)
    for _ in range(40):
        service.request(conversation, "crisis", urgent=True, crisis_kind="domestic_abuse")
    for mentor in (amina, hodan):
        texts = pushed(db, mentor)
        assert len(texts) == 2, texts
        assert texts[0].startswith("🚨")
        assert texts[1].startswith("🚨")
    assert URGENT in pushed(db, amina)[0]
    assert pushed(db, amina)[1].startswith("🚨 STILL URGENT: parent #")
    assert "WALI DEGDEG" in pushed(db, hodan)[1]  # in the mentor's own language
    assert sum("another urgent update not pushed" in r.message for r in caplog.records) == 38
    with db.session() as session:
        assert session.scalars(select(Handoff)).all()[0].urgent


def test_a_request_that_becomes_urgent_sends_one_now_urgent_update(
    service: HandoffService,
    db: Database,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en")
    service.request(conversation, "talk_to_human")
    service.request(conversation, "talk_to_human")  # asked again: no new alert
    assert len(pushed(db, amina)) == 1
    service.request(conversation, "crisis", urgent=True)
    service.request(conversation, "crisis", urgent=True)
    texts = pushed(db, amina)
    assert len(texts) == 2 and texts[1].startswith("🚨 NOW URGENT: parent #")


def test_the_alert_names_the_kind_and_someone_else(
    service: HandoffService,
    db: Database,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
) -> None:
    amina = add_mentor("Amina", "en")
    service.request(
        parent("en"), "crisis", urgent=True, crisis_kind="postpartum_psychosis", about_other=True
    )
    alert = pushed(db, amina)[0]
    assert "Topic: possible crisis (possible postpartum psychosis)" in alert
    assert "The parent is writing about someone else." in alert


def test_past_the_days_cap_a_request_waits_unpushed_and_is_logged(
    service: HandoffService,
    desk: MentorDesk,
    db: Database,
    clock: Clock,
    settings: object,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en")
    caplog.set_level(logging.WARNING)
    for _ in range(3):  # HANDOFF_ALERTS_PER_DAY, the default
        service.request(conversation, "crisis", urgent=True)
        assert "Your request is cancelled" in service.cancel(conversation)[0].text
    assert len(pushed(db, amina)) == 3
    told = service.request(conversation, "crisis", urgent=True)
    assert len(pushed(db, amina)) == 3
    assert any("in the list that our mentors check" in m.text for m in told)
    assert any("alerts not pushed (3 rounds today)" in r.message for r in caplog.records)
    service.request(conversation, "crisis", urgent=True)  # more messages: still nothing pushed
    service.tick()  # the scheduled alerts do not push it either
    assert len(pushed(db, amina)) == 3
    # It waits in the list a mentor sees with /waiting, and can be accepted from there.
    listed = desk.waiting(amina)
    with db.session() as session:
        waiting = session.scalars(select(Handoff).where(Handoff.state == "queued")).one()
    assert f"#{waiting.id}" in listed.text and listed.text.count("🚨") == 1
    assert [b.payload for b in listed.buttons] == [f"handoff:accept:{waiting.id}"]
    assert desk.accept(amina, waiting.id) is None
    # A day later, the conversation's requests push alerts again.
    clock.now += timedelta(hours=25)
    service.end_by_parent(conversation)
    service.request(conversation, "talk_to_human")
    assert len(pushed(db, amina)) > 3


def test_waiting_lists_urgent_first_and_says_when_nobody_waits(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
) -> None:
    amina = add_mentor("Amina", "so")
    assert desk.waiting(amina).text == "Hadda qofna ma sugayo."
    assert desk.waiting(amina).buttons == []
    service.request(parent("tr"), "find_mentor")
    service.request(parent("so"), "crisis", urgent=True)
    lines = desk.waiting(amina).text.splitlines()
    assert lines[1].startswith("🚨") and lines[2].startswith("•")
    assert len(desk.waiting(amina).buttons) == 2
