"""Alembic environment: uses the connection handed over by bot.store.migrate."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from bot.store.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url") or ""
        engine = create_engine(url, hide_parameters=True)
        with engine.begin() as own_connection:
            _run(own_connection)
    else:
        _run(connection)


def _render_item(type_: str, obj: Any, autogen_context: Any) -> Any:
    # Migrations must not import our models: write our column types as plain SQLAlchemy ones.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=_render_item,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
