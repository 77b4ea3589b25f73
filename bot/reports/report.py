"""A whole report: the period's counts read once, the sections built and protected, the
changes against the period before, and the charts drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from bot.directory import Directory
from bot.reports import changes, counts, sections
from bot.reports.changes import Change
from bot.reports.charts import Chart, bars, for_table
from bot.reports.disclosure import NOTE, Shown
from bot.reports.period import Period
from bot.reports.population import Population
from bot.reports.sections import Section
from bot.reports.tables import Protected


@dataclass
class Report:
    period: Period
    previous: Period
    made_on: date
    sections: list[Section]
    changes: list[Change]
    charts: dict[str, Chart] = field(default_factory=dict)  # by table key, and "changes"
    note: str = NOTE

    def tables(self) -> list[Protected]:
        return [table for section in self.sections for table in section.tables]


def _sections(
    found: counts.Counts, directory: Directory | None, population: Population
) -> list[Section]:
    return [
        sections.reach(found, population),
        sections.needs(found),
        sections.gaps(found, directory),
        sections.signposting(found, directory),
        sections.handoffs(found),
        sections.safety(found),
        sections.feedback(found),
    ]


def build_report(
    session: Session,
    period: Period,
    *,
    directory: Directory | None,
    population: Population,
    today: date,
    charts: bool = True,
) -> Report:
    """The report of `period` (a whole month or quarter), with the one before to compare."""
    previous = period.previous()
    now = _sections(counts.read(session, period), directory, population)
    before = _sections(counts.read(session, previous), directory, population)
    by_key = {t.table.key: t for s in now for t in s.tables}
    before_by_key = {t.table.key: t for s in before for t in s.tables}
    section, found = changes.compare(by_key, before_by_key, period.label, previous.label)
    report = Report(period, previous, today, [*now, section], found)
    if charts:
        for table in report.tables():
            chart = for_table(table)
            if chart is not None:
                report.charts[table.table.key] = chart
        drawable = [c for c in found if c.before.shown or c.after.shown]
        if drawable:
            values: list[list[Shown]] = [[c.before, c.after] for c in drawable]
            report.charts["changes"] = bars(
                "The counts of this period against the last",
                [c.label for c in drawable],
                [previous.label, period.label],
                values,
            )
    return report
