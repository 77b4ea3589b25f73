"""Edge cases of the handoff in the running gateway: races, duty hours, escalation, refusals."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.store.models import Handoff, HandoffAlert
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff_flows.conftest import (
    OFF_DUTY,
    Clock,
    Gateway,
    WebParent,
    buttons,
    register,
    to_chat,
    wait_until,
)

AMINA, HODAN, STRANGER = 2001, 2003, 3001
PARENT = 71


def handoff(gateway: Gateway, number: int = 1) -> Handoff:
    with gateway.services.db.session() as session:
        found = session.get(Handoff, number)
        assert found is not None
        session.expunge(found)
        return found


def texts(fake_api: FakeTelegram, chat_id: int) -> list[str]:
    return fake_api.sent_texts(chat_id)


async def test_two_mentors_accept_at_once_and_exactly_one_wins(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "so,en")
    await register(fake_api, gateway, HODAN, "Hodan", "so")
    parent = await WebParent(gateway).open("so")
    await parent.tap("/talk_to_human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    await fake_api.wait_for_call("sendMessage", where=to_chat(HODAN, "#1"))

    def alerts_recorded() -> bool:
        with gateway.services.db.session() as session:
            ids = [a.telegram_message_id for a in session.scalars(select(HandoffAlert))]
        return len(ids) == 2 and all(ids)

    await wait_until(alerts_recorded)

    fake_api.push_callback(AMINA, "handoff:accept:1", language_code="so")
    fake_api.push_callback(HODAN, "handoff:accept:1", language_code="so")
    await fake_api.wait_for_call("editMessageText")
    await asyncio.sleep(0.3)

    winner = handoff(gateway).mentor_id
    assert handoff(gateway).state == "active"
    names = {1: "Amina", 2: "Hodan"}
    loser_chat = HODAN if names[winner] == "Amina" else AMINA  # type: ignore[index]
    edits = fake_api._matching("editMessageText", None)
    assert [e.params["chat_id"] for e in edits] == [loser_chat]
    assert names[winner] in edits[0].params["text"]  # type: ignore[index]
    joined = [t for t in texts(fake_api, PARENT)]
    assert joined == []  # the parent is on the web; nothing went to Telegram for them
    told = [m for m in gateway.transcript(parent.id) if m.sender == "system" and "Manor" in m.text]
    assert len(told) == 1


async def test_nobody_on_duty_queues_and_alerts_when_duty_starts(
    fake_api: FakeTelegram, gateway: Gateway, clock: Clock
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "so,en")
    clock.now = OFF_DUTY
    parent = await WebParent(gateway).open("en")
    answer = await parent.tap("/talk_to_human")
    shown = " ".join(m.get("text", "") for m in answer["messages"])
    assert "not working right now" in shown and "116 123" in shown
    await asyncio.sleep(0.3)
    assert fake_api._matching("sendMessage", to_chat(AMINA, "#1")) == []
    assert handoff(gateway).state == "queued"

    clock.now = OFF_DUTY + timedelta(days=2, hours=12)  # Monday 10:00 in London
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))


async def test_a_request_nobody_accepts_is_escalated(
    fake_api: FakeTelegram, gateway: Gateway, clock: Clock
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    await register(fake_api, gateway, HODAN, "Hodan", "en")
    fake_api.push_text(HODAN, "/away")
    await fake_api.wait_for_call("sendMessage", 2, where=to_chat(HODAN))
    parent = await WebParent(gateway).open("en")
    await parent.tap("/talk_to_human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    await asyncio.sleep(0.2)
    assert fake_api._matching("sendMessage", to_chat(HODAN, "#1")) == []

    clock.now = clock.now + timedelta(minutes=11)
    await fake_api.wait_for_call("sendMessage", where=to_chat(HODAN, "#1"))
    assert handoff(gateway).escalated_at is not None
    await asyncio.sleep(0.1)
    updates = [m for m in gateway.transcript(parent.id) if "asked more of our team" in m.text]
    assert len(updates) == 1


async def test_a_telegram_parent_cancels_while_waiting(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    fake_api.push_text(PARENT, "/human")
    alert = await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    assert "handoff:accept:1" in buttons(alert[0])

    fake_api.push_text(PARENT, "/cancel")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "request is cancelled"))
    edit = await fake_api.wait_for_call("editMessageText")
    assert edit[0].params["chat_id"] == AMINA
    assert "cancelled" in edit[0].params["text"]
    assert handoff(gateway).state == "cancelled"


async def test_a_non_mentor_is_refused_and_logged(
    fake_api: FakeTelegram, gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    parent = await WebParent(gateway).open("en")
    await parent.tap("/talk_to_human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    caplog.set_level(logging.WARNING)

    fake_api.push_text(STRANGER, "/available")
    fake_api.push_text(STRANGER, "/end")
    await fake_api.wait_for_call(
        "sendMessage", 2, where=to_chat(STRANGER, "Only registered mentors")
    )
    fake_api.push_callback(STRANGER, "handoff:accept:1")
    refused = await fake_api.wait_for_call("answerCallbackQuery")
    assert "Only registered mentors" in refused[0].params["text"]

    assert handoff(gateway).state == "queued"
    assert handoff(gateway).mentor_id is None
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) >= 3
