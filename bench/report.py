"""Benchmark: the working group's report on a year of a large borough's activity.

Fills a database with a year of synthetic activity (bench/synthetic_activity.py) at a scale
of about 2 million counted events (kept in var/bench/, made once), then times the report of
its last month and of its last quarter: reading the counts, building and protecting every
table, the charts, and the HTML page; also the XLSX and CSV exports. Target: under 10 s for a
month's HTML report. Baseline, in the same run: the same month's report on a database with
that month alone, so the cost of a year's rows beside it shows.

    .venv/bin/python bench/report.py [--scale 7] [--rebuild]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.synthetic_activity import fill  # noqa: E402
from bot.directory import load_directory  # noqa: E402
from bot.reports import (  # noqa: E402
    Period,
    Population,
    build_report,
    render_html,
    write_csv,
    xlsx_bytes,
)
from bot.settings import PROJECT_ROOT  # noqa: E402
from bot.store import Database  # noqa: E402
from bot.store.models import DailyCount  # noqa: E402

YEAR = date(2026, 1, 1)
MONTH = Period.month(2026, 12)
QUARTER = Period.quarter(2026, 4)
TARGET_SECONDS = 10.0


def timed(db: Database, period: Period, html: bool = True) -> tuple[float, int]:
    """Seconds to build the period's report (and its page); the page's size in bytes."""
    directory = load_directory(PROJECT_ROOT / "services_directory.yaml", ZoneInfo("Europe/London"))
    population = Population("benchmark", "", {"so": 1.5, "tr": 1.8})
    began = time.perf_counter()
    with db.session() as session:
        report = build_report(
            session,
            period,
            directory=directory,
            population=population,
            today=date(2027, 1, 5),
            charts=html,
        )
    size = len(render_html(report).encode()) if html else 0
    return time.perf_counter() - began, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=7.0)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    folder = PROJECT_ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"report-year-{args.scale:g}.db"
    if args.rebuild and path.exists():
        path.unlink()
    if not path.exists():
        began = time.perf_counter()
        events, rows = fill(f"sqlite:///{path}", YEAR, 12, scale=args.scale, seed=2026)
        print(
            f"filled: {events:,} events in {rows:,} daily rows ({time.perf_counter() - began:.0f} s)"
        )
    db = Database(f"sqlite:///{path}")
    with db.session() as session:
        events, rows = session.execute(
            select(func.sum(DailyCount.count), func.count(DailyCount.id))
        ).one()
    print(f"database: a year, {events:,} counted events in {rows:,} daily rows ({path.name})")
    timed(db, MONTH)  # warm: imports, fonts, templates
    month = min(timed(db, MONTH) for _ in range(3))
    quarter = min(timed(db, QUARTER) for _ in range(2))
    tables_only = min(timed(db, MONTH, html=False) for _ in range(3))[0]
    with db.session() as session:
        report = build_report(
            session, MONTH, directory=None, population=Population(), today=date(2027, 1, 5)
        )
    began = time.perf_counter()
    xlsx = len(xlsx_bytes(report))
    exported = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as out:
        began = time.perf_counter()
        write_csv(report, Path(out))
        csv_seconds = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as scratch:
        alone = f"sqlite:///{scratch}/month.db"
        fill(alone, date(2026, 12, 1), 1, scale=args.scale, seed=2026)
        baseline = min(timed(Database(alone), MONTH) for _ in range(3))
    status = "met" if month[0] < TARGET_SECONDS else "MISSED"
    print(
        f"month report, HTML with charts: {month[0]:.2f} s best of 3 ({month[1] / 1e6:.1f} MB); target < {TARGET_SECONDS:.0f} s: {status}"
    )
    print(f"  baseline, the same month alone in its database: {baseline[0]:.2f} s")
    print(f"quarter report, HTML with charts: {quarter[0]:.2f} s best of 2")
    print(f"month report, tables only (no charts): {tables_only:.2f} s")
    print(f"exports: XLSX {exported:.2f} s ({xlsx / 1e3:.0f} kB), CSV {csv_seconds:.2f} s")


if __name__ == "__main__":
    main()
