"""`familyhub staff …`: the named accounts that may read the reports at /staff/reports."""

from __future__ import annotations

import click

from bot import staff as accounts
from bot.settings import get_settings
from bot.staff.passwords import SHORTEST
from bot.store import Database


def _database() -> Database:
    db = Database(get_settings().database_url)
    db.migrate()
    return db


@click.group()
def staff() -> None:
    """Add, list and remove the staff accounts that read the reports."""


@staff.command()
@click.argument("name")
@click.password_option(
    help=f"At least {SHORTEST} characters; asked for when not given.",
)
def add(name: str, password: str) -> None:
    """Add NAME, or set a new password for NAME (stored only as a scrypt hash)."""
    try:
        with _database().session() as session:
            created = accounts.add(session, name, password)
    except (accounts.StaffError, accounts.WeakPassword) as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"{'Added' if created else 'New password for'} {name}.")


@staff.command("list")
def list_() -> None:
    """List the staff accounts."""
    with _database().session() as session:
        found = accounts.all_accounts(session)
        if not found:
            click.echo("No staff accounts yet. Add one with: familyhub staff add NAME")
        for account in found:
            click.echo(f"{account.name}\tadded {account.created_at:%Y-%m-%d}")


@staff.command()
@click.argument("name")
def remove(name: str) -> None:
    """Remove NAME: their sessions stop working at once."""
    with _database().session() as session:
        removed = accounts.remove(session, name)
    if not removed:
        raise click.UsageError(f"there is no staff account {name!r}")
    click.echo(f"Removed {name}.")
