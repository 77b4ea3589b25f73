"""Relaying: nothing after the end, even under concurrency; replies reach the right parent; the
mentor sees the summary taken at request time, and only with the parent's consent."""

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.handoff import queue
from bot.handoff import service as service_module
from bot.handoff.delivery import record_sent
from bot.handoff.desk import MentorDesk
from bot.handoff.outbox import OutboxWorker
from bot.handoff.service import SHARE, HandoffService
from bot.store.database import Database
from bot.store.models import Handoff, Message, OutboxItem

from .conftest import ON_DUTY, Active, get_handoff, outbox_items, parent_messages, texts_to


def relays(db: Database, handoff_id: int) -> list[OutboxItem]:
    return [item for item in outbox_items(db) if item.relay_handoff_id == handoff_id]


def test_an_end_between_the_state_check_and_the_insert_stops_the_relay(
    service: HandoffService,
    desk: MentorDesk,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    active: Active,
) -> None:
    amina, conversation = active.amina, active.conversation
    handoff_id = active.handoff_id
    read_state = queue.open_handoff

    def read_then_the_mentor_ends(session: Any, conversation_id: str) -> Handoff | None:
        found = read_state(session, conversation_id)
        desk.end(amina, handoff_id, amina)  # another thread or process, committed at once
        return found

    monkeypatch.setattr(service_module.queue, "open_handoff", read_then_the_mentor_ends)
    told = service.relay_to_mentor(conversation, "one more thing")

    assert all("one more thing" not in text for text in texts_to(db, amina))
    assert told and "did not reach them" in told[0].text, "the parent is told, not ignored"


