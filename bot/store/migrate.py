"""Alembic, run from code: migrations are applied automatically at start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from bot.store.engine import make_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Gateways starting at once on one PostgreSQL database migrate one after the other: each holds
# this transaction-level advisory lock while it upgrades (the next finds nothing to do).
MIGRATION_LOCK = 7_176_505_051_530_817_331


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def autogenerate(message: str) -> None:
    """Write a new revision from the difference between the models and an empty database."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/scratch.db")
        upgrade(engine)
        config = alembic_config(engine)
        existing = list((MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
        command.revision(
            config, message=message, autogenerate=True, rev_id=f"{len(existing) + 1:04d}"
        )


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--autogenerate":
        autogenerate(sys.argv[2])
    else:
        sys.exit("usage: python -m bot.store.migrate --autogenerate MESSAGE")
