from datetime import UTC, datetime

import pytest

from bot.handoff.duty import DutyHours, DutyHoursError


def test_weekday_hours_in_london_time_across_the_clock_change() -> None:
    hours = DutyHours.parse("Mon-Fri 09:00-17:00", "Europe/London")
    # Summer: 09:30 BST is 08:30 UTC.
    assert hours.is_on(datetime(2026, 7, 14, 8, 30, tzinfo=UTC))
    assert not hours.is_on(datetime(2026, 7, 14, 16, 30, tzinfo=UTC))  # 17:30 BST
    # Winter: 16:30 GMT is 16:30 UTC.
    assert hours.is_on(datetime(2026, 12, 15, 16, 30, tzinfo=UTC))
    assert not hours.is_on(datetime(2026, 12, 19, 12, 0, tzinfo=UTC))  # Saturday


def test_next_start_after_a_weekend_and_several_spans() -> None:
    hours = DutyHours.parse("Mon-Thu 09:30-16:30, Sat 10:00-12:00", "Europe/London")
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    assert hours.next_start(friday_evening) == datetime(2026, 11, 28, 10, 0, tzinfo=hours.zone)
    saturday_noon = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert hours.next_start(saturday_noon) == datetime(2026, 11, 30, 9, 30, tzinfo=hours.zone)


def test_wrapping_day_range() -> None:
    hours = DutyHours.parse("Sat-Mon 10:00-12:00", "Europe/London")
    assert hours.is_on(datetime(2026, 11, 29, 11, 0, tzinfo=UTC))  # Sunday
    assert not hours.is_on(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))  # Wednesday


@pytest.mark.parametrize("text", ["Mon-Fri 9-5", "Funday 09:00-10:00", "Mon 17:00-09:00", ""])
def test_unreadable_hours_are_refused(text: str) -> None:
    with pytest.raises(DutyHoursError):
        DutyHours.parse(text, "Europe/London")
