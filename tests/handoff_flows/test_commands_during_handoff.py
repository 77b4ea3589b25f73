"""A parent's commands during a handoff are acted on, never relayed; erasure ends the handoff."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.conversations import notice
from bot.gateway.channels.telegram.handlers import FORGET_YES
from bot.i18n import translate
from bot.store.models import Conversation, Handoff
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_updates import edited_text_update
from tests.handoff_flows.conftest import (
    Gateway,
    WebParent,
    accept,
    buttons,
    register,
    to_chat,
)

AMINA = 2001
PARENT = 72
ERASED = "asked us to delete their data"
ALREADY = "You are already talking with a mentor. Write here and they will see it."


def handoffs(gateway: Gateway) -> int:
    with gateway.services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Handoff)) or 0)


async def test_a_telegram_parents_commands_are_acted_on_during_a_handoff(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en,tr")
    fake_api.push_text(PARENT, "/start en")
    await fake_api.wait_for_call("sendMessage", 3, where=to_chat(PARENT))
    fake_api.push_text(PARENT, "/human")
    await accept(fake_api, AMINA)

    fake_api.push_text(PARENT, "/help")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "echo: /help"))
    fake_api.push_text(PARENT, "/language tr")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "echo: /choose_language"))
    fake_api.push_text(PARENT, "/human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, translate("tr", ALREADY)))
    fake_api.push_text(PARENT, "/privacy")
    await fake_api.wait_for_call(
        "sendMessage", where=to_chat(PARENT, notice.telegram_notice("tr", 30))
    )
    fake_api.push_text(PARENT, "teşekkürler, bekliyorum")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "bekliyorum"))
    to_mentor = " ".join(fake_api.sent_texts(AMINA))
    for command in ("/help", "/choose_language", "/talk_to_human", "/privacy", "/language"):
        assert command not in to_mentor

    fake_api.push_text(PARENT, "/forget")
    await fake_api.wait_for_call("sendMessage", where=lambda c: FORGET_YES in buttons(c))
    fake_api.push_callback(PARENT, FORGET_YES)
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, ERASED))
    done = translate("tr", "Done. I have deleted everything we held about you.")
    await fake_api.wait_for_call("editMessageText", where=to_chat(PARENT, done))
    assert handoffs(gateway) == 0
    with gateway.services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 0


async def test_the_web_delete_button_during_a_handoff_ends_it(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    parent = await WebParent(gateway).open("en")
    await parent.tap("/talk_to_human")
    await accept(fake_api, AMINA)
    answer = await parent.tap("/help")
    assert answer["messages"][0]["text"] == "echo: /help"

    deleted = await gateway.client.delete(
        f"/api/sessions/{parent.id}", headers={"Authorization": f"Bearer {parent.token}"}
    )
    assert deleted.json() == {"erased": True}
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, ERASED))
    assert handoffs(gateway) == 0
    assert not any("/help" in t for t in fake_api.sent_texts(AMINA))


async def test_a_mentors_edit_is_not_screened_as_a_parents(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    fake_api.push_update(edited_text_update(AMINA, "if the baby is not breathing, call 999"))
    fake_api.push_update(edited_text_update(PARENT, "my baby is not breathing"))
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "999"))
    assert not any("999" in text for text in fake_api.sent_texts(AMINA))
    with gateway.services.db.session() as session:
        [urgent] = session.scalars(select(Handoff)).all()
        assert urgent.urgent and urgent.topic == "crisis"
