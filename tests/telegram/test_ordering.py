"""A slow answer to one parent holds up nobody else, and one parent's messages stay in order."""

from __future__ import annotations

import asyncio

from bot.core import Inbound, Outbound, Reply
from bot.gateway.channels.telegram import TelegramChannel
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import FakeRouter


async def test_chats_run_concurrently_and_each_in_order(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    release = asyncio.Event()
    order: list[str] = []

    async def answer(inbound: Inbound) -> Reply:
        if inbound.text == "slow":
            await release.wait()
        order.append(inbound.text)
        return Reply("en", [Outbound(f"re: {inbound.text}")])

    router.answer = answer
    fake_api.push_text(51, "slow")
    fake_api.push_text(51, "next")
    fake_api.push_text(52, "other parent")
    await fake_api.wait_for_call("sendMessage", where=lambda c: c.params["chat_id"] == 52)
    assert order == ["other parent"]

    release.set()
    await fake_api.wait_for_call("sendMessage", 2, where=lambda c: c.params["chat_id"] == 51)
    assert order == ["other parent", "slow", "next"]
    assert fake_api.sent_texts(51) == ["re: slow", "re: next"]
