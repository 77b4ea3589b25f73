"""Next sessions and opening on the schedule's clock (TIMEZONE; London in the sample borough):
around midnight and across clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.directory.schedule import Schedule, Session
from tests.directory.conftest import LONDON


def weekly(*sessions: tuple[int, str, str]) -> Schedule:
    def hm(value: str) -> time:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))

    return Schedule.weekly(
        tuple(Session(day, hm(start), hm(end)) for day, start, end in sessions), LONDON
    )


MONDAY_10 = weekly((0, "10:00", "11:30"))


def test_next_session_later_the_same_day() -> None:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=LONDON)  # a Monday
    assert MONDAY_10.next_session(now) == datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


def test_session_running_now_counts_as_next() -> None:
    now = datetime(2026, 11, 23, 11, 0, tzinfo=LONDON)
    assert MONDAY_10.next_session(now) == datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    assert MONDAY_10.is_open_at(now)


def test_session_that_has_ended_moves_to_next_week() -> None:
    now = datetime(2026, 11, 23, 11, 30, tzinfo=LONDON)
    assert not MONDAY_10.is_open_at(now)
    assert MONDAY_10.next_session(now) == datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)


def test_around_midnight() -> None:
    late = weekly(
        (6, "22:00", "23:59"), (0, "00:00", "01:00")
    )  # Sunday late, Monday just after midnight
    sunday_2330 = datetime(2026, 11, 29, 23, 30, tzinfo=LONDON)
    assert late.is_open_at(sunday_2330)
    assert late.next_session(sunday_2330) == datetime(2026, 11, 29, 22, 0, tzinfo=LONDON)
    sunday_2359 = datetime(2026, 11, 29, 23, 59, tzinfo=LONDON)
    assert late.next_session(sunday_2359) == datetime(2026, 11, 30, 0, 0, tzinfo=LONDON)
    monday_0000 = datetime(2026, 11, 30, 0, 0, tzinfo=LONDON)
    assert late.is_open_at(monday_0000)
    assert late.next_session(monday_0000 + timedelta(hours=1)) == datetime(
        2026, 12, 6, 22, 0, tzinfo=LONDON
    )


def test_utc_time_is_read_on_the_london_clock() -> None:
    # 23:30 UTC on Sunday 28 June is 00:30 BST on Monday 29 June: Monday's session is next, today.
    now = datetime(2026, 6, 28, 23, 30, tzinfo=UTC)
    assert MONDAY_10.next_session(now) == datetime(2026, 6, 29, 10, 0, tzinfo=LONDON)
    assert MONDAY_10.next_session(now).utcoffset() == timedelta(hours=1)  # type: ignore[union-attr]


def test_spring_forward() -> None:
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    sunday_10 = weekly((6, "10:00", "11:00"))
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    start = sunday_10.next_session(saturday)
    assert start == datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
    assert start is not None and start.utcoffset() == timedelta(hours=1)
    assert start.astimezone(UTC) == datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    assert sunday_10.is_open_at(datetime(2026, 3, 29, 9, 30, tzinfo=UTC))
    assert not sunday_10.is_open_at(datetime(2026, 3, 29, 10, 30, tzinfo=UTC))


def test_a_start_inside_the_spring_gap_moves_to_a_real_time() -> None:
    gap = weekly((6, "01:30", "03:00"))
    start = gap.next_session(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    assert start is not None
    assert start.astimezone(UTC) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )  # 02:30 BST, an hour late


def test_fall_back() -> None:
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    sunday_10 = weekly((6, "10:00", "11:00"))
    start = sunday_10.next_session(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert start == datetime(2026, 10, 25, 10, 0, tzinfo=LONDON)
    assert start is not None and start.utcoffset() == timedelta(0)
    assert start.astimezone(UTC) == datetime(2026, 10, 25, 10, 0, tzinfo=UTC)


def test_ambiguous_hour_at_fall_back_uses_the_first_one() -> None:
    early = weekly((6, "01:15", "01:45"))
    start = early.next_session(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert start is not None and start.astimezone(UTC) == datetime(2026, 10, 25, 0, 15, tzinfo=UTC)
    # During the repeated hour (second 01:30, GMT) the session is open on the wall clock.
    assert early.is_open_at(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))


def test_by_appointment_and_always() -> None:
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    assert Schedule(LONDON, by_appointment=True).next_session(now) is None
    assert not Schedule(LONDON, by_appointment=True).is_open_at(now)
    assert Schedule(LONDON, always=True).is_open_at(now)
    assert Schedule(LONDON, always=True).days() == frozenset(range(7))


def test_the_clock_is_the_schedules_time_zone() -> None:
    istanbul = ZoneInfo("Europe/Istanbul")
    monday_10 = Schedule.weekly((Session(0, time(10), time(11)),), istanbul)
    now = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)  # 10:30 in Istanbul, 07:30 in London
    assert monday_10.is_open_at(now) and not MONDAY_10.is_open_at(now)
    assert monday_10.next_session(now) == datetime(2026, 11, 23, 10, 0, tzinfo=istanbul)


def test_naive_times_are_taken_as_london() -> None:
    assert MONDAY_10.is_open_at(datetime(2026, 6, 29, 10, 30))
