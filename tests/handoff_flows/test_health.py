"""Without Telegram, alerts wait in the outbox, and /healthz says so."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.settings import Settings
from bot.store.models import Mentor, OutboxItem
from tests.fakes.telegram_api import FakeTelegram
from tests.gateway.fake_rasa import FakeRasa
from tests.handoff_flows.conftest import Clock, Gateway, WebParent, register, to_chat


async def test_alerts_wait_in_the_outbox_while_telegram_is_off(
    fake_api: FakeTelegram, telegram_settings: Settings, rasa: FakeRasa, clock: Clock
) -> None:
    gateway = await Gateway(telegram_settings, rasa, clock).start()
    try:
        await register(fake_api, gateway, 2001, "Amina", "en")
        health = (await gateway.client.get("/healthz")).json()
        assert health["handoff"] == {"ok": True, "delivering": True, "outbox_pending": 0}
    finally:
        await gateway.stop()

    gateway = await Gateway(telegram_settings, rasa, clock, telegram=False).start()
    try:
        parent = await WebParent(gateway).open("en")
        await parent.tap("/talk_to_human")
        health = (await gateway.client.get("/healthz")).json()
        assert health["handoff"] == {"ok": False, "delivering": False, "outbox_pending": 1}
        assert health["status"] == "degraded"
        with gateway.services.db.session() as session:
            assert session.scalar(select(func.count()).select_from(Mentor)) == 1
            assert session.scalar(select(func.count()).select_from(OutboxItem)) == 1
    finally:
        await gateway.stop()

    gateway = await Gateway(telegram_settings, rasa, clock).start()
    try:
        await fake_api.wait_for_call("sendMessage", where=to_chat(2001, "#1"))
    finally:
        await gateway.stop()
