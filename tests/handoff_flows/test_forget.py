"""/forget on a shared phone: what Telegram still allows is deleted, in the parent's chat and in
the mentor's, and the parent is told how to clear the rest themselves."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.gateway.channels.telegram.handlers import CLEAR_CHAT, FORGET_YES
from bot.i18n import translate
from bot.store.models import ChatTrail, OutboxItem, RelayLink, utcnow
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff_flows.conftest import (
    Gateway,
    accept,
    buttons,
    register,
    to_chat,
    wait_until,
)

AMINA = 2001
PARENT = 71


async def test_forget_deletes_the_chat_and_the_mentors_copies_within_48_hours(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    fake_api.push_text(PARENT, "an old message")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "echo: an old message"))
    old = fake_api.messages_in(PARENT)
    fake_api.push_text(PARENT, "/human")
    await accept(fake_api, AMINA)
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Amina"))
    before = set(fake_api.messages_in(AMINA))
    fake_api.push_text(PARENT, "my partner reads my phone")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "my partner reads my phone"))
    copies = set(fake_api.messages_in(AMINA)) - before  # the relayed copy of the parent's words
    fake_api.push_text(AMINA, "I understand. Let us talk here.")
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "Let us talk here"))
    in_mentor_chat = fake_api.messages_in(AMINA)

    def recorded() -> bool:
        with gateway.services.db.session() as session:
            links = session.scalars(select(RelayLink.telegram_message_id)).all()
            trail = session.scalars(select(ChatTrail.message_id)).all()
        return bool(links) and set(fake_api.messages_in(PARENT)) <= set(trail)

    await wait_until(recorded)
    # The first exchange is 49 hours old: Telegram no longer lets the bot delete it.
    with gateway.services.db.session() as session:
        session.execute(
            update(ChatTrail)
            .where(ChatTrail.message_id.in_(old))
            .values(created_at=utcnow() - timedelta(hours=49))
        )
    for message_id in old:
        fake_api.age(PARENT, message_id, hours=49)

    fake_api.push_text(PARENT, "/forget")
    [question] = await fake_api.wait_for_call(
        "sendMessage", where=lambda c: FORGET_YES in buttons(c)
    )
    asked = fake_api.messages_in(PARENT)[-1]
    fake_api.push_callback(PARENT, FORGET_YES, message_id=asked)
    [done] = await fake_api.wait_for_call("editMessageText", where=to_chat(PARENT))
    assert translate("en", CLEAR_CHAT) in done.params["text"]
    assert question.params["chat_id"] == PARENT

    # Everything younger than 48 hours goes, in both chats; the answer to /forget stays.
    def deleted() -> bool:
        kept = set(fake_api.messages_in(PARENT))
        mentors = {c for (c, _m) in fake_api.deleted}
        return kept == {*old, asked} and AMINA in mentors

    await wait_until(deleted)
    mentor_copies = {m for (c, m) in fake_api.deleted if c == AMINA}
    assert copies and copies <= mentor_copies <= set(in_mentor_chat)
    relayed = [
        c for c in fake_api.calls("sendMessage") if "my partner reads my phone" in c.params["text"]
    ]
    assert relayed and relayed[0].params["chat_id"] == AMINA
    # The old messages were never asked for; the settled deletions keep neither chat nor ids.
    asked_for = {
        (c.params["chat_id"], i)
        for c in fake_api.calls("deleteMessages")
        for i in c.params["message_ids"]
    }
    assert not {(PARENT, m) for m in old} & asked_for

    def settled() -> bool:
        with gateway.services.db.session() as session:
            items = session.scalars(
                select(OutboxItem).where(OutboxItem.kind == "telegram.delete")
            ).all()
        return bool(items) and all(
            i.status == "sent" and i.payload == {"erasure": True} for i in items
        )

    await wait_until(settled)
    with gateway.services.db.session() as session:
        assert session.scalars(select(ChatTrail)).all() == []
