"""A parent whose message was in hand when the gateway died is told, by the next start."""

from __future__ import annotations

from bot.gateway.channels.telegram.handlers import SOMETHING_WENT_WRONG
from bot.gateway.channels.telegram.updates import first_time
from bot.i18n import translate
from bot.settings import Settings
from bot.store.database import Database
from tests.fakes.telegram_api import FakeTelegram
from tests.gateway.fake_rasa import FakeRasa
from tests.handoff_flows.conftest import Clock, Gateway, to_chat

PARENT = 71


async def test_a_message_in_hand_at_a_crash_is_answered_at_the_next_start(
    fake_api: FakeTelegram, telegram_settings: Settings, rasa: FakeRasa, clock: Clock
) -> None:
    gateway = await Gateway(telegram_settings, rasa, clock).start()
    try:
        fake_api.push_text(PARENT, "/start so")  # a Somali conversation
        await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT))
    finally:
        await gateway.stop()
    # What a gateway killed mid-message leaves: the update recorded, its chat still in hand.
    db = Database(telegram_settings.database_url)
    assert first_time(db, 990001, PARENT)
    db.engine.dispose()

    gateway = await Gateway(telegram_settings, rasa, clock).start()
    try:
        sorry = translate("so", SOMETHING_WENT_WRONG)
        await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, sorry))
    finally:
        await gateway.stop()
