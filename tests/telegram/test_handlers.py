"""Parents' commands, buttons and non-text messages, through PTB and the fake Bot API."""

from __future__ import annotations

from bot.core import Button
from bot.gateway.channels.telegram import TelegramChannel
from bot.gateway.channels.telegram.handlers import FORGET_YES
from bot.gateway.payloads import choose_language_payload
from tests.fakes.telegram_api import FakeTelegram, callback_update, photo_update, voice_update
from tests.telegram.conftest import FakeConversations, FakeRouter


def for_chat(chat_id: int):  # type: ignore[no-untyped-def]
    return lambda call: call.params.get("chat_id") == chat_id


async def test_start_with_deep_link_picks_the_language(
    channel: TelegramChannel,
    fake_api: FakeTelegram,
    router: FakeRouter,
    conversations: FakeConversations,
) -> None:
    fake_api.push_text(42, "/start so", language_code="en")
    await fake_api.wait_for_call("sendMessage", 2, where=for_chat(42))
    [inbound] = router.inbound
    assert inbound.channel == "telegram"
    assert inbound.kind == "payload"
    assert inbound.payload == choose_language_payload("so")
    assert inbound.conversation_id == conversations.by_chat[42].id
    assert conversations.by_chat[42].language == "so"
    assert fake_api.sent_texts(42)[-1].startswith("[so] payload")


async def test_start_without_argument_offers_language_buttons(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.push_text(7, "/start", language_code="tr")
    calls = await fake_api.wait_for_call("sendMessage", 2, where=for_chat(7))
    keyboard = calls[-1].params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["English", "Soomaali", "Türkçe"]
    assert keyboard[1][0]["callback_data"] == choose_language_payload("so")
    assert router.inbound == []


async def test_a_button_tap_is_answered_and_its_payload_routed(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    router.buttons = [Button("Groups", '/find_groups{"category": "baby_massage"}')]
    fake_api.push_text(5, "hello")
    [sent] = await fake_api.wait_for_call("sendMessage", where=for_chat(5))
    data = sent.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]

    update_id = fake_api.push_update(callback_update(5, data))
    await fake_api.wait_for_call("answerCallbackQuery")
    await fake_api.wait_for_call("sendMessage", 2, where=for_chat(5))
    assert update_id
    assert router.inbound[-1].kind == "payload"
    assert router.inbound[-1].payload == '/find_groups{"category": "baby_massage"}'


async def test_a_payload_longer_than_64_bytes_round_trips(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    long_payload = '/find_groups{"category": "stay_and_play", "area": "north", "language": "so"}'
    router.buttons = [Button("More", long_payload)]
    fake_api.push_text(6, "groups")
    [sent] = await fake_api.wait_for_call("sendMessage", where=for_chat(6))
    data = sent.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64

    fake_api.push_callback(6, data)
    await fake_api.wait_for_call("sendMessage", 2, where=for_chat(6))
    assert router.inbound[-1].payload == long_payload


async def test_a_voice_note_and_a_photo_reach_the_router_by_reference(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.push_update(voice_update(8, language_code="so"))
    fake_api.push_update(photo_update(8, language_code="so"))
    await fake_api.wait_for_call("sendMessage", 2, where=for_chat(8))
    assert [i.kind for i in router.inbound] == ["media", "media"]
    media = [i.media for i in router.inbound]
    assert [m.kind for m in media if m is not None] == ["voice", "photo"]
    # The chat and message to copy from: no file is fetched or kept.
    assert all(m is not None and m.from_chat_id == 8 and m.data is None for m in media)
    assert router.inbound[0].language_hint == "so"


async def test_forget_asks_then_erases(
    channel: TelegramChannel,
    fake_api: FakeTelegram,
    router: FakeRouter,
    conversations: FakeConversations,
) -> None:
    fake_api.push_text(11, "hello")
    await fake_api.wait_for_call("sendMessage", where=for_chat(11))
    conversation_id = conversations.by_chat[11].id

    fake_api.push_text(11, "/forget")
    calls = await fake_api.wait_for_call("sendMessage", 2, where=for_chat(11))
    keyboard = calls[-1].params["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["forget:yes", "forget:no"]
    assert conversations.erased == []

    fake_api.push_callback(11, FORGET_YES, message_id=calls[-1].params.get("message_id", 2))
    [edit] = await fake_api.wait_for_call("editMessageText")
    await fake_api.wait_for_call("answerCallbackQuery")
    assert conversations.erased == [conversation_id]
    assert 11 not in conversations.by_chat
    assert edit.params["text"].startswith("Done.")
    assert [i.text for i in router.inbound] == ["hello"]


async def test_forget_can_be_declined(
    channel: TelegramChannel, fake_api: FakeTelegram, conversations: FakeConversations
) -> None:
    fake_api.push_text(12, "/forget")
    await fake_api.wait_for_call("sendMessage", where=for_chat(12))
    fake_api.push_callback(12, "forget:no")
    [edit] = await fake_api.wait_for_call("editMessageText")
    assert conversations.erased == []
    assert edit.params["text"] == "Nothing was deleted."


async def test_help_and_human_become_payloads(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.push_text(13, "/help")
    fake_api.push_text(13, "/human")
    fake_api.push_text(13, "/language tr")
    await fake_api.wait_for_call("sendMessage", 3, where=for_chat(13))
    assert [i.payload for i in router.inbound] == [
        "/help",
        "/talk_to_human",
        choose_language_payload("tr"),
    ]


async def test_privacy_notice_names_the_retention_period(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.push_text(14, "/privacy")
    [sent] = await fake_api.wait_for_call("sendMessage", where=for_chat(14))
    assert "30 days" in sent.params["text"]
    assert "/forget" in sent.params["text"]
    assert router.inbound == []


async def test_a_router_failure_is_logged_without_text_and_the_parent_told(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter, caplog
) -> None:  # type: ignore[no-untyped-def]
    async def broken(inbound):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"cannot handle {inbound.text}")

    router.answer = broken
    fake_api.push_text(15, "my secret worry")
    [sent] = await fake_api.wait_for_call("sendMessage", where=for_chat(15))
    assert "something went wrong" in sent.params["text"]
    assert "RuntimeError" in caplog.text
    assert "my secret worry" not in caplog.text
    assert fake_api.token not in caplog.text
