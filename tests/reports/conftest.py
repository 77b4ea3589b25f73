"""A database of synthetic activity (bench/synthetic_activity.py) for October and November
2026, with a few counts placed by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.synthetic_activity import fill
from bot.analytics import Count, Event, write
from bot.directory import Directory, load_directory
from bot.reports import Period, Population, Report, build_report
from bot.settings import PROJECT_ROOT
from bot.store import Database

NOVEMBER = Period.month(2026, 11)
TODAY = date(2026, 12, 3)
POPULATION = Population("A test source", "percent of residents", {"so": 1.5, "tr": 1.8})
# Suicide or self-harm in November: Somali 3, Turkish 10, English 12 (on top of the synthetic).
PLACED = {"so": 3, "tr": 10, "en": 12}


@pytest.fixture(scope="session")
def directory() -> Directory:
    from zoneinfo import ZoneInfo

    return load_directory(PROJECT_ROOT / "services_directory.yaml", ZoneInfo("Europe/London"))


@pytest.fixture(scope="session")
def activity(tmp_path_factory: pytest.TempPathFactory) -> Database:
    folder = tmp_path_factory.mktemp("activity")
    url = f"sqlite:///{folder / 'activity.db'}"
    # A small borough: many counts under 5, so that every kind of hiding happens.
    fill(url, date(2026, 10, 1), 2, scale=0.3, seed=3)
    db = Database(url)
    with db.session() as session:
        write(
            session,
            [
                ((date(2026, 11, 10), Count(Event.CRISIS, "web", code, "harm_to_baby")), n)
                for code, n in PLACED.items()
            ],
        )
    return db


@pytest.fixture(scope="session")
def report(activity: Database, directory: Directory) -> Report:
    with activity.session() as session:
        return build_report(
            session, NOVEMBER, directory=directory, population=POPULATION, today=TODAY
        )


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"
