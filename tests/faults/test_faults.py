"""SIGKILL the gateway, Rasa and the action server at the worst moments; Telegram in 429 and 502
bursts. After each fault: every parent message answered or the parent told it failed, every
alert and relayed message delivered at least once and in order, no handoff stuck, and the
service ready again by itself (docs/security.md#faults)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest
from sqlalchemy import func, select

from bot.core import HandoffState
from bot.gateway.channels.telegram.handlers import SOMETHING_WENT_WRONG
from bot.i18n import translate
from bot.store.models import Handoff, OutboxItem
from tests.fakes.telegram_api import Call
from tests.faults.conftest import Faults, since, wait

pytestmark = pytest.mark.integration

MENTOR = 5001
SORRY = translate("en", SOMETHING_WENT_WRONG)


def to(chat_id: int, contains: str = "") -> object:
    def where(call: Call) -> bool:
        return call.params.get("chat_id") == chat_id and contains in call.params.get("text", "")

    return where


def texts_to(faults: Faults, chat_id: int, mark: int) -> list[str]:
    return [
        c.params.get("text", "")
        for c in since(faults.api, mark)
        if c.method in ("sendMessage", "editMessageText") and c.params.get("chat_id") == chat_id
    ]


def buttons(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def after_each(faults: Faults) -> None:
    """The checks every fault ends with: ready by itself, nothing stuck, the outbox drained."""
    faults.wait_ready()
    assert faults.stuck_handoffs() == []
    wait(lambda: faults.outbox_left() == [], 60, f"an empty outbox ({faults.outbox_left()})")


def answered_or_told(faults: Faults, chat_id: int, mark: int) -> None:
    """The parent got an answer (something other than a notice) or the apology, in time."""
    wait(lambda: bool(texts_to(faults, chat_id, mark)), 90, f"an answer to chat {chat_id}")


def open_handoffs(faults: Faults) -> int:
    with faults.db.session() as session:
        return int(
            session.scalar(
                select(func.count(Handoff.id)).where(
                    Handoff.state.in_([HandoffState.QUEUED, HandoffState.ACTIVE])
                )
            )
            or 0
        )


def latest_handoff(faults: Faults) -> Handoff:
    with faults.db.session() as session:
        found = session.scalars(select(Handoff).order_by(Handoff.id.desc())).first()
        assert found is not None
        session.expunge(found)
        return found


@pytest.fixture(scope="module")
def mentor(faults: Faults) -> Iterator[int]:
    """One registered mentor, on duty at any hour (the suite's DUTY_HOURS)."""
    mark = len(faults.api.calls())
    faults.api.push_text(MENTOR, f"/start {faults.invite('Amina', 'en')}", language_code="en")
    wait(lambda: any("Amina" in t for t in texts_to(faults, MENTOR, mark)), 60, "registration")
    yield MENTOR


def ask_for_a_person(faults: Faults, parent: int) -> int:
    """The parent asks for a person; returns the new handoff's number."""
    before = latest_handoff(faults).id if _any(faults) else 0
    faults.api.push_text(parent, "/human")
    wait(lambda: _any(faults) and latest_handoff(faults).id > before, 60, "a request")
    return latest_handoff(faults).id


def _any(faults: Faults) -> bool:
    with faults.db.session() as session:
        return session.scalar(select(func.count(Handoff.id))) != 0


def accepted(faults: Faults, number: int) -> bool:
    with faults.db.session() as session:
        handoff = session.get(Handoff, number)
        return handoff is not None and handoff.state == HandoffState.ACTIVE


def end(faults: Faults, mentor: int, number: int) -> None:
    faults.api.push_callback(mentor, f"handoff:end:{number}")
    wait(lambda: not accepted(faults, number), 60, f"#{number} ended")


@contextmanager
def settled(faults: Faults, mentor: int, parent: int, number: int) -> Iterator[None]:
    """Whatever the test finds, the request is ended after it, so the mentor is free for the
    next test (a failure here must not become the next test's)."""
    try:
        yield
    finally:
        with suppress(AssertionError):
            faults.wait_ready()
            if accepted(faults, number):
                end(faults, mentor, number)
            else:
                faults.api.push_text(parent, "/cancel")  # still queued: withdrawn


# -- the gateway ------------------------------------------------------------------------------


def test_gateway_killed_with_a_parent_message_in_flight(faults: Faults) -> None:
    parent = 7101
    mark = len(faults.api.calls())
    faults.api.push_text(parent, "hello")
    answered_or_told(faults, parent, mark)  # the conversation exists, the notice is shown
    mark = len(faults.api.calls())
    faults.api.push_text(parent, "what groups are there for babies")
    wait(lambda: faults.in_flight(parent), 30, "the message in hand")
    faults.kill("gateway")
    # Answered just before the kill, or told by the next start that it failed: never silence.
    answered_or_told(faults, parent, mark)
    after_each(faults)
    mark = len(faults.api.calls())
    faults.api.push_text(parent, "thank you")
    wait(lambda: any(t != SORRY for t in texts_to(faults, parent, mark)), 90, "a real answer")


def test_gateway_killed_while_an_alert_waits_in_the_outbox(faults: Faults, mentor: int) -> None:
    parent = 7102
    # Telegram fails every send to the mentor for a while: the alert waits in the outbox.
    for _ in range(3):
        faults.api.fail_next(
            "sendMessage",
            status=502,
            description="Bad Gateway",
            where=lambda p: p.get("chat_id") == mentor,
        )
    mark = len(faults.api.calls())
    number = ask_for_a_person(faults, parent)
    with settled(faults, mentor, parent, number):

        def waiting() -> bool:
            with faults.db.session() as session:
                items = session.scalars(select(OutboxItem).where(OutboxItem.status == "pending"))
                return any(item.attempts >= 1 for item in items)

        wait(waiting, 60, "an alert waiting after a failed send")
        faults.kill("gateway")
        wait(lambda: any(f"#{number}" in t for t in texts_to(faults, mentor, mark)), 120, "alert")
        after_each(faults)
        faults.api.push_callback(mentor, f"handoff:accept:{number}")
        wait(lambda: accepted(faults, number), 60, "the accept")
        wait(lambda: any("Amina" in t for t in texts_to(faults, parent, mark)), 60, "parent told")


def test_gateway_killed_during_an_accept(faults: Faults, mentor: int) -> None:
    parent = 7103
    mark = len(faults.api.calls())
    number = ask_for_a_person(faults, parent)
    with settled(faults, mentor, parent, number):
        wait(lambda: any(f"#{number}" in t for t in texts_to(faults, mentor, mark)), 60, "alert")
        faults.api.push_callback(mentor, f"handoff:accept:{number}")
        wait(lambda: faults.in_flight(mentor) or accepted(faults, number), 30, "accept in hand")
        faults.kill("gateway")
        faults.wait_ready()
        if not accepted(faults, number):
            # The tap was lost with the process: the mentor was told, the alert still stands.
            wait(lambda: SORRY in texts_to(faults, mentor, mark), 60, "the mentor told")
            faults.api.push_callback(mentor, f"handoff:accept:{number}")
            wait(lambda: accepted(faults, number), 60, "the second accept")
        # The parent is told at least once that Amina is there; the mentor gets the End button.
        wait(lambda: any("Amina" in t for t in texts_to(faults, parent, mark)), 60, "told")
        wait(
            lambda: any(f"handoff:end:{number}" in buttons(c) for c in since(faults.api, mark)),
            60,
            "the End button",
        )
        after_each(faults)
        relay_in_order(faults, mentor, parent)


def test_gateway_killed_with_a_message_on_its_way_to_telegram(faults: Faults, mentor: int) -> None:
    """The outbox's worst moment: the parent's "Amina is here" claimed and sent, Telegram's
    answer not yet back. The restarted gateway sends it again at once, not a lease later."""
    parent = 7104
    mark = len(faults.api.calls())
    number = ask_for_a_person(faults, parent)
    with settled(faults, mentor, parent, number):
        wait(lambda: any(f"#{number}" in t for t in texts_to(faults, mentor, mark)), 60, "alert")
        hold = faults.api.hold_next(
            "sendMessage",
            where=lambda p: p.get("chat_id") == parent and "Amina" in p.get("text", ""),
        )
        faults.api.push_callback(mentor, f"handoff:accept:{number}")
        wait(hold.arrived.is_set, 60, "the parent's message on its way")
        faults.kill("gateway")
        hold.release()  # the answer reaches no one: as far as the outbox knows, it never went
        assert not any("Amina" in t for t in texts_to(faults, parent, mark))
        faults.wait_ready()
        wait(lambda: any("Amina" in t for t in texts_to(faults, parent, mark)), 30, "sent again")
        after_each(faults)


def relay_in_order(faults: Faults, mentor: int, parent: int, count: int = 4) -> None:
    """Both ways, `count` messages each: all delivered, in the order they were written."""
    mark = len(faults.api.calls())
    for i in range(count):
        faults.api.push_text(parent, f"parent {i}")
        faults.api.push_text(mentor, f"mentor {i}")
    for chat, words in ((mentor, "parent"), (parent, "mentor")):
        wanted = [f"{words} {i}" for i in range(count)]

        def seen(chat: int = chat, wanted: list[str] = wanted) -> list[str]:
            got = [t for t in texts_to(faults, chat, mark) if any(w in t for w in wanted)]
            return [w for t in got for w in wanted if w in t]

        wait(lambda seen=seen, wanted=wanted: set(seen()) == set(wanted), 90, "every relay")
        firsts = list(dict.fromkeys(seen()))  # a duplicate after a crash is allowed
        assert firsts == wanted, f"out of order: {firsts}"


# -- Telegram ----------------------------------------------------------------------------------


def test_telegram_429_and_502_bursts_lose_and_reorder_nothing(faults: Faults, mentor: int) -> None:
    parent = 7104
    mark = len(faults.api.calls())
    number = ask_for_a_person(faults, parent)
    with settled(faults, mentor, parent, number):
        wait(lambda: any(f"#{number}" in t for t in texts_to(faults, mentor, mark)), 60, "alert")
        faults.api.push_callback(mentor, f"handoff:accept:{number}")
        wait(lambda: accepted(faults, number), 60, "the accept")
        for _ in range(3):
            faults.api.fail_next(
                "sendMessage", status=429, description="Too Many Requests", retry_after=1
            )
            faults.api.fail_next("sendMessage", status=502, description="Bad Gateway")
        relay_in_order(faults, mentor, parent)
        after_each(faults)


# -- Rasa and the action server ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "text"),
    [
        ("actions", '/find_groups{"group_type": "any"}'),
        ("rasa", "what groups are there for babies"),
    ],
)
def test_a_child_killed_with_a_parent_message_in_flight(
    faults: Faults, child: str, text: str
) -> None:
    parent = 7110 if child == "actions" else 7111
    mark = len(faults.api.calls())
    faults.api.push_text(parent, "hello")
    answered_or_told(faults, parent, mark)
    mark = len(faults.api.calls())
    faults.api.push_text(parent, text)
    wait(lambda: faults.in_flight(parent), 30, "the message in hand")
    faults.kill(child)
    answered_or_told(faults, parent, mark)  # the answer, or "cannot answer now" at once
    after_each(faults)  # Rasa or the action server restarted by the supervisor, unasked
    mark = len(faults.api.calls())
    faults.api.push_text(parent, "hello again")
    answered_or_told(faults, parent, mark)
