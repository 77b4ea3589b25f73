"""Long messages are split, flood limits and 429s are respected, payloads fit callback data."""

from __future__ import annotations

from bot.gateway.channels.telegram import TelegramChannel
from bot.gateway.channels.telegram.outgoing import CallbackPayloads, split_text, utf16_length
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import FakeRouter


def test_split_prefers_paragraphs_then_lines_then_words() -> None:
    paragraph = "word " * 700  # 3500 characters
    text = paragraph.strip() + "\n\n" + paragraph.strip()
    pieces = split_text(text)
    assert pieces == [paragraph.strip(), paragraph.strip()]
    lines = "\n".join(["a line of text"] * 400)
    assert all(utf16_length(p) <= 4096 for p in split_text(lines))
    assert "".join(split_text(lines)).replace("\n", "") == lines.replace("\n", "")


def test_split_counts_utf16_units_and_cuts_unbroken_text() -> None:
    emoji = "😀" * 3000  # 6000 UTF-16 units, no spaces
    pieces = split_text(emoji)
    assert len(pieces) == 2
    assert all(utf16_length(p) <= 4096 for p in pieces)
    assert "".join(pieces) == emoji
    assert split_text("short") == ["short"]


def test_short_payloads_are_verbatim_and_long_ones_keyed() -> None:
    payloads = CallbackPayloads(b"key")
    assert payloads.encode("/help") == "/help"
    long_payload = "/find_groups" + '{"x": "' + "y" * 80 + '"}'
    short = payloads.encode(long_payload)
    assert len(short.encode()) <= 64
    assert payloads.decode(short) == long_payload
    assert CallbackPayloads(b"key").encode(long_payload) == short
    assert CallbackPayloads(b"key").decode(short) is None


async def test_a_long_reply_is_split_with_buttons_on_the_last_piece(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    from bot.core import Button

    router.buttons = [Button("OK", "/affirm")]
    long_text = "\n".join(f"Line {n}: " + ("details " * 10).strip() for n in range(120))
    assert len(long_text) > 4096
    router.next_texts = [long_text]
    fake_api.push_text(31, "tell me everything")
    calls = await fake_api.wait_for_call("sendMessage", 3)
    texts = [c.params["text"] for c in calls]
    assert all(len(t) <= 4096 for t in texts)
    assert "\n".join(texts) == long_text
    assert all(t.startswith("Line ") for t in texts)
    assert "reply_markup" not in calls[0].params
    assert calls[-1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/affirm"


async def test_a_429_is_retried_after_retry_after(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.fail_next("sendMessage", status=429, retry_after=1)
    fake_api.push_text(32, "hello")
    await fake_api.wait_for_call("sendMessage", where=lambda c: c.params.get("chat_id") == 32)
    attempts = fake_api.calls("sendMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert len(router.inbound) == 1


async def test_a_server_error_on_send_is_retried(
    channel: TelegramChannel, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    fake_api.fail_next("sendMessage", status=500)
    fake_api.push_text(33, "hello")
    await fake_api.wait_for_call("sendMessage", where=lambda c: c.params.get("chat_id") == 33)
    assert [c.status for c in fake_api.calls("sendMessage")] == [500, 200]
    assert fake_api.sent_texts(33) == ["[en] text: hello"]
