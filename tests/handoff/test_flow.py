import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.handoff.desk import MentorDesk, NotAMentor
from bot.handoff.service import HandoffService
from bot.i18n import translate
from bot.store.database import Database
from bot.store.models import Handoff, HandoffAlert, Message, OutboxItem

from .conftest import OFF_DUTY, ON_DUTY, Clock


def outbox(db: Database, kind: str = "telegram.send") -> list[OutboxItem]:
    with db.session() as session:
        return list(
            session.scalars(
                select(OutboxItem).where(OutboxItem.kind == kind).order_by(OutboxItem.id)
            )
        )


def alert_recipients(db: Database) -> list[int]:
    return [
        item.payload["chat_id"] for item in outbox(db) if "alert_id" in item.payload.get("link", {})
    ]


def test_request_alerts_only_same_language_mentors(
    service: HandoffService,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    somali = add_mentor("Amina", "so,en")
    add_mentor("Ayşe", "tr,en")
    replies = service.request(parent("so"), "find_mentor")
    assert alert_recipients(db) == [somali]
    assert replies and replies[0].buttons, "the parent is asked whether to share the conversation"
    alert = outbox(db)[0].payload
    assert alert["buttons"][0][0]["data"].startswith("handoff:accept:")


def test_no_speaker_alerts_everyone_on_duty_with_the_language_flagged(
    service: HandoffService,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    first, second = add_mentor("Ayşe", "tr"), add_mentor("John", "en")
    service.request(parent("so"), "talk_to_human")
    assert sorted(alert_recipients(db)) == [first, second]
    assert all("⚠️" in item.payload["text"] for item in outbox(db))


def test_nobody_on_duty_is_told_honestly_and_alerted_later(
    service: HandoffService,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
    clock: Clock,
) -> None:
    mentor = add_mentor()
    clock.now = OFF_DUTY
    replies = service.request(parent("so"), "talk_to_human")
    assert outbox(db) == []
    assert any("999" in reply.text for reply in replies)
    clock.now = OFF_DUTY + timedelta(days=2)  # Monday 22:00: still off duty
    service.tick()
    assert outbox(db) == []
    clock.now = OFF_DUTY + timedelta(days=2, hours=12)  # Tuesday 10:00
    service.tick()
    assert alert_recipients(db) == [mentor]


def test_exactly_one_of_two_simultaneous_accepts_wins(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    first, second = add_mentor("Amina"), add_mentor("Hodan")
    service.request(parent("so"), "talk_to_human")
    with db.session() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()
    barrier = threading.Barrier(2)
    results: dict[int, bool] = {}

    def press(user: int) -> None:
        barrier.wait()
        results[user] = desk.accept(user, handoff_id) is None

    threads = [threading.Thread(target=press, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [user for user, won in results.items() if won]
    assert len(winners) == 1
    with db.session() as session:
        handoff = session.get(Handoff, handoff_id)
        assert handoff is not None and handoff.state == "active"
        assert handoff.mentor is not None and handoff.mentor.telegram_user_id == winners[0]


def test_accept_relay_and_end(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
    notified: list[str],
) -> None:
    mentor = add_mentor()
    conversation = parent("so")
    service.request(conversation, "find_mentor")
    service.set_share(conversation, True)
    with db.session() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()
    assert desk.accept(mentor, handoff_id) is None
    opening = outbox(db)[-1].payload
    assert opening["chat_id"] == mentor and opening["link"] == {"handoff_id": handoff_id}
    assert opening["buttons"][0][0]["data"] == f"handoff:end:{handoff_id}"
    assert service.is_handed_off(conversation)
    service.relay_to_mentor(conversation, "waan daalay")
    assert outbox(db)[-1].payload["chat_id"] == mentor
    assert "waan daalay" in outbox(db)[-1].payload["text"]
    assert desk.reply(mentor, "Waan ku caawin karaa.", None, mentor) is None
    with db.session() as session:
        pushed = session.scalars(select(Message).where(Message.sender == "mentor")).one()
        assert pushed.text == "Waan ku caawin karaa." and pushed.conversation_id == conversation
    assert conversation in notified
    desk.end(mentor, None, mentor)
    assert not service.is_handed_off(conversation)
    told = service.relay_to_mentor(conversation, "mahadsanid")
    assert all("mahadsanid" not in item.payload.get("text", "") for item in outbox(db)), (
        "no relay after the end"
    )
    assert told and told[0].sender == "system", "the parent is told, not left in silence"


def test_parent_cancels_while_waiting(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    mentor = add_mentor()
    conversation = parent("so")
    service.request(conversation, "talk_to_human")
    service.cancel(conversation)
    with db.session() as session:
        handoff = session.scalars(select(Handoff)).one()
        assert handoff.state == "cancelled"
    assert desk.accept(mentor, handoff.id).text == translate(
        "so", "This request is no longer waiting."
    )


def test_escalation_after_timeout_reaches_more_mentors_and_tells_the_parent(
    service: HandoffService,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
    clock: Clock,
) -> None:
    somali = add_mentor("Amina", "so")
    turkish = add_mentor("Ayşe", "tr")
    conversation = parent("so")
    service.request(conversation, "talk_to_human")
    assert alert_recipients(db) == [somali]
    clock.now += timedelta(minutes=11)
    service.tick()
    assert sorted(alert_recipients(db)) == sorted([somali, somali, turkish])
    with db.session() as session:
        update = session.scalars(
            select(Message).where(Message.conversation_id == conversation)
        ).all()
        assert any(message.sender == "system" for message in update)
    service.tick()
    assert len(alert_recipients(db)) == 3, "escalated once"


def test_non_mentor_is_refused(desk: MentorDesk) -> None:
    with pytest.raises(NotAMentor):
        desk.accept(424242, 1)
    with pytest.raises(NotAMentor):
        desk.set_available(424242, True)


def test_away_mentors_are_not_alerted(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    away, present = add_mentor("Amina"), add_mentor("Hodan")
    desk.set_available(away, False)
    service.request(parent("so"), "talk_to_human")
    assert alert_recipients(db) == [present]


def test_other_alerts_change_to_taken_by(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    first, second = add_mentor("Amina"), add_mentor("Hodan")
    service.request(parent("so"), "talk_to_human")
    with db.session() as session:
        for number, alert in enumerate(session.scalars(select(HandoffAlert)), start=500):
            alert.telegram_message_id = number
        handoff_id = session.scalars(select(Handoff.id)).one()
    desk.accept(first, handoff_id)
    edits = outbox(db, "telegram.edit")
    assert [edit.payload["chat_id"] for edit in edits] == [second]
    assert "Amina" in edits[0].payload["text"]


def test_state_survives_a_restart(
    db: Database, settings, clock: Clock, add_mentor: Callable[..., int], parent: Callable[..., str]
) -> None:  # type: ignore[no-untyped-def]
    mentor = add_mentor()
    conversation = parent("tr")
    HandoffService(db, settings, clock=clock).request(conversation, "talk_to_human")
    with db.session() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()
    MentorDesk(Database(db.url), settings).accept(mentor, handoff_id)
    restarted = HandoffService(Database(db.url), settings, clock=clock)
    assert restarted.is_handed_off(conversation)
    restarted.relay_to_mentor(conversation, "merhaba")
    assert "merhaba" in outbox(Database(db.url))[-1].payload["text"]


def test_gateway_buttons_and_forget(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    mentor = add_mentor()
    conversation = parent("tr")
    with db.session() as session:
        session.add(
            Message(
                conversation_id=conversation,
                direction="in",
                sender="parent",
                text="bebegim cok agliyor",
                expires_at=ON_DUTY + timedelta(days=30),
            )
        )
    service.request(conversation, "mental_health")
    service.handle_payload(conversation, "handoff_share", {"share": "yes"})
    with db.session() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()
    assert desk.accept(mentor, handoff_id) is None
    assert "bebegim cok agliyor" in outbox(db)[-1].payload["text"], "shared with consent"
    service.forget(conversation)
    assert not service.is_handed_off(conversation)
    assert str(handoff_id) in outbox(db)[-1].payload["text"]
    assert "bebegim" not in outbox(db)[-1].payload["text"]


def test_without_consent_the_mentor_sees_no_messages(
    service: HandoffService,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    db: Database,
) -> None:
    mentor = add_mentor("Ayşe", "tr")
    conversation = parent("tr")
    with db.session() as session:
        session.add(
            Message(
                conversation_id=conversation,
                direction="in",
                sender="parent",
                text="cok yorgunum",
                expires_at=ON_DUTY + timedelta(days=30),
            )
        )
    service.request(conversation, "talk_to_human")
    service.handle_payload(conversation, "handoff_share", {"share": "no"})
    with db.session() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()
    assert desk.accept(mentor, handoff_id) is None
    assert all("cok yorgunum" not in item.payload["text"] for item in outbox(db))
