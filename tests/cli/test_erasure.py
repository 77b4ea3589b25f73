"""`familyhub erasure reapply`: a parent's erasure survives a restore from a backup taken before
it, on SQLite (the files copied back) and on PostgreSQL (pg_dump and pg_restore)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import main
from bot.conversations import Conversations, Eraser, ErasureLog, TrackerStore, logged_ids
from bot.settings import Settings
from bot.store import Database
from bot.store.models import Conversation
from tests.conftest import make_settings
from tests.servers import PostgresServer
from tests.trackers import rasa_tracker, tracker_url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """The commands' settings (command_settings), on SQLite or PostgreSQL, tracker beside."""
    return make_settings(
        tmp_path,
        database_url=database_url,
        rasa_tracker_store_url=tracker_url(database_url, tmp_path),
    )


class Backup:
    """A whole backup of both stores, restored in place, as docs/deploy.md#database says."""

    def __init__(self, request: pytest.FixtureRequest, settings: Settings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self.server: PostgresServer | None = None
        if settings.database_url.startswith("postgresql"):
            self.server = request.getfixturevalue("postgres_server")
        self.name = settings.database_url.rsplit("/", 1)[-1]

    def _files(self) -> list[Path]:
        return [
            Path(url.removeprefix("sqlite:///"))
            for url in (self.settings.database_url, self.settings.tracker_store_url())
        ]

    def take(self) -> None:
        if self.server is None:
            for path in self._files():
                with sqlite3.connect(path) as source, sqlite3.connect(f"{path}.bak") as copy:
                    source.backup(copy)
            return
        dump = [str(self.server.bin / "pg_dump"), "-Fc", "-h", "127.0.0.1"]
        dump += ["-p", str(self.server.port), "-U", "postgres", "-f", str(self.folder / "dump")]
        subprocess.run([*dump, self.name], check=True)

    def restore(self) -> None:
        if self.server is None:
            for path in self._files():
                for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                    companion.unlink(missing_ok=True)
                shutil.copyfile(f"{path}.bak", path)
            return
        self.server.drop_database(self.name)
        self.server.psql(f'CREATE DATABASE "{self.name}"')
        restore = [str(self.server.bin / "pg_restore"), "-h", "127.0.0.1"]
        restore += ["-p", str(self.server.port), "-U", "postgres", "-d", self.name]
        subprocess.run([*restore, str(self.folder / "dump")], check=True)


def conversations_left(url: str, ids: list[str]) -> int:
    db = Database(url)
    with db.session() as session:
        found = session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.id.in_(ids))
        )
    db.engine.dispose()
    return int(found or 0)


def test_an_erasure_is_applied_again_after_a_restore(
    command_settings: Settings, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings = command_settings
    db = Database(settings.database_url)
    db.migrate()
    records = Conversations(db, retention_days=30, hashing_key=settings.hashing_key())
    erased = records.for_telegram_chat(101, "so").id
    kept = records.for_telegram_chat(102, "tr").id
    tracker = rasa_tracker(settings.database_url, tmp_path, [erased, kept])
    backup = Backup(request, settings, tmp_path)
    backup.take()

    Eraser(db, tracker, ErasureLog(settings.erasure_log)).erase(erased)  # the parent's /forget
    tracker.dispose()
    db.engine.dispose()
    assert list(logged_ids([settings.erasure_log])) == [erased]
    backup.restore()
    assert conversations_left(settings.database_url, [erased]) == 1, "the backup brought it back"

    result = CliRunner().invoke(main, ["erasure", "reapply"])

    assert result.exit_code == 0, result.output
    assert "1 erased conversations applied again" in result.output
    assert conversations_left(settings.database_url, [erased]) == 0
    assert conversations_left(settings.database_url, [kept]) == 1
    tracker = TrackerStore(settings.tracker_store_url(), schema=settings.rasa_tracker_schema)
    assert tracker.count(erased) == 0 and tracker.count(kept) == 3
    tracker.dispose()
    again = CliRunner().invoke(main, ["erasure", "reapply"])
    assert again.exit_code == 0 and conversations_left(settings.database_url, [kept]) == 1


def test_reapply_reads_every_hosts_log_and_refuses_a_missing_one(
    command_settings: Settings, tmp_path: Path
) -> None:
    db = Database(command_settings.database_url)
    db.migrate()
    records = Conversations(db, retention_days=30, hashing_key=command_settings.hashing_key())
    first, second = records.for_telegram_chat(1, "en").id, records.for_telegram_chat(2, "en").id
    db.engine.dispose()
    ErasureLog(tmp_path / "host1.log").record(first)
    ErasureLog(tmp_path / "host2.log").record(second)
    logs = ["--log", str(tmp_path / "host1.log"), "--log", str(tmp_path / "host2.log")]

    missing = CliRunner().invoke(main, ["erasure", "reapply", "--log", str(tmp_path / "no.log")])
    assert missing.exit_code != 0 and "no such log" in missing.output
    result = CliRunner().invoke(main, ["erasure", "reapply", *logs])
    assert result.exit_code == 0, result.output
    assert conversations_left(command_settings.database_url, [first, second]) == 0