def test_concurrent_relays_and_an_end_leave_no_relay_waiting(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    for round_ in range(5):
        conversation = parent("en")
        handoff_id = handed_off(amina, conversation)
        start = threading.Barrier(3)

        def relay(conversation: str = conversation, start: threading.Barrier = start) -> None:
            start.wait()
            for n in range(5):
                service.relay_to_mentor(conversation, f"message {n}")

        def end(handoff_id: int = handoff_id, start: threading.Barrier = start) -> None:
            start.wait()
            desk.end(amina, handoff_id, amina)

        threads = [threading.Thread(target=t) for t in (relay, relay, end)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert get_handoff(db, handoff_id).state == "ended", round_
        waiting = [i for i in relays(db, handoff_id) if i.status == "pending"]
        assert waiting == [], "every relay queued before the end was cancelled with it"


def test_ending_cancels_undelivered_relays_both_ways(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en", "telegram", chat_id=555)
    handoff_id = handed_off(amina, conversation)
    service.relay_to_mentor(conversation, "from the parent")
    assert desk.reply(amina, "from the mentor", None, amina) is None
    assert {i.status for i in relays(db, handoff_id)} == {"pending"}

    desk.end(amina, handoff_id, amina)

    statuses = {i.payload["chat_id"]: i.status for i in relays(db, handoff_id)}
    assert statuses == {amina: "cancelled", 555: "cancelled"}
    assert all("text" not in i.payload for i in relays(db, handoff_id)), "their text is gone"
    ended = [i for i in outbox_items(db) if i.payload["chat_id"] == 555][-1]
    assert ended.status == "pending" and "has ended the conversation" in ended.payload["text"]


async def test_the_outbox_drops_a_relay_whose_handoff_is_no_longer_active(
    service: HandoffService,
    db: Database,
    active: Active,
) -> None:
    conversation = active.conversation
    handoff_id = active.handoff_id
    service.relay_to_mentor(conversation, "late")
    with db.session() as session:  # ended by a path that forgot to cancel (belt and braces)
        handoff = session.get(Handoff, handoff_id)
        assert handoff is not None
        handoff.state = "ended"
    sent: list[str] = []

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        sent.append(payload["text"])
        return {"message_id": len(sent)}

    await OutboxWorker(db, {"telegram.send": send}).drain()
    assert not any("late" in text for text in sent)
    assert relays(db, handoff_id)[-1].status == "cancelled"


async def test_replying_to_the_opening_message_reaches_that_parent(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    first, second = parent("en"), parent("en")
    handed_off(amina, first)
    second_id = handed_off(amina, second)
    message_ids: dict[str, int] = {}

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        message_ids[payload["text"]] = 900 + len(message_ids)
        return {"message_id": message_ids[payload["text"]]}

    await OutboxWorker(
        db, {"telegram.send": send}, after_send={"telegram.send": record_sent}
    ).drain()
    [opening] = [m for text, m in message_ids.items() if f"parent #{second_id}" in text]

    assert desk.reply(amina, "Hello, second parent", opening, amina) is None

    pushed = [m for m in parent_messages(db, second) if m.sender == "mentor"]
    assert [m.text for m in pushed] == ["Hello, second parent"]
    assert not [m for m in parent_messages(db, first) if m.sender == "mentor"]


def add_message(db: Database, conversation: str, sender: str, text: str) -> None:
    with db.session() as session:
        session.add(
            Message(
                conversation_id=conversation,
                direction="in" if sender == "parent" else "out",
                sender=sender,
                text=text,
                expires_at=ON_DUTY + timedelta(days=30),
            )
        )


def test_the_summary_is_taken_at_request_time_and_never_put_in_alerts(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina, hodan = add_mentor("Amina", "so"), add_mentor("Hodan", "so")
    conversation = parent("so", consent=True)
    add_message(db, conversation, "parent", "ilmahaygu ma seexdo")
    add_message(db, conversation, "bot", "Waan ka xumahay")
    service.request(conversation, "mental_health")
    add_message(db, conversation, "parent", "after the request")
    with db.session() as session:
        handoff = session.scalars(select(Handoff)).one()
        assert handoff.summary == [
            {"sender": "parent", "text": "ilmahaygu ma seexdo"},
            {"sender": "bot", "text": "Waan ka xumahay"},
        ]
        handoff_id = handoff.id
    service.handle_payload(conversation, SHARE, {"share": "yes"})
    alerts = [i.payload["text"] for i in outbox_items(db) if "alert_id" in i.payload["link"]]
    assert len(alerts) == 2 and not any("ilmahaygu" in text for text in alerts)

    assert desk.accept(amina, handoff_id) is None
    opening = texts_to(db, amina)[-1]
    assert "ilmahaygu ma seexdo" in opening and "after the request" not in opening
    assert all("ilmahaygu" not in text for text in texts_to(db, hodan))


def test_without_consent_the_summary_is_dropped_and_the_mentor_sees_language_and_topic(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "tr")
    conversation = parent("tr", consent=True)
    add_message(db, conversation, "parent", "cok yorgunum")
    service.request(conversation, "mental_health")
    service.handle_payload(conversation, SHARE, {"share": "no"})
    with db.session() as session:
        handoff = session.scalars(select(Handoff)).one()
        assert handoff.summary is None, "not kept for a mentor who will never see it"
    assert desk.accept(amina, handoff.id) is None
    opening = texts_to(db, amina)[-1]
    assert "cok yorgunum" not in opening
    assert "Dil: Türkçe" in opening, "the language and topic are shown"


def test_a_summary_shared_after_accepting_is_sent_then(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en", consent=True)
    add_message(db, conversation, "parent", "my baby will not feed")
    service.request(conversation, "infant_feeding")
    handoff_id = get_handoff(db, 1).id
    assert desk.accept(amina, handoff_id) is None
    assert "has not said yet whether to share" in texts_to(db, amina)[-1]
    service.handle_payload(conversation, SHARE, {"share": "yes"})
    assert "my baby will not feed" in texts_to(db, amina)[-1]
    assert get_handoff(db, handoff_id).summary is not None
    desk.end(amina, handoff_id, amina)
    assert get_handoff(db, handoff_id).summary is None, "forgotten once the handoff ends"
