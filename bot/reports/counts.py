"""The daily counts of one period, read from the store in two grouped queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.analytics import Event
from bot.reports.period import Period
from bot.store.models import DailyCount

# event, detail, flag, waited, duty, organisation, channel, language
Key = tuple[str, str, str, str, str, str, str, str]
T = TypeVar("T", bound=Hashable)


@dataclass
class Counts:
    """A period's counts summed over its days, and new conversations by day."""

    period: Period
    totals: Counter[Key] = field(default_factory=Counter)
    conversations_by_day: Counter[tuple[date, str, str]] = field(default_factory=Counter)

    def sum(self, event: Event, by: Callable[[Key], T], **where: str) -> Counter[T]:
        """Counts of one event, grouped by `by(key)`, keeping rows whose fields equal `where`."""
        found: Counter[T] = Counter()
        for key, count in self.totals.items():
            if key[0] != event:
                continue
            if any(getattr(_Fields, name)(key) != value for name, value in where.items()):
                continue
            found[by(key)] += count
        return found

    def events(self, event: Event) -> Iterable[tuple[Key, int]]:
        return ((key, count) for key, count in self.totals.items() if key[0] == event)


class _Fields:
    """Readers of a key's fields, by name."""

    event = staticmethod(lambda key: key[0])
    detail = staticmethod(lambda key: key[1])
    flag = staticmethod(lambda key: key[2])
    waited = staticmethod(lambda key: key[3])
    duty = staticmethod(lambda key: key[4])
    organisation = staticmethod(lambda key: key[5])
    channel = staticmethod(lambda key: key[6])
    language = staticmethod(lambda key: key[7])


FIELDS = _Fields


def read(session: Session, period: Period) -> Counts:
    """The period's counts: everything summed over the days, and conversations per day."""
    in_period = DailyCount.day.between(period.start, period.end)
    columns = (
        DailyCount.event,
        DailyCount.detail,
        DailyCount.flag,
        DailyCount.waited,
        DailyCount.duty,
        DailyCount.organisation,
        DailyCount.channel,
        DailyCount.language,
    )
    found = Counts(period)
    for row in session.execute(
        select(*columns, func.sum(DailyCount.count)).where(in_period).group_by(*columns)
    ):
        key: Key = tuple(str(value) for value in row[:8])  # type: ignore[assignment]
        found.totals[key] += int(row[8])
    for day, channel, language, count in session.execute(
        select(DailyCount.day, DailyCount.channel, DailyCount.language, func.sum(DailyCount.count))
        .where(in_period, DailyCount.event == Event.CONVERSATION)
        .group_by(DailyCount.day, DailyCount.channel, DailyCount.language)
    ):
        found.conversations_by_day[(day, channel, language)] += int(count)
    return found
