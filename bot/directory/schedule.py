"""Weekly sessions on the wall clock of one time zone (TIMEZONE): when a service is open and
when it next runs."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.directory.localised import Text

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True, slots=True)
class Session:
    """One weekly session: a day (0 = Monday), a start and an end, at a location."""

    day: int
    start: time
    end: time
    location: str | None = None
    note: Text | None = None

    @property
    def start_minute(self) -> int:
        """Minutes from Monday 00:00 to the start."""
        return self.day * MINUTES_PER_DAY + self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        """Minutes from Monday 00:00 to the end."""
        return self.day * MINUTES_PER_DAY + self.end.hour * 60 + self.end.minute


@dataclass(frozen=True, slots=True)
class Schedule:
    """Weekly sessions, or `by_appointment`, or `always` (a 24-hour line), on `zone`'s clock."""

    zone: ZoneInfo
    sessions: tuple[Session, ...] = ()
    by_appointment: bool = False
    always: bool = False
    start_minutes: tuple[int, ...] = field(default=(), repr=False, compare=False)
    end_minutes: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def weekly(cls, sessions: tuple[Session, ...], zone: ZoneInfo) -> Schedule:
        """A schedule of weekly sessions, kept sorted for fast look-ups."""
        ordered = tuple(sorted(sessions, key=lambda s: (s.start_minute, s.end_minute)))
        return cls(
            zone=zone,
            sessions=ordered,
            start_minutes=tuple(s.start_minute for s in ordered),
            end_minutes=tuple(s.end_minute for s in ordered),
        )

    def days(self) -> frozenset[int]:
        """Weekdays (0 = Monday) with at least one session; all days when always open."""
        if self.always:
            return frozenset(range(7))
        return frozenset(s.day for s in self.sessions)

    def local(self, when: datetime) -> datetime:
        """The moment on this schedule's clock (see `local_time`)."""
        return local_time(when, self.zone)

    def is_open_at(self, when: datetime) -> bool:
        """Whether a session is running at this moment (on the schedule's wall clock)."""
        if self.always:
            return True
        minute = week_minute(self.local(when))
        return any(s.start_minute <= minute < s.end_minute for s in self.sessions)

    def minutes_to_next(self, minute: int) -> tuple[int, Session] | None:
        """Wall-clock minutes from `minute` of the week to the start of the running or next session."""
        if not self.sessions:
            return None
        # The first session that has not yet ended; sessions never cross midnight, so ends are sorted too.
        index = bisect.bisect_right(self.end_minutes, minute)
        if index < len(self.sessions):
            session = self.sessions[index]
            return session.start_minute - minute, session
        session = self.sessions[0]
        return session.start_minute + MINUTES_PER_WEEK - minute, session

    def next(self, now: datetime) -> tuple[datetime, Session] | None:
        """The session running now or starting next, with its aware start on the schedule's clock."""
        local = self.local(now)
        found = self.minutes_to_next(week_minute(local))
        if found is None:
            return None
        delta, session = found
        return session_start(local, delta, session), session

    def next_session(self, now: datetime) -> datetime | None:
        """Start of the session running now or starting next, as an aware time on the schedule's clock."""
        found = self.next(now)
        return found[0] if found else None


def local_time(when: datetime, zone: ZoneInfo) -> datetime:
    """The moment on `zone`'s clock; a naive time is taken as on that clock already."""
    if when.tzinfo is None:
        return when.replace(tzinfo=zone)
    return when.astimezone(zone)


def week_minute(local: datetime) -> int:
    """Minutes since Monday 00:00 on the local wall clock."""
    return local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute


def session_start(local_now: datetime, delta_minutes: int, session: Session) -> datetime:
    """The aware start of `session`, which begins `delta_minutes` of wall clock after `local_now`
    (an aware time on the schedule's clock, from `Schedule.local`)."""
    zone = local_now.tzinfo
    now_minute = week_minute(local_now)
    day_offset = (now_minute + delta_minutes) // MINUTES_PER_DAY - local_now.weekday()
    day: date = local_now.date() + timedelta(days=day_offset)
    start = datetime.combine(day, session.start, tzinfo=zone)
    # A start inside the spring-forward gap does not exist; the round trip moves it to a real time.
    return start.astimezone(UTC).astimezone(zone)
