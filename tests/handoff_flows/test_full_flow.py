"""A Telegram parent and a web chat parent each get a same-language mentor, end to end."""

from __future__ import annotations

import asyncio

from bot.store.models import Handoff
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff_flows.conftest import Gateway, WebParent, buttons, register, to_chat

AMINA, AYSE = 2001, 2002
PARENT = 71


async def next_from(stream: asyncio.Queue, match, timeout: float = 10.0) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The next pushed message that matches."""
    async with asyncio.timeout(timeout):
        while True:
            message = await stream.get()
            if match(message):
                return message  # type: ignore[no-any-return]


async def test_a_telegram_parent_gets_a_somali_mentor(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "so,en")
    await register(fake_api, gateway, AYSE, "Ayse", "tr,en")

    fake_api.push_text(PARENT, "/start so", language_code="so")
    await fake_api.wait_for_call("sendMessage", 2, where=to_chat(PARENT))
    fake_api.push_text(PARENT, "/human", language_code="so")

    alert = (await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1")))[0]
    assert "handoff:accept:1" in buttons(alert)
    assert fake_api._matching("sendMessage", to_chat(AYSE, "#1")) == []

    fake_api.push_callback(AMINA, "handoff:accept:1", language_code="so")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Amina"))
    await fake_api.wait_for_call("sendMessage", where=lambda c: "handoff:end:1" in buttons(c))

    fake_api.push_text(AMINA, "Salaan, waan joogaa")
    told = await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Salaan, waan joogaa"))
    assert told[0].params["text"].startswith("👤 Amina (Manor Gardens)")

    fake_api.push_text(PARENT, "mahadsanid, caawimaad ayaan u baahanahay", language_code="so")
    relayed = await fake_api.wait_for_call(
        "sendMessage", where=to_chat(AMINA, "caawimaad ayaan u baahanahay")
    )
    assert "#1" in relayed[0].params["text"]
    assert not any(m["message"].startswith("mahadsanid") for m in gateway.rasa.messages)

    fake_api.push_text(AMINA, "/end")
    ended = await fake_api.wait_for_call(
        "sendMessage",
        where=lambda c: (
            c.params.get("chat_id") == PARENT and any(b.startswith("/feedback") for b in buttons(c))
        ),
    )
    assert len(buttons(ended[0])) == 3
    with gateway.services.db.session() as session:
        assert session.get(Handoff, 1).state == "ended"  # type: ignore[union-attr]

    fake_api.push_text(PARENT, "hello again", language_code="so")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "echo: hello again"))


async def test_a_web_parent_gets_a_turkish_mentor(fake_api: FakeTelegram, gateway: Gateway) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "so,en")
    await register(fake_api, gateway, AYSE, "Ayse", "tr,en")
    parent = await WebParent(gateway).open("tr")

    await parent.tap("/talk_to_human")
    alert = (await fake_api.wait_for_call("sendMessage", where=to_chat(AYSE, "#1")))[0]
    assert "handoff:accept:1" in buttons(alert)
    assert fake_api._matching("sendMessage", to_chat(AMINA, "#1")) == []
    await parent.tap('/handoff_share{"share": "yes"}')

    fake_api.push_callback(AYSE, "handoff:accept:1", language_code="tr")
    await fake_api.wait_for_call("sendMessage", where=lambda c: "handoff:end:1" in buttons(c))
    async with parent.events() as stream:
        fake_api.push_text(AYSE, "Merhaba, buradayım")
        shown = await next_from(stream, lambda m: m["sender"] == "mentor")
    assert shown["text"] == "Merhaba, buradayım"
    assert shown["sender_name"] == "Ayse (Manor Gardens)"

    answer = await parent.say("Teşekkürler, bebeğim çok ağlıyor")
    assert answer["messages"] == []
    await fake_api.wait_for_call("sendMessage", where=to_chat(AYSE, "bebeğim çok ağlıyor"))

    async with parent.events() as stream:
        fake_api.push_text(AYSE, "/end")
        ended = await next_from(
            stream, lambda m: any(b["payload"].startswith("/feedback") for b in m["buttons"])
        )
    assert ended["sender"] == "system"
    again = await parent.say("hello again")
    assert any("echo: hello again" in m.get("text", "") for m in again["messages"])
