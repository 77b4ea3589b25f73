"""The one migration (0001) matches the models, on SQLite and on PostgreSQL: whoever changes
them regenerates it (docs/internals.md#migrations)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.database import Database
from bot.store.models import Base


def migrated(url: str) -> Database:
    """The database at `url`, migrated to the latest schema."""
    database = Database(url)
    database.migrate()
    return database


def test_migrations_match_the_models(database_url: str) -> None:
    db = migrated(database_url)
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    db.engine.dispose()
    assert diff == [], f"models and migrations differ; regenerate 0001 (docs/internals.md): {diff}"


def test_migrate_is_idempotent(database_url: str) -> None:
    db = migrated(database_url)
    db.migrate()
    assert "alembic_version" in inspect(db.engine).get_table_names()
