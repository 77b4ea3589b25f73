"""Report periods are whole calendar months or quarters; anything else is a clear error."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reports import Period, PeriodError, check_complete, recent


def test_a_whole_month_and_a_whole_quarter() -> None:
    november = Period.between(date(2026, 11, 1), date(2026, 11, 30))
    assert (november.key, november.label, november.days) == ("2026-11", "November 2026", 30)
    quarter = Period.between(date(2026, 10, 1), date(2026, 12, 31))
    assert (quarter.key, quarter.is_quarter) == ("2026-Q4", True)
    assert Period.between(date(2028, 2, 1), date(2028, 2, 29)).days == 29


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 11, 1), date(2026, 11, 15)),  # half a month
        (date(2026, 11, 2), date(2026, 11, 30)),
        (date(2026, 11, 1), date(2026, 12, 31)),  # two months
        (date(2026, 11, 1), date(2027, 1, 31)),  # three months, not a quarter
        (date(2026, 1, 1), date(2026, 12, 31)),  # a year
        (date(2026, 11, 30), date(2026, 11, 1)),  # backwards
    ],
)
def test_any_other_range_is_refused_with_a_clear_error(start: date, end: date) -> None:
    with pytest.raises(PeriodError, match="month|quarter|before"):
        Period.between(start, end)


def test_keys_and_the_previous_period() -> None:
    assert Period.from_key("2026-01").previous() == Period.month(2025, 12)
    assert Period.from_key("2026-Q1").previous() == Period.quarter(2025, 4)
    for bad in ("2026-13", "2026-Q5", "November", "2026-1"):
        with pytest.raises(PeriodError):
            Period.from_key(bad)


def test_weeks_start_on_monday_and_are_cut_to_the_period() -> None:
    weeks = Period.month(2026, 11).weeks()
    assert weeks[0] == (date(2026, 11, 1), date(2026, 11, 1))  # a Sunday
    assert weeks[1] == (date(2026, 11, 2), date(2026, 11, 8))
    assert weeks[-1] == (date(2026, 11, 30), date(2026, 11, 30))


def test_a_period_not_over_yet_has_no_report() -> None:
    with pytest.raises(PeriodError, match="not ended"):
        check_complete(Period.month(2026, 12), date(2026, 12, 31))
    check_complete(Period.month(2026, 12), date(2027, 1, 1))
    found = recent(date(2027, 1, 5))
    assert found[0] == Period.month(2026, 12) and Period.quarter(2026, 4) in found
