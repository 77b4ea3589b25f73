"""`familyhub report`: the working group's report of a whole month or quarter, as a file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from bot.settings import get_settings


def _day(_context: click.Context, _parameter: click.Parameter, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-01") from error


@click.command()
@click.option("--from", "start", required=True, callback=_day, help="First day, e.g. 2026-11-01")
@click.option("--to", "end", required=True, callback=_day, help="Last day, e.g. 2026-11-30")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["html", "csv", "xlsx"]),
    default="html",
    show_default=True,
    help="One HTML page, a CSV file a table, or one XLSX workbook.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write into.",
)
def report(start: date, end: date, kind: str, out: Path) -> None:
    """Write the report of a whole calendar month or quarter (nothing that identifies a family)."""
    from bot.directory import DirectoryError, load_directory
    from bot.reports import (
        Period,
        PeriodError,
        PopulationError,
        build_report,
        check_complete,
        read_population,
        render_html,
        write_csv,
        xlsx_bytes,
    )
    from bot.store import Database

    settings = get_settings()
    today = datetime.now(settings.zone).date()
    try:
        period = Period.between(start, end)
        check_complete(period, today)
        population = read_population(settings.report_population_file)
    except (PeriodError, PopulationError) as error:
        raise click.UsageError(str(error)) from error
    try:
        directory = load_directory(settings.services_directory, settings.zone)
    except DirectoryError as error:
        click.echo(
            f"warning: the services directory cannot be read ({error}); services are shown by id.",
            err=True,
        )
        directory = None
    db = Database(settings.database_url)
    db.migrate()
    with db.session() as session:
        made = build_report(
            session,
            period,
            directory=directory,
            population=population,
            today=today,
            charts=kind == "html",
        )
    out.mkdir(parents=True, exist_ok=True)
    name = f"familyhub-report-{period.key}"
    if kind == "html":
        path = out / f"{name}.html"
        path.write_text(render_html(made), encoding="utf-8")
        click.echo(f"Wrote {path}")
    elif kind == "xlsx":
        path = out / f"{name}.xlsx"
        path.write_bytes(xlsx_bytes(made))
        click.echo(f"Wrote {path}")
    else:
        for written in write_csv(made, out):
            click.echo(f"Wrote {written}")
