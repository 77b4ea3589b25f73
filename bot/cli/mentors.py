"""`familyhub mentors …`: invite, list, pause, resume and remove mentors."""

from __future__ import annotations

import click

from bot.core import MentorStatus
from bot.handoff import Parents
from bot.handoff import mentors as registry
from bot.handoff.closing import release_mentor
from bot.settings import Settings, get_settings
from bot.store import Database
from bot.store.models import utcnow


def _database(settings: Settings) -> Database:
    db = Database(settings.database_url)
    db.migrate()
    return db


@click.group()
def mentors() -> None:
    """Invite, list, pause and remove mentors."""


@mentors.command()
@click.option("--name", required=True, help="The mentor's name, as parents will see it.")
@click.option("--languages", required=True, help="Languages they speak, e.g. so,en")
@click.option("--organisation", required=True, help='Their organisation, e.g. "Manor Gardens"')
def invite(name: str, languages: str, organisation: str) -> None:
    """Create a one-time, expiring invite link for a new mentor."""
    settings = get_settings()
    with _database(settings).session() as session:
        try:
            mentor, code = registry.invite(session, settings, name, languages, organisation)
        except registry.MentorError as error:
            raise click.UsageError(str(error)) from error
        click.echo(
            f"Invited mentor #{mentor.id} {mentor.name} ({mentor.organisation}; {mentor.languages})."
        )
        click.echo(
            f"Send them this link; it works once and expires in {settings.mentor_invite_hours} hours:"
        )
        click.echo(registry.invite_link(settings, code))


@mentors.command("list")
def list_() -> None:
    """List mentors with their languages, status and availability."""
    with _database(get_settings()).session() as session:
        rows = registry.all_mentors(session)
        if not rows:
            click.echo("No mentors yet. Invite one with: familyhub mentors invite --help")
        for mentor in rows:
            availability = "available" if mentor.available else "away"
            click.echo(
                f"#{mentor.id}\t{mentor.name}\t{mentor.organisation}\t{mentor.languages}\t{mentor.status}\t{availability}"
            )


def _set_status(mentor_id: int, status: MentorStatus, done: str) -> None:
    with _database(get_settings()).session() as session:
        try:
            mentor = registry.set_status(session, mentor_id, status)
        except registry.MentorError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"{done} mentor #{mentor.id} {mentor.name}.")


@mentors.command()
@click.argument("mentor_id", type=int)
def pause(mentor_id: int) -> None:
    """Stop alerts to a mentor without removing them; conversations they hold carry on."""
    _set_status(mentor_id, MentorStatus.PAUSED, "Paused")


@mentors.command()
@click.argument("mentor_id", type=int)
def resume(mentor_id: int) -> None:
    """Start alerts to a paused mentor again."""
    _set_status(mentor_id, MentorStatus.ACTIVE, "Resumed")


@mentors.command()
@click.argument("mentor_id", type=int)
def remove(mentor_id: int) -> None:
    """Remove a mentor; they can no longer use mentor commands, and any conversation they hold
    goes back to the queue for another mentor (the parent is told)."""
    settings = get_settings()
    with _database(settings).session() as session:
        try:
            mentor = registry.set_status(session, mentor_id, MentorStatus.REMOVED)
        except registry.MentorError as error:
            raise click.ClickException(str(error)) from error
        # The running gateway delivers the alerts and the parents' messages from the outbox.
        moved = release_mentor(
            session, settings, mentor.id, utcnow(), Parents(settings.retention_days)
        )
        click.echo(f"Removed mentor #{mentor.id} {mentor.name}.")
        if moved:
            click.echo(
                f"{moved} conversation(s) they held went back to the queue; parents were told."
            )
