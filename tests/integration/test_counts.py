"""Through the real stack: Rasa's intent (read from its tracker) and the service cards its NLG
rendered are counted for the reports, by channel and language, within a few seconds."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.store import Database
from bot.store.models import DailyCount
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration


def counted(stack: Stack) -> dict[tuple[str, str, str], int]:
    db = Database(stack.settings.database_url)
    with db.session() as session:
        found: dict[tuple[str, str, str], int] = {}
        for row in session.scalars(select(DailyCount).where(DailyCount.language == "tr")):
            key = (row.event, row.detail, row.channel)
            found[key] = found.get(key, 0) + row.count
    db.engine.dispose()
    return found


def test_a_turkish_request_for_a_mentor_is_counted(stack: Stack, web: Any) -> None:
    before = counted(stack)
    chat = web("tr")
    chat.say("mentor istiyorum")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = counted(stack)
        asked = found.get(("intent", "find_mentor", "web"), 0)
        shown = sum(n for (event, _d, _c), n in found.items() if event == "service_shown")
        was = sum(n for (event, _d, _c), n in before.items() if event == "service_shown")
        if asked > before.get(("intent", "find_mentor", "web"), 0) and shown > was:
            return
        time.sleep(1)
    raise AssertionError(f"not counted within 30 s: {counted(stack)}")
