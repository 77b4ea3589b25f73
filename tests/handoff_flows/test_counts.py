"""A whole Telegram conversation with a mentor is counted for the reports, and no stored count
holds text, a conversation id, a Telegram id, a name or a time finer than a day."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime

from sqlalchemy import Date, Integer, String, inspect, select

from bot.gateway.recording import write_and_purge
from bot.store.models import Conversation, DailyCount
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff_flows.conftest import Gateway, accept, register, to_chat

AMINA = 3001
PARENT = 7_700_123_456
SAID = [
    "I really need somebody who speaks Somali please",
    "I want to kill myself",
    "thank you so much for listening to me today",
]
KEPT_COLUMNS = {
    "id",
    "day",
    "channel",
    "language",
    "event",
    "detail",
    "flag",
    "waited",
    "duty",
    "organisation",
    "count",
}


async def test_a_conversation_is_counted_and_nothing_counted_identifies_the_parent(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    gateway.rasa.intent_of = lambda message: "find_mentor" if "somebody" in message else None
    await register(fake_api, gateway, AMINA, "Amina", "so,en")
    fake_api.push_text(PARENT, "/start so", language_code="so")
    await fake_api.wait_for_call("sendMessage", 2, where=to_chat(PARENT))
    fake_api.push_text(PARENT, SAID[0], language_code="so")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "echo"))
    fake_api.push_text(PARENT, SAID[1], language_code="so")
    await accept(fake_api, AMINA)
    fake_api.push_text(PARENT, SAID[2], language_code="so")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "listening"))
    fake_api.push_text(AMINA, "/end")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Amina"), count=2)
    before = len(fake_api._matching("sendMessage", to_chat(PARENT)))
    fake_api.push_callback(PARENT, '/feedback{"score": "good"}', language_code="so")
    await fake_api.wait_for_call("sendMessage", before + 1, where=to_chat(PARENT))

    services = gateway.services
    await asyncio.to_thread(write_and_purge, services.counting, services.tally, 0, False)
    with services.db.session() as session:
        counts = list(session.scalars(select(DailyCount)))
        conversation_ids = list(session.scalars(select(Conversation.id)))
        chat_ids = [str(i) for i in session.scalars(select(Conversation.telegram_chat_id))]

    found = {(c.event, c.detail): c for c in counts}
    assert found[("conversation", "")].channel == "telegram"
    assert ("intent", "find_mentor") in found
    assert ("crisis", "suicide_self_harm") in found
    requested = found[("handoff_requested", "crisis")]
    assert requested.flag == "urgent" and requested.duty == "in"
    accepted = found[("handoff_accepted", "crisis")]
    assert (accepted.organisation, accepted.waited, accepted.duty) == ("Manor Gardens", "0-1", "in")
    assert found[("handoff_ended", "mentor")].organisation == "Manor Gardens"
    assert found[("feedback", "good")].count == 1

    # What the table can hold: a day, short codes and counts; no time, no id of anyone.
    columns = {
        c["name"]: c["type"] for c in inspect(services.db.engine).get_columns("daily_counts")
    }
    assert set(columns) == KEPT_COLUMNS
    for name, kind in columns.items():
        assert isinstance(kind, Date | Integer | String), (name, kind)
    assert isinstance(DailyCount.__table__.c.day.type, Date)
    secrets = [*conversation_ids, *chat_ids, str(PARENT), str(AMINA), "Amina", *SAID]
    words = {word for text in SAID for word in text.split() if len(word) > 5}
    for count in counts:
        assert type(count.day) is date and not isinstance(count.day, datetime)
        for name in KEPT_COLUMNS - {"id", "day", "count"}:
            value = getattr(count, name)
            assert not any(secret in value for secret in secrets), (name, value)
            assert not words & set(value.split()), (name, value)
            assert not re.search(r"[0-9a-f]{16,}|\d{6,}|\d{1,2}:\d{2}", value), (name, value)
