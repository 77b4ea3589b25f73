"""Every way an active handoff stops or moves on: the parent ends it, nobody writes, the mentor
leaves or cannot be reached. In each, both sides are told; nobody is left in silence."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.handoff import mentors
from bot.handoff.buttons import CANCEL, END
from bot.handoff.closing import release_mentor
from bot.handoff.delivery import Parents
from bot.handoff.desk import MentorDesk
from bot.handoff.outbox import OutboxWorker, PermanentFailure
from bot.handoff.service import HandoffService
from bot.i18n import translate
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import HandoffAlert, Mentor, OutboxItem

from .conftest import Active, Clock, get_handoff, outbox_items, parent_messages, texts_to

MENTOR_LEFT = "Sorry, your mentor had to leave the conversation."


def mentor_row(db: Database, telegram_user_id: int) -> Mentor:
    with db.session() as session:
        mentor = mentors.by_telegram_user(session, telegram_user_id)
        assert mentor is not None
        session.expunge(mentor)
        return mentor


def test_the_parent_ends_an_active_handoff_and_the_mentor_is_told(
    service: HandoffService,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "so,en")
    conversation = parent("so")
    handoff_id = handed_off(amina, conversation)
    service.relay_to_mentor(conversation, "su'aal kale")

    [reply] = service.handle_payload(conversation, END, {})

    assert reply.text == translate(
        "so",
        "You have ended the conversation with {name}. I am the automated assistant again. How was your chat with them?",
        name="Amina",
    )
    assert [b.payload for b in reply.buttons][0].startswith("/feedback")
    handoff = get_handoff(db, handoff_id)
    assert handoff.state == "ended" and handoff.end_reason == "parent"
    assert not service.is_handed_off(conversation)
    assert texts_to(db, amina)[-1] == translate(
        "so", "Parent #{number} has ended the conversation. Thank you.", number=handoff_id
    )
    [relay] = [i for i in outbox_items(db) if i.relay_handoff_id == handoff_id][-1:]
    assert relay.status == "cancelled", "an undelivered relay does not go out after the end"


def test_cancel_also_ends_an_active_handoff(
    service: HandoffService,
    db: Database,
    active: Active,
) -> None:
    conversation = active.conversation
    handoff_id = active.handoff_id
    [reply] = service.handle_payload(conversation, CANCEL, {})  # Telegram's /cancel
    assert "You have ended the conversation with Amina" in reply.text
    assert get_handoff(db, handoff_id).state == "ended"
    [nothing] = service.end_by_parent(conversation)
    assert nothing.text == "You are not talking with a mentor right now."


def test_the_mentor_is_offered_an_end_button_and_the_parent_one_too(
    db: Database,
    active: Active,
) -> None:
    conversation = active.conversation
    [joined] = [m for m in parent_messages(db, conversation) if "has joined" in m.text]
    assert joined.buttons == [{"title": "End the conversation", "payload": f"/{END}"}]


def test_an_idle_handoff_ends_and_both_sides_are_told(
    service: HandoffService,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
    clock: Clock,
    settings: Settings,
) -> None:
    amina = add_mentor("Amina", "en")
    quiet, chatty = parent("en"), parent("en")
    quiet_id = handed_off(amina, quiet)
    chatty_id = handed_off(amina, chatty)
    clock.now += timedelta(hours=settings.handoff_idle_hours - 1)
    service.relay_to_mentor(chatty, "still there?")
    clock.now += timedelta(hours=2)

    service.tick()

    assert get_handoff(db, quiet_id).state == "ended"
    assert get_handoff(db, quiet_id).end_reason == "idle"
    assert get_handoff(db, chatty_id).state == "active", "a message resets the idle clock"
    hours = settings.handoff_idle_hours
    assert translate(
        "en",
        "The conversation with parent #{number} has ended, as nobody wrote for {hours} hours.",
        number=quiet_id,
        hours=hours,
    ) in texts_to(db, amina)
    told = [m for m in parent_messages(db, quiet) if m.sender == "system"][-1]
    assert f"nobody wrote for {hours} hours" in told.text
    assert told.buttons and told.buttons[0]["payload"].startswith("/feedback")


def test_removing_a_mentor_puts_their_conversation_back_in_the_queue(
    service: HandoffService,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    amina, hodan = add_mentor("Amina", "so"), add_mentor("Hodan", "so")
    conversation = parent("so")
    handoff_id = handed_off(amina, conversation)
    with db.session() as session:
        mentor = mentors.set_status(session, mentor_row(db, amina).id, "removed")
        assert release_mentor(session, settings, mentor.id, clock(), Parents(30)) == 1

    handoff = get_handoff(db, handoff_id)
    assert handoff.state == "queued" and handoff.mentor_id is None
    assert not service.is_handed_off(conversation), "the bot answers while they wait"
    told = [m.text for m in parent_messages(db, conversation) if m.sender == "system"]
    assert told[-1] == translate(
        "so",
        "Sorry, your mentor had to leave the conversation. I am finding someone else for you, who will reply here as soon as they can.",
    )
    with db.session() as session:
        alerted = session.scalars(
            select(HandoffAlert.mentor_id).where(HandoffAlert.handoff_id == handoff_id)
        ).all()
    assert alerted.count(mentor_row(db, hodan).id) == 2, "Hodan is alerted again"


def test_a_relay_to_a_mentor_who_cannot_be_reached_requeues_and_tells_the_parent(
    service: HandoffService,
    db: Database,
    clock: Clock,
    active: Active,
) -> None:
    amina, conversation = active.amina, active.conversation
    handoff_id = active.handoff_id
    with db.session() as session:  # e.g. their account was replaced by a new registration
        stored = session.get(Mentor, mentor_row(db, amina).id)
        assert stored is not None
        stored.telegram_chat_id = None
    clock.now = clock.now.replace(hour=22)  # nobody on duty now

    told = service.relay_to_mentor(conversation, "hello?")

    assert [m.text.split(".")[0] for m in told[:2]] == [
        MENTOR_LEFT.split(".")[0],
        "Your last message did not reach them",
    ]
    assert "not working right now" in told[2].text, "honest about when someone will answer"
    assert get_handoff(db, handoff_id).state == "queued"
    assert all("hello?" not in text for text in texts_to(db, amina))


async def test_a_relay_the_outbox_gives_up_on_requeues_and_tells_the_parent(
    service: HandoffService,
    db: Database,
    active: Active,
) -> None:
    conversation = active.conversation
    handoff_id = active.handoff_id
    service.relay_to_mentor(conversation, "are you there?")

    async def blocked(payload: dict[str, Any]) -> dict[str, Any]:
        if "are you there?" in payload["text"]:
            raise PermanentFailure("Forbidden")  # the mentor blocked the bot
        return {"message_id": 1}

    worker = OutboxWorker(
        db, {"telegram.send": blocked}, after_failure={"telegram.send": service.delivery_failed}
    )
    await worker.drain()

    assert get_handoff(db, handoff_id).state == "queued"
    told = [m.text for m in parent_messages(db, conversation) if m.sender == "system"]
    assert told[-2].startswith(MENTOR_LEFT)
    assert told[-1].startswith("Your last message did not reach them")
    with db.session() as session:
        failed = session.scalars(select(OutboxItem).where(OutboxItem.status == "failed")).one()
        assert "text" not in failed.payload, "a settled item forgets its text"


def test_a_paused_mentor_keeps_the_conversations_they_hold(
    service: HandoffService,
    db: Database,
    active: Active,
) -> None:
    amina, conversation = active.amina, active.conversation
    with db.session() as session:
        mentors.set_status(session, mentor_row(db, amina).id, "paused")
    assert service.relay_to_mentor(conversation, "thank you") == []
    assert "thank you" in texts_to(db, amina)[-1]


def test_a_new_registration_from_the_same_user_requeues_the_old_accounts_conversations(
    desk: MentorDesk,
    db: Database,
    settings: Settings,
    active: Active,
) -> None:
    amina, conversation = active.amina, active.conversation
    handoff_id = active.handoff_id
    with db.session() as session:
        _mentor, code = mentors.invite(session, settings, "Amina K.", "en,so", "Manor Gardens")
    assert desk.register(code, amina, amina) is not None
    assert get_handoff(db, handoff_id).state == "queued"
    told = [m.text for m in parent_messages(db, conversation) if m.sender == "system"]
    assert told[-1].startswith(MENTOR_LEFT)
