"""Nothing lost: restarts, failed sends, and crisis messages during and around a handoff."""

from __future__ import annotations

from sqlalchemy import select

from bot.handoff.desk import MentorDesk
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import OutboxItem
from tests.fakes.telegram_api import FakeTelegram
from tests.gateway.fake_rasa import FakeRasa
from tests.handoff_flows.conftest import (
    Clock,
    Gateway,
    WebParent,
    accept,
    buttons,
    register,
    to_chat,
    wait_until,
    web_parent_with_mentor,
)

AMINA = 2001
PARENT = 71
CRISIS = "I want to kill myself"


async def active_telegram_handoff(fake_api: FakeTelegram, gateway: Gateway) -> None:
    """A Telegram parent talking with Amina."""
    await register(fake_api, gateway, AMINA, "Amina", "en")
    fake_api.push_text(PARENT, "/human")
    await accept(fake_api, AMINA)
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Amina"))


async def test_a_restart_mid_handoff_loses_nothing(
    fake_api: FakeTelegram, telegram_settings: Settings, rasa: FakeRasa, clock: Clock
) -> None:
    gateway = await Gateway(telegram_settings, rasa, clock).start()
    try:
        await active_telegram_handoff(fake_api, gateway)
    finally:
        await gateway.stop()

    # While the gateway is down, a reply is stored in the outbox (as a crash after the commit).
    db = Database(telegram_settings.database_url)
    desk = MentorDesk(db, telegram_settings)
    assert desk.reply(AMINA, "Are you still there?", None, AMINA) is None
    db.engine.dispose()

    gateway = await Gateway(telegram_settings, rasa, clock).start()
    try:
        await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Are you still there?"))
        fake_api.push_text(PARENT, "yes, thank you")
        await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "yes, thank you"))
        fake_api.push_text(AMINA, "Good to hear")
        await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Good to hear"))
        assert not any(m["message"] == "yes, thank you" for m in rasa.messages)
    finally:
        await gateway.stop()


async def test_a_failed_send_is_retried_and_delivered(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await active_telegram_handoff(fake_api, gateway)
    # Only the relay fails: another message still on its way must not take the failure.
    fake_api.fail_next(
        "sendMessage",
        status=500,
        description="Internal Server Error",
        where=lambda params: "First try fails" in params.get("text", ""),
    )
    fake_api.push_text(AMINA, "First try fails")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "First try fails"))
    failed = [
        c
        for c in fake_api.calls("sendMessage")
        if c.status == 500 and "First try fails" in c.params.get("text", "")
    ]
    assert len(failed) == 1

    fake_api.fail_next(
        "sendMessage",
        status=429,
        retry_after=1,
        where=lambda params: "Too many requests" in params.get("text", ""),
    )
    fake_api.push_text(AMINA, "Too many requests")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Too many requests"))
    assert any(
        c.status == 429 and "Too many requests" in c.params.get("text", "")
        for c in fake_api.calls("sendMessage")
    )

    def all_sent() -> bool:
        with gateway.services.db.session() as session:
            return all(o.status == "sent" for o in session.scalars(select(OutboxItem)))

    await wait_until(all_sent)


async def test_a_crisis_during_a_handoff_is_answered_and_flagged(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)

    answer = await parent.say(CRISIS)
    shown = " ".join(m.get("text", "") for m in answer["messages"])
    assert "999" in shown and "116 123" in shown
    flagged = await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, CRISIS))
    assert "URGENT" in flagged[0].params["text"] and "⚠️" in flagged[0].params["text"]
    assert not any(m["message"] == CRISIS for m in gateway.rasa.messages)


async def test_a_crisis_with_rasa_stopped_still_gets_the_reply_and_an_urgent_alert(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    gateway.rasa.down = True
    parent = await WebParent(gateway).open("en")
    answer = await parent.say(CRISIS)
    shown = " ".join(m.get("text", "") for m in answer["messages"])
    assert "999" in shown and "116 123" in shown
    alert = await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "URGENT"))
    assert "handoff:accept:1" in buttons(alert[0])
