"""`familyhub erasure reapply`: after a restore from backup, erase again what parents erased."""

from __future__ import annotations

from pathlib import Path

import click

from bot.conversations import Eraser, TrackerStore, logged_ids, purge
from bot.settings import get_settings
from bot.store import Database


@click.group()
def erasure() -> None:
    """The erased-ids log (ERASURE_LOG), re-applied after a restore (docs/deploy.md#database)."""


@erasure.command()
@click.option(
    "--log",
    "logs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="An erased-ids log to apply; repeat for each gateway host's log. Default: ERASURE_LOG.",
)
def reapply(logs: tuple[Path, ...]) -> None:
    """Erase every logged conversation again, in our store and Rasa's tracker, then purge
    what is past the retention period. Safe to run any number of times."""
    settings = get_settings()
    paths = list(logs) or [settings.erasure_log]
    missing = [str(path) for path in paths if not path.exists()]
    if logs and missing:
        raise click.UsageError(f"no such log: {', '.join(missing)}")
    db = Database(settings.database_url)
    db.migrate()
    tracker = TrackerStore(settings.tracker_store_url(), schema=settings.rasa_tracker_schema)
    eraser = Eraser(db, tracker)  # not logged again: the ids are in the log already
    try:
        erased = 0
        for conversation_id in logged_ids(paths):
            eraser.erase(conversation_id)
            erased += 1
        purged = purge(db, tracker, settings.retention_days)
    finally:
        tracker.dispose()
        db.engine.dispose()
    click.echo(
        f"{erased} erased conversations applied again; retention purge: "
        f"{purged.messages} messages, {purged.conversations} conversations, "
        f"{purged.events} tracker events."
    )
