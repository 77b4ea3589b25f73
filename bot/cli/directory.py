"""`familyhub directory validate` and `familyhub directory coverage`."""

from __future__ import annotations

from pathlib import Path

import click
from babel import Locale

from bot.directory.coverage import coverage as translation_coverage
from bot.directory.directory import Directory
from bot.directory.loader import check_bytes
from bot.settings import get_settings


def _path_argument(path: Path | None) -> Path:
    return path if path is not None else get_settings().services_directory


def _load_or_exit(path: Path) -> Directory:
    """The directory, or every problem printed and exit status 1."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot open {path}: {error.strerror}") from None
    directory, problems = check_bytes(data, get_settings().zone)
    if directory is None:
        for problem in problems:
            click.echo(problem.format(path.name))
        noun = "problem" if len(problems) == 1 else "problems"
        click.echo(
            f"\n{path.name}: {len(problems)} {noun} found; nothing was changed in the running service.",
            err=True,
        )
        raise SystemExit(1)
    return directory


@click.group()
def directory() -> None:
    """Check and report on the services directory."""


@directory.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
def validate(path: Path | None) -> None:
    """Check the directory file; print every problem with its line, exit 1 if there are any."""
    path = _path_argument(path)
    found = _load_or_exit(path)
    click.echo(
        f"{path.name} is valid: {len(found)} services, {len(found.locations)} locations, "
        f"{len(found.organizations)} organizations."
    )


@directory.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
def coverage(path: Path | None) -> None:
    """Show, per language, how much parent-facing text is translated and what is missing."""
    path = _path_argument(path)
    found = _load_or_exit(path)
    names = Locale("en").languages
    for item in translation_coverage(found):
        click.echo(
            f"{names.get(item.language, item.language)} ({item.language}): {item.percent:.0f}% translated "
            f"({item.translated} of {item.total} texts)"
        )
        for label, fields in item.missing.items():
            click.echo(f"  {label}: missing {', '.join(fields)}")
        click.echo("")
