"""The mentors' Telegram handlers never touch the database on the event loop: every desk call
runs in a worker thread, so a busy SQLite file cannot stall every other chat."""

from __future__ import annotations

import threading
import time
from typing import Any

from bot.handoff import DeskReply, NotAMentor
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import FakeRouter

MENTOR, PARENT = 2001, 71


class SlowDesk:
    """A MentorDesk stand-in that blocks like a busy database and notes the thread it ran on."""

    def __init__(self) -> None:
        self.threads: dict[str, list[int]] = {}

    def _note(self, name: str) -> None:
        self.threads.setdefault(name, []).append(threading.get_ident())
        time.sleep(0.05)

    def register(self, code: str, user_id: int, chat_id: int) -> DeskReply | None:
        self._note("register")
        return DeskReply("registered")

    def is_mentor(self, user_id: int) -> bool:
        self._note("is_mentor")
        return user_id == MENTOR

    def set_available(self, user_id: int, available: bool) -> DeskReply:
        self._note("set_available")
        return DeskReply("available" if available else "away")

    def accept(self, user_id: int, handoff_id: int) -> DeskReply | None:
        self._note("accept")
        return None

    def end(
        self, user_id: int, handoff_id: int | None, chat_id: int, reply_to: Any = None
    ) -> DeskReply:
        self._note("end")
        return DeskReply("ended")

    def reply(
        self, user_id: int, text: str, reply_to: int | None, chat_id: int
    ) -> DeskReply | None:
        self._note("reply")
        if user_id != MENTOR:
            raise NotAMentor
        return None


async def test_desk_calls_run_off_the_event_loop(
    make_channel: Any, telegram_settings: Settings, fake_api: FakeTelegram, router: FakeRouter
) -> None:
    desk = SlowDesk()
    channel = make_channel(telegram_settings, desk=desk)
    await channel.start(poll_timeout=1)
    loop_thread = threading.get_ident()
    try:
        fake_api.push_text(MENTOR, "/start Abc123xyz")
        fake_api.push_text(MENTOR, "/away")
        fake_api.push_callback(MENTOR, "handoff:accept:1")
        fake_api.push_text(MENTOR, "Hello, I am here")
        fake_api.push_text(MENTOR, "/end")
        fake_api.push_text(PARENT, "hello")  # a parent's message goes on to the router
        await fake_api.wait_for_call("sendMessage", where=lambda c: c.params.get("text") == "ended")
        await fake_api.wait_for_call(
            "sendMessage", where=lambda c: c.params.get("chat_id") == PARENT
        )
    finally:
        await channel.stop()
    assert set(desk.threads) >= {"register", "set_available", "accept", "reply", "end"}
    assert all(loop_thread not in idents for idents in desk.threads.values()), desk.threads
    assert [inbound.text for inbound in router.inbound] == ["hello"]
