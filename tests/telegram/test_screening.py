"""Captions, edits and commands reach the crisis screen (fake router, fake Bot API)."""

from __future__ import annotations

from typing import Any

from bot.gateway.channels.telegram import TelegramChannel
from bot.gateway.payloads import choose_language_payload
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_updates import captioned_photo_update, edited_text_update
from tests.telegram.conftest import FakeRouter, OnlyMentor

CRISIS = "I want to kill myself"


def for_chat(chat_id: int):  # type: ignore[no-untyped-def]
    return lambda call: call.params.get("chat_id") == chat_id


async def test_a_caption_reaches_the_router_with_the_media(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.push_update(captioned_photo_update(21, CRISIS))
    await fake_api.wait_for_call("sendMessage", where=for_chat(21))
    [inbound] = router.inbound
    assert (inbound.kind, inbound.text) == ("media", CRISIS)
    assert inbound.media is not None and inbound.media.kind == "photo"


async def test_a_command_carries_its_whole_line_to_the_router(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.push_text(22, "/start so")
    fake_api.push_text(22, "/help")
    fake_api.push_text(22, "/human " + CRISIS)
    await fake_api.wait_for_call("sendMessage", 4, where=for_chat(22))
    assert [(i.kind, i.payload, i.text) for i in router.inbound] == [
        ("payload", choose_language_payload("so"), "/start so"),
        ("payload", "/help", "/help"),
        ("text", None, "/human " + CRISIS),  # a crisis: the router's text path, not the command
    ]


async def test_a_command_answered_here_goes_to_the_router_when_it_is_a_crisis(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    for command in ("/privacy", "/forget", "/start", "/language"):
        fake_api.push_text(23, f"{command} {CRISIS}")
    await fake_api.wait_for_call("sendMessage", 4, where=for_chat(23))
    assert [(i.kind, i.text) for i in router.inbound] == [
        ("text", f"{command} {CRISIS}")
        for command in ("/privacy", "/forget", "/start", "/language")
    ]
    assert all(t.startswith("[en] text: /") for t in fake_api.sent_texts(23))  # only the router's


async def test_a_crisis_edit_is_routed_and_other_edits_are_not_answered(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.push_update(edited_text_update(24, "see you tomorrow"))
    fake_api.push_update(edited_text_update(24, "/forget"))
    fake_api.push_update(edited_text_update(24, CRISIS))
    fake_api.push_text(24, "hello")
    await fake_api.wait_for_call("sendMessage", 2, where=for_chat(24))
    assert [(i.kind, i.text) for i in router.inbound] == [("text", CRISIS), ("text", "hello")]
    assert len(fake_api.sent_texts(24)) == 2


async def test_a_mentors_edit_is_never_screened(
    make_channel: Any, telegram_settings: Settings, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    started = make_channel(telegram_settings, desk=OnlyMentor(25))
    await started.start(poll_timeout=1)
    try:
        fake_api.push_update(edited_text_update(25, "if your baby is not breathing call 999"))
        fake_api.push_update(edited_text_update(26, CRISIS))
        await fake_api.wait_for_call("sendMessage", where=for_chat(26))
    finally:
        await started.stop()
    assert [i.text for i in router.inbound] == [CRISIS]
    assert fake_api.sent_texts(25) == []


async def test_edits_are_fetched_when_polling(
    channel: TelegramChannel, fake_api: FakeTelegram
) -> None:
    [poll, *_] = await fake_api.wait_for_call("getUpdates")
    assert poll.params["allowed_updates"] == ["message", "edited_message", "callback_query"]
