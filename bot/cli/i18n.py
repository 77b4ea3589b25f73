"""`familyhub i18n export`, `import` and `status`: the review workflow of the Somali and Turkish
texts, for partner organisations' bilingual staff (docs/translation.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from bot.settings import get_settings
from bot.translation import (
    NotAReviewSheet,
    Sources,
    clinical_register,
    export,
    import_sheet,
    read,
    report,
)
from bot.translation.catalog import LOCALES_DIR
from bot.translation.export import STATUSES

LANGUAGE = click.Choice(["so", "tr"])
LOCALES = click.option(
    "--locales",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=LOCALES_DIR,
    show_default=True,
    help="The locales folder: catalogs, glossary and review records.",
)


def _sources(locales: Path) -> Sources:
    return Sources(locales, get_settings().services_directory)


@click.group()
def i18n() -> None:
    """Review the Somali and Turkish texts: export a spreadsheet, import it, see the status."""


@i18n.command("export")
@click.option("--language", type=LANGUAGE, required=True, help="so (Somali) or tr (Turkish).")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default=None,
    help="Only the texts with this review status (default: every text).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the spreadsheet (default: review-LANGUAGE-DATE.xlsx here).",
)
@LOCALES
def export_command(language: str, status: str | None, out: Path | None, locales: Path) -> None:
    """Write a spreadsheet (XLSX) of one language's texts for a bilingual reviewer."""
    path = out or Path(f"review-{language}-{date.today().isoformat()}.xlsx")
    count = export(language, _sources(locales), path, clinical_register(), status=status)
    click.echo(f"{path}: {count} texts to review in {language}.")


@i18n.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--reviewer", required=True, help="The reviewer's name, written in each review.")
@click.option(
    "--overwrite-newer",
    is_flag=True,
    help="Replace a text even when it was changed after the spreadsheet was made.",
)
@LOCALES
def import_command(file: Path, reviewer: str, overwrite_newer: bool, locales: Path) -> None:
    """Take a reviewer's spreadsheet back: apply the good rows, list the ones refused.

    Exits 1 when any row was refused (the good rows are applied all the same).
    """
    try:
        sheet = read(file)
    except NotAReviewSheet as error:
        raise click.ClickException(str(error)) from None
    settings = get_settings()
    try:
        outcome = import_sheet(
            sheet,
            _sources(locales),
            reviewer,
            clinical_register(),
            zone=settings.zone,
            overwrite_newer=overwrite_newer,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for line in outcome.applied:
        click.echo(f"applied   {line}")
    for line in outcome.needs_work:
        click.echo(f"marked    {line}: needs work")
    for line in outcome.warnings:
        click.echo(f"note      {line}")
    for line in outcome.refused:
        click.echo(f"REFUSED   {line}", err=True)
    click.echo(
        f"\n{sheet.language}: {len(outcome.applied)} reviewed by {reviewer}, "
        f"{len(outcome.needs_work)} marked needs work, {len(outcome.refused)} refused, "
        f"{outcome.untouched} left as they were."
    )
    if outcome.changed:
        click.echo("Run `make i18n-compile`, then commit locales/ and the services directory.")
    if outcome.refused:
        raise SystemExit(1)


@i18n.command("status")
@LOCALES
def status_command(locales: Path) -> None:
    """Per language: the share of texts reviewed (catalogs, directory texts, glossary, crisis
    texts) and, apart, the clinical review of the crisis phrase lists and crisis texts."""
    click.echo(report(_sources(locales), clinical_register()), nl=False)
