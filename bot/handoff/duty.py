"""Mentor duty hours: when an organisation's mentors are expected to answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$"
)


class DutyHoursError(ValueError):
    """A duty hours text that cannot be read."""


@dataclass(frozen=True)
class DutySpan:
    days: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class DutyHours:
    """Weekly duty hours in one time zone, e.g. "Mon-Fri 09:00-17:00, Sat 10:00-12:00"."""

    spans: tuple[DutySpan, ...]
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str, zone: str) -> DutyHours:
        spans = []
        for part in text.lower().split(","):
            match = _SPAN.match(part)
            if not match or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
                raise DutyHoursError(
                    f"cannot read duty hours {part.strip()!r}; write e.g. 'Mon-Fri 09:00-17:00'"
                )
            first = DAYS.index(match["first"])
            last = DAYS.index(match["last"]) if match["last"] else first
            days = (
                frozenset(range(first, last + 1))
                if first <= last
                else frozenset([*range(first, 7), *range(0, last + 1)])
            )
            start, end = (
                time.fromisoformat(match["start"].zfill(5)),
                time.fromisoformat(match["end"].zfill(5)),
            )
            if end <= start:
                raise DutyHoursError(f"duty hours {part.strip()!r} end before they start")
            spans.append(DutySpan(days, start, end))
        return cls(tuple(spans), ZoneInfo(zone))

    def is_on(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return any(
            local.weekday() in span.days and span.start <= local.time() < span.end
            for span in self.spans
        )

    def next_start(self, moment: datetime) -> datetime:
        """The next moment duty begins (or `moment` itself when on duty now)."""
        if self.is_on(moment):
            return moment
        local = moment.astimezone(self.zone)
        candidates = []
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            for span in self.spans:
                if day.weekday() in span.days:
                    start = datetime.combine(day, span.start, tzinfo=self.zone)
                    if start > local:
                        candidates.append(start)
        return min(candidates)


def duty_hours_for(
    organisation: str, default: str, overrides: dict[str, str], zone: str
) -> DutyHours:
    """The duty hours of one organisation, falling back to the default."""
    return DutyHours.parse(overrides.get(organisation, default), zone)
