"""Report periods: whole calendar months or whole quarters, nothing else.

Overlapping custom ranges would let small numbers be worked out by subtracting one report
from another, so any other range is refused with a clear error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_KEY = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4]))$")


class PeriodError(ValueError):
    """A range that is not a whole calendar month or a whole quarter."""


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    """A whole calendar month or quarter: first and last day, both included."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), _month_end(year, first + 2))

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """The period from `start` to `end`; PeriodError unless a whole month or quarter."""
        if end < start:
            raise PeriodError(f"the period ends ({end}) before it starts ({start})")
        month = cls.month(start.year, start.month)
        if start == month.start and end == month.end:
            return month
        if start.day == 1 and start.month % 3 == 1:
            quarter = cls.quarter(start.year, (start.month - 1) // 3 + 1)
            if end == quarter.end:
                return quarter
        raise PeriodError(
            f"{start} to {end} is not a whole calendar month or quarter. Reports cover whole "
            "months (e.g. --from 2026-11-01 --to 2026-11-30) or whole quarters (e.g. --from "
            "2026-10-01 --to 2026-12-31) only, so that small numbers cannot be worked out by "
            "comparing overlapping reports."
        )

    @classmethod
    def from_key(cls, key: str) -> Period:
        """A period from its key: "2026-11" (a month) or "2026-Q4" (a quarter)."""
        found = _KEY.match(key.strip())
        if not found:
            raise PeriodError(f"{key!r} is not a month (2026-11) or a quarter (2026-Q4)")
        year = int(found["year"])
        if found["quarter"]:
            return cls.quarter(year, int(found["quarter"]))
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"{key!r}: there is no month {month}")
        return cls.month(year, month)

    @property
    def is_quarter(self) -> bool:
        return self.start.month != self.end.month

    @property
    def key(self) -> str:
        if self.is_quarter:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.is_quarter:
            quarter = (self.start.month - 1) // 3 + 1
            first, last = MONTHS[self.start.month - 1], MONTHS[self.end.month - 1]
            return f"Q{quarter} {self.start.year} ({first} to {last})"
        return f"{MONTHS[self.start.month - 1]} {self.start.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        before = self.start - timedelta(days=1)
        if self.is_quarter:
            return Period.quarter(before.year, (before.month - 1) // 3 + 1)
        return Period.month(before.year, before.month)

    def weeks(self) -> list[tuple[date, date]]:
        """The weeks (Monday first) that overlap the period, each cut to the period's days."""
        found = []
        monday = self.start - timedelta(days=self.start.weekday())
        while monday <= self.end:
            found.append((max(monday, self.start), min(monday + timedelta(days=6), self.end)))
            monday += timedelta(days=7)
        return found


def recent(today: date, months: int = 12) -> list[Period]:
    """The last `months` whole months before `today`'s, and the quarters among them, newest first."""
    found: list[Period] = []
    period = Period.month(today.year, today.month).previous()
    for _ in range(months):
        found.append(period)
        if period.end.month % 3 == 0:
            found.append(Period.quarter(period.end.year, period.end.month // 3))
        period = period.previous()
    return found


def check_complete(period: Period, today: date) -> None:
    """PeriodError while the period has not ended: a report of part of a month, then of all
    of it, would give away the days between by subtraction."""
    if period.end >= today:
        raise PeriodError(
            f"{period.label} has not ended yet: its report can be made from {period.end + timedelta(days=1)}"
        )
