"""Each move of a request for a person is counted once for the reports: requested, accepted
(with the organisation, minutes waited and duty hours), cancelled, abandoned, escalated,
ended and feedback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.analytics import Tally
from bot.handoff.desk import MentorDesk
from bot.handoff.service import HandoffService
from bot.settings import Settings
from bot.store.database import Database
from tests.handoff.conftest import OFF_DUTY, Clock


def counted(tally: Tally) -> dict[tuple[str, ...], int]:
    pending = tally._pending
    return {
        (c.event.value, c.detail, c.flag, c.waited, c.duty, c.organisation, c.language): n
        for (_day, c), n in pending.items()
    }


def parts(
    db: Database, settings: Settings, clock: Clock
) -> tuple[Tally, HandoffService, MentorDesk]:
    tally = Tally(None, ZoneInfo("Europe/London"), clock=clock)
    service = HandoffService(db, settings, clock=clock, tally=tally)
    desk = MentorDesk(db, settings, clock=clock, tally=tally)
    return tally, service, desk


def test_a_request_accepted_after_seven_minutes_ended_and_rated(
    db: Database,
    settings: Settings,
    clock: Clock,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
) -> None:
    tally, service, desk = parts(db, settings, clock)
    mentor = add_mentor("Amina", "so,en", "Manor Gardens")
    cid = parent("so")
    service.request(cid, "find_mentor")
    clock.now += timedelta(minutes=7)
    assert desk.accept(mentor, 1) is None
    desk.end(mentor, 1, mentor)
    service.feedback(cid, "good")
    service.feedback(cid, "bad")  # a second tap is not a second answer
    assert counted(tally) == {
        ("handoff_requested", "find_mentor", "", "", "in", "", "so"): 1,
        ("handoff_accepted", "find_mentor", "", "5-10", "in", "Manor Gardens", "so"): 1,
        ("handoff_ended", "mentor", "", "", "in", "Manor Gardens", "so"): 1,
        ("feedback", "good", "", "", "in", "Manor Gardens", "so"): 1,
    }


def test_cancelled_escalated_and_abandoned_requests(
    db: Database,
    settings: Settings,
    clock: Clock,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
) -> None:
    tally, service, _desk = parts(db, settings, clock)
    add_mentor("Ayse", "tr,en", "Manor Gardens")
    first, second = parent("tr"), parent("tr")
    service.request(first, "talk_to_human", urgent=True)
    service.request(second, "fallback")
    clock.now += timedelta(minutes=3)
    service.cancel(first)
    clock.now += timedelta(minutes=settings.handoff_escalate_minutes + 1)
    service.tick()
    service.forget(second)
    found = counted(tally)
    assert found[("handoff_cancelled", "talk_to_human", "urgent", "2-5", "in", "", "tr")] == 1
    assert found[("handoff_escalated", "fallback", "", "10-15", "in", "", "tr")] == 1
    assert found[("handoff_abandoned", "fallback", "", "10-15", "in", "", "tr")] == 1


def test_a_request_out_of_duty_hours_is_counted_as_such(
    db: Database, settings: Settings, clock: Clock, parent: Callable[..., str]
) -> None:
    clock.now = OFF_DUTY
    tally, service, _desk = parts(db, settings, clock)
    service.request(parent("en"), "talk_to_human")
    assert counted(tally) == {("handoff_requested", "talk_to_human", "", "", "out", "", "en"): 1}
