"""The one migration (0001) matches the models: whoever changes them regenerates it
(docs/internals.md#migrations)."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.database import Database
from bot.store.models import Base


def migrated(folder: Path) -> Database:
    """A SQLite database in `folder`, migrated to the latest schema."""
    database = Database(f"sqlite:///{folder / 'store.db'}")
    database.migrate()
    return database


def test_migrations_match_the_models(tmp_path: Path) -> None:
    db = migrated(tmp_path)
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"models and migrations differ; regenerate 0001 (docs/internals.md): {diff}"


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    db = migrated(tmp_path)
    db.migrate()
    assert "alembic_version" in inspect(db.engine).get_table_names()
