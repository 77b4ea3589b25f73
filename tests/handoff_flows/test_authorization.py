"""Mentors on Telegram: a forged Accept, a paused account, and group chats refused."""

from __future__ import annotations

from bot.core import HandoffState, MentorStatus
from bot.handoff import mentors
from bot.store.models import Handoff, Mentor
from tests.fakes.telegram_api import FakeTelegram
from tests.handoff_flows.conftest import Gateway, WebParent, register, to_chat, wait_until

AMINA, HODAN = 2001, 2003
GROUP = -1001234  # a group chat the bot was added to


def state(gateway: Gateway, number: int = 1) -> str:
    with gateway.services.db.session() as session:
        found = session.get(Handoff, number)
        assert found is not None
        return found.state


async def test_a_forged_accept_from_a_mentor_never_alerted_is_refused(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    """Callback data comes from the client: Hodan (Turkish) forges `handoff:accept:1` for a
    Somali parent's request she was never alerted to."""
    await register(fake_api, gateway, AMINA, "Amina", "so")
    await register(fake_api, gateway, HODAN, "Hodan", "tr")
    parent = await WebParent(gateway).open("so")
    await parent.tap("/talk_to_human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    fake_api.push_callback(HODAN, "handoff:accept:1", language_code="tr")
    await fake_api.wait_for_call("sendMessage", where=to_chat(HODAN, "/waiting"))
    assert state(gateway) == HandoffState.QUEUED
    assert not [t for t in fake_api.sent_texts(HODAN) if "#1" in t]


async def test_a_paused_mentor_cannot_accept(fake_api: FakeTelegram, gateway: Gateway) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    parent = await WebParent(gateway).open("en")
    await parent.tap("/talk_to_human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    with gateway.services.db.session() as session:
        mentors.set_status(session, 1, MentorStatus.PAUSED)
    fake_api.push_callback(AMINA, "handoff:accept:1")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "paused"))
    assert state(gateway) == HandoffState.QUEUED


async def test_an_invite_redeemed_in_a_group_chat_is_ignored(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    """Alerts and parents' words must never go to a group: the invite works only in private."""
    code = gateway.invite("Amina", "en")
    fake_api.push_text(GROUP, f"/start {code}", user_id=AMINA)
    fake_api.push_text(GROUP, "/waiting", user_id=AMINA)
    marker = fake_api.push_text(AMINA, "/start en")  # a later update, handled after those
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA))
    assert marker
    assert fake_api.sent_texts(GROUP) == []
    with gateway.services.db.session() as session:
        mentor = session.get(Mentor, 1)
        assert mentor is not None and mentor.status == MentorStatus.INVITED
    # The same code still works in the private chat.
    fake_api.push_text(AMINA, f"/start {code}")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "Amina"))


async def test_mentor_commands_and_buttons_in_a_group_do_nothing(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    parent = await WebParent(gateway).open("en")
    await parent.tap("/talk_to_human")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "#1"))
    for command in ("/waiting", "/away", "/end"):
        fake_api.push_text(GROUP, command, user_id=AMINA)
    fake_api.push_callback(GROUP, "handoff:accept:1", user_id=AMINA)
    fake_api.push_text(AMINA, "/waiting")  # handled after the group's updates
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "waiting for a person"))
    await wait_until(lambda: fake_api.pending_updates() == 0)
    assert fake_api.sent_texts(GROUP) == []
    assert state(gateway) == HandoffState.QUEUED
    with gateway.services.db.session() as session:
        mentor = session.get(Mentor, 1)
        assert mentor is not None and mentor.available
