"""Erasing a parent who had a handoff leaves nothing about them: our rows and Rasa's tracker."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select

from bot.conversations.erasure import Eraser
from bot.handoff.delivery import record_sent
from bot.handoff.desk import MentorDesk
from bot.handoff.outbox import OutboxWorker
from bot.handoff.service import SHARE, HandoffService
from bot.i18n import translate
from bot.store.database import Database
from bot.store.models import (
    Conversation,
    Handoff,
    HandoffAlert,
    Message,
    OutboxItem,
    RelayLink,
)
from tests.trackers import rasa_tracker

from .conftest import ON_DUTY


def count(db: Database, model: Any, *where: Any) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_erasing_a_parent_who_had_a_handoff_leaves_nothing(
    tmp_path: Path,
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "so")
    add_mentor("Hodan", "so")
    conversation = parent("so", "telegram", chat_id=4242, consent=True)
    other = parent("so", "telegram", chat_id=4343, consent=True)
    with db.session() as session:
        session.add(
            Message(
                conversation_id=conversation,
                direction="in",
                sender="parent",
                text="waan daalay",
                expires_at=ON_DUTY,
            )
        )
    tracker = rasa_tracker(db.url, tmp_path, [conversation, other])
    service.request(conversation, "mental_health")
    service.handle_payload(conversation, SHARE, {"share": "yes"})
    service.request(other, "talk_to_human")
    with db.session() as session:
        handoff_id = session.scalars(
            select(Handoff.id).where(Handoff.conversation_id == conversation)
        ).one()

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        send.count += 1  # type: ignore[attr-defined]
        return {"message_id": 100 + send.count}  # type: ignore[attr-defined]

    send.count = 0  # type: ignore[attr-defined]
    worker = OutboxWorker(db, {"telegram.send": send}, after_send={"telegram.send": record_sent})
    await worker.drain()  # the alerts go out: HandoffAlert rows get their message ids
    assert desk.accept(amina, handoff_id) is None
    service.relay_to_mentor(conversation, "waan daalay, caawi")
    assert desk.reply(amina, "Waan kula joogaa", None, amina) is None
    await worker.drain()  # relay links are recorded for the mentor's replies
    service.relay_to_mentor(conversation, "mahadsanid")  # still waiting in the outbox
    assert count(db, RelayLink, RelayLink.handoff_id == handoff_id) >= 2
    assert count(db, HandoffAlert, HandoffAlert.handoff_id == handoff_id) == 2

    service.forget(conversation)  # what the router does first
    Eraser(db, tracker).erase(conversation)

    assert count(db, Conversation, Conversation.id == conversation) == 0
    assert count(db, Message, Message.conversation_id == conversation) == 0
    assert count(db, Handoff, Handoff.conversation_id == conversation) == 0
    assert count(db, HandoffAlert, HandoffAlert.handoff_id == handoff_id) == 0
    assert count(db, RelayLink, RelayLink.handoff_id == handoff_id) == 0
    about_it = or_(
        OutboxItem.conversation_id == conversation, OutboxItem.relay_handoff_id == handoff_id
    )
    assert count(db, OutboxItem, about_it) == 0
    with db.session() as session:
        left = list(session.scalars(select(OutboxItem)))
    for item in left:
        assert item.payload.get("link", {}).get("handoff_id") != handoff_id
        assert item.payload["chat_id"] != 4242, "no delivery to the erased parent's chat"
        assert "waan daalay" not in item.payload.get("text", "")
        assert "mahadsanid" not in item.payload.get("text", "")
    assert tracker.count(conversation) == 0
    # Nothing else went: the other parent, their request and their tracker are intact.
    assert count(db, Handoff, Handoff.conversation_id == other) == 1
    assert tracker.count(other) == 3
    told = translate(
        "so",
        "Parent #{number} asked us to delete their data. The conversation has ended.",
        number=handoff_id,
    )
    assert told in [i.payload.get("text") for i in left if i.payload["chat_id"] == amina]
