"""A mentor's or the system's message to a parent is kept only as the parent's consent allows,
as the bot's own replies are; a web chat parent still gets it by server push."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.conversations.retention import purge
from bot.conversations.tracker import TrackerStore
from bot.handoff.desk import MentorDesk
from bot.handoff.outbox import OutboxWorker
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import utcnow

from .conftest import outbox_items, parent_messages


def test_a_telegram_parent_who_refused_keeps_no_copy_once_it_is_sent(
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en", "telegram", chat_id=900, consent=False)
    handed_off(amina, conversation)
    assert desk.reply(amina, "How are you feeling today?", None, amina) is None
    assert parent_messages(db, conversation) == [], "nothing stored, not even 'has joined'"
    [queued] = [i for i in outbox_items(db) if i.payload["chat_id"] == 900][-1:]
    assert queued.payload["text"] == "How are you feeling today?"


async def test_the_outbox_copy_goes_once_delivered(
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en", "telegram", chat_id=901, consent=False)
    handed_off(amina, conversation)
    desk.reply(amina, "How are you feeling today?", None, amina)

    async def send(payload: dict[str, Any]) -> dict[str, Any]:
        return {"message_id": 1}

    await OutboxWorker(db, {"telegram.send": send}).drain()
    assert all("text" not in item.payload for item in outbox_items(db))


def test_a_telegram_parent_who_agreed_keeps_it_for_the_retention_period(
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
    settings: Settings,
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en", "telegram", chat_id=902, consent=True)
    handed_off(amina, conversation)
    desk.reply(amina, "How are you feeling today?", None, amina)
    [kept] = [m for m in parent_messages(db, conversation) if m.sender == "mentor"]
    days = settings.retention_days
    assert kept.expires_at - kept.created_at == timedelta(days=days)


def test_a_web_parent_who_refused_gets_it_by_push_then_it_is_purged(
    tmp_path: Path,
    desk: MentorDesk,
    add_mentor: Callable[..., int],
    parent: Callable[..., str],
    handed_off: Callable[[int, str], int],
    db: Database,
) -> None:
    amina = add_mentor("Amina", "en")
    conversation = parent("en", "web", consent=False)
    handed_off(amina, conversation)
    desk.reply(amina, "How are you feeling today?", None, amina)
    [pushed] = [m for m in parent_messages(db, conversation) if m.sender == "mentor"]
    assert pushed.expires_at - pushed.created_at <= timedelta(hours=24)

    tracker = TrackerStore(f"sqlite:///{tmp_path / 'no_tracker.db'}")
    purge(db, tracker, 30, now=utcnow() + timedelta(hours=25))
    assert [m for m in parent_messages(db, conversation) if m.sender == "mentor"] == []
