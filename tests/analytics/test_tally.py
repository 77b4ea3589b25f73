"""The tally: counts summed in memory by day, written as upserts, purged after retention."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.analytics import Count, Event, Tally, first_kept_day, purge_before, wait_bucket
from bot.analytics.events import ALL_BUCKETS, bucket_bounds
from bot.store import Database
from bot.store.models import DailyCount

LONDON = ZoneInfo("Europe/London")


def database(folder: Path, url: str | None = None) -> Database:
    db = Database(url or f"sqlite:///{folder / 'counts.db'}")
    db.migrate()
    return db


def rows(db: Database) -> list[tuple[date, str, str, int]]:
    with db.session() as session:
        return [
            (r.day, r.event, r.detail, r.count)
            for r in session.scalars(select(DailyCount).order_by(DailyCount.id))
        ]


def test_counts_are_summed_by_day_and_kind_and_added_to_at_each_write(
    tmp_path: Path, database_url: str
) -> None:
    db = database(tmp_path, database_url)  # SQLite and PostgreSQL upsert differently
    moment = datetime(2026, 11, 3, 23, 30, tzinfo=UTC)  # 23:30 in London too (GMT in winter)
    tally = Tally(db, LONDON, clock=lambda: moment)
    for _ in range(3):
        tally.add(Count(Event.INTENT, "web", "so", "find_mentor"))
    tally.add(Count(Event.INTENT, "telegram", "so", "find_mentor"))
    assert tally.flush() == 4
    tally.add(Count(Event.INTENT, "web", "so", "find_mentor"), times=2)
    tally.flush()
    assert sorted(rows(db)) == [
        (date(2026, 11, 3), "intent", "find_mentor", 1),
        (date(2026, 11, 3), "intent", "find_mentor", 5),
    ]
    assert tally.pending() == 0


def test_the_day_is_the_calendar_day_in_the_service_time_zone(tmp_path: Path) -> None:
    summer_night = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    tally = Tally(database(tmp_path), LONDON)
    assert tally.day(summer_night) == date(2026, 7, 2)


def test_a_failed_write_keeps_the_counts_for_the_next(tmp_path: Path) -> None:
    db = database(tmp_path)
    tally = Tally(db, LONDON)
    tally.add(Count(Event.FALLBACK, "web", "tr", "first"))
    db.engine.dispose()
    broken = Database(f"sqlite:///{tmp_path / 'missing-folder' / 'x' / 'never.db'}")
    tally.db = broken  # no tables: the write fails
    try:
        tally.flush()
    except Exception:  # noqa: BLE001
        pass
    else:
        raise AssertionError("the write should have failed")
    assert tally.pending() == 1
    tally.db = db
    tally.flush()
    assert [r[1:] for r in rows(db)] == [("fallback", "first", 1)]


def test_days_older_than_the_retention_are_purged(tmp_path: Path, database_url: str) -> None:
    db = database(tmp_path, database_url)
    tally = Tally(db, LONDON)
    for day in (date(2023, 1, 1), date(2026, 11, 1)):
        tally.add(Count(Event.CONVERSATION, "web", "en"), on=day)
    tally.flush()
    with db.session() as session:
        gone = purge_before(session, first_kept_day(date(2026, 12, 3), 1096))
    assert gone == 1
    assert [r[0] for r in rows(db)] == [date(2026, 11, 1)]


def test_waits_fall_in_buckets_that_cover_every_minute() -> None:
    assert wait_bucket(0) == "0-1"
    assert wait_bucket(4.99) == "2-5"
    assert wait_bucket(5) == "5-10"
    assert wait_bucket(10_000) == "1440+"
    for label in ALL_BUCKETS:
        lower, _upper = bucket_bounds(label)
        assert wait_bucket(lower) == label
