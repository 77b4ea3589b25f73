"""A parent ends the conversation with their mentor: /cancel on Telegram, a button on the web."""

from __future__ import annotations

from bot.store.models import Handoff
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff_flows.conftest import Gateway, buttons, register, to_chat, web_parent_with_mentor

AMINA = 2001
PARENT = 71


def state(gateway: Gateway) -> tuple[str, str | None]:
    with gateway.services.db.session() as session:
        handoff = session.get(Handoff, 1)
        assert handoff is not None
        return handoff.state, handoff.end_reason


async def test_a_telegram_parent_ends_it_with_cancel(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    fake_api.push_text(PARENT, "/human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    fake_api.push_callback(AMINA, "handoff:accept:1")
    joined = await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Amina"))
    assert "/handoff_end" in buttons(joined[0])

    fake_api.push_text(PARENT, "/cancel")
    ended = await fake_api.wait_for_call(
        "sendMessage", where=to_chat(PARENT, "You have ended the conversation with Amina")
    )
    assert any(b.startswith("/feedback") for b in buttons(ended[0]))
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "Parent #1 has ended"))
    assert state(gateway) == ("ended", "parent")

    fake_api.push_text(PARENT, "hello again")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "echo: hello again"))


async def test_a_web_parent_ends_it_with_the_button(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)
    [joined] = [m for m in gateway.transcript(parent.id) if "has joined" in m.text]
    assert joined.buttons and joined.buttons[0]["payload"] == "/handoff_end"

    answer = await parent.tap(joined.buttons[0]["payload"])

    assert "You have ended the conversation with Amina" in answer["messages"][0]["text"]
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "Parent #1 has ended"))
    assert state(gateway) == ("ended", "parent")
