"""Our engines never put a statement's parameters (a parent's words) in an error or a log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from bot.store import Database
from bot.store.models import Conversation, Message, utcnow

SECRET = "I am scared of my partner"


def test_a_database_error_does_not_quote_the_parents_words(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    db.migrate()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(IntegrityError) as raised, db.session() as session:
        # No such conversation: the foreign key refuses the row, and the error quotes the INSERT.
        session.add(
            Message(
                conversation_id="nope",
                direction="in",
                sender="parent",
                text=SECRET,
                created_at=utcnow(),
                expires_at=utcnow(),
            )
        )
        session.flush()
    assert SECRET not in str(raised.value)
    assert "parameters hidden" in str(raised.value)
    logging.getLogger("test").exception("as a handler would log it", exc_info=raised.value)
    assert SECRET not in caplog.text


def test_every_engine_of_ours_hides_parameters(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    assert db.engine.hide_parameters
    postgres = Database("postgresql+psycopg://u:p@127.0.0.1:1/none")
    assert postgres.engine.hide_parameters
    # The conversation model is importable and unchanged: the test above used its table.
    assert Conversation.__tablename__ == "conversations"
