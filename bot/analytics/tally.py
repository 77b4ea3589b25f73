"""The tally: counts kept in memory as things happen, and written to the daily counts in one
transaction every few seconds (and when the process stops), so that the hot path of a
parent's turn never waits for a write."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.analytics.events import Count
from bot.store import Database
from bot.store.models import DailyCount

log = logging.getLogger(__name__)

Key = tuple[date, Count]
# The columns that make a count's key (the unique constraint uq_daily_count).
KEY_COLUMNS = (
    "day",
    "channel",
    "language",
    "event",
    "detail",
    "flag",
    "waited",
    "duty",
    "organisation",
)


class Tally:
    """Counts by day (on TIMEZONE's calendar) and by what happened; thread-safe."""

    def __init__(
        self,
        db: Database | None,
        zone: ZoneInfo,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.db = db
        self.zone = zone
        self.clock = clock or (lambda: datetime.now(UTC))
        self._pending: Counter[Key] = Counter()
        self._lock = threading.Lock()

    def day(self, moment: datetime | None = None) -> date:
        """The calendar day of `moment` (now when None) in TIMEZONE: the finest time kept."""
        return (moment or self.clock()).astimezone(self.zone).date()

    def add(
        self, count: Count, when: datetime | None = None, times: int = 1, *, on: date | None = None
    ) -> None:
        """Count one thing that happened: now, unless `when` (a moment) or `on` (a day) says."""
        key = (on or self.day(when), count)
        with self._lock:
            self._pending[key] += times

    def pending(self) -> int:
        with self._lock:
            return sum(self._pending.values())

    def flush(self) -> int:
        """Write what was counted since the last flush; returns how many events it held."""
        with self._lock:
            taken, self._pending = self._pending, Counter()
        if not taken or self.db is None:
            return sum(taken.values())
        try:
            with self.db.session() as session:
                write(session, taken.items())
        except Exception:
            # Kept for the next flush rather than lost; the turn never sees the failure.
            with self._lock:
                self._pending.update(taken)
            raise
        return sum(taken.values())


def write(session: Session, counts: Iterable[tuple[Key, int]]) -> None:
    """Add counts to the daily counts: one upsert per (day, dimensions)."""
    dialect = session.get_bind().dialect.name
    rows = [
        {
            "day": day,
            "channel": c.channel,
            "language": c.language,
            "event": str(c.event),
            "detail": c.detail[:64],
            "flag": c.flag[:16],
            "waited": c.waited[:16],
            "duty": c.duty[:3],
            "organisation": c.organisation[:200],
            "count": times,
        }
        for (day, c), times in counts
    ]
    if not rows:
        return
    statement: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        upsert = postgresql.insert(DailyCount)
        added = {"count": DailyCount.count + upsert.excluded.count}
        statement = upsert.on_conflict_do_update(constraint="uq_daily_count", set_=added)
    else:
        lite = sqlite.insert(DailyCount)
        added = {"count": DailyCount.count + lite.excluded.count}
        statement = lite.on_conflict_do_update(index_elements=KEY_COLUMNS, set_=added)
    for start in range(0, len(rows), 500):
        session.execute(statement, rows[start : start + 500])


def purge_before(session: Session, first_kept: date) -> int:
    """Delete the counts of days before `first_kept` (REPORT_RETENTION_DAYS); returns rows gone."""
    result = session.execute(delete(DailyCount).where(DailyCount.day < first_kept))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def first_kept_day(today: date, retention_days: int) -> date:
    return today - timedelta(days=retention_days)


__all__ = ["KEY_COLUMNS", "Tally", "first_kept_day", "purge_before", "write"]
