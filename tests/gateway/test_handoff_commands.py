"""During a handoff, words go to the mentor, but commands and buttons are acted on."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.core import Inbound
from tests.gateway.conftest import Chat, RecordingHandoff, services
from tests.gateway.fake_rasa import FakeRasa


def _relayed(handoff: RecordingHandoff) -> list[str]:
    return [call[2] for call in handoff.calls if call[0] == "relay"]


def test_buttons_are_acted_on_and_never_relayed(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    handoff.active.add(chat.id)
    assert chat.tap("/help")["messages"][0]["text"] == "echo: /help"
    reply = chat.tap('/choose_language{"language": "tr"}')
    assert reply["language"] == "tr"
    assert rasa.messages[-1]["message"] == '/choose_language{"language": "tr"}'
    chat.tap("/talk_to_human")
    assert rasa.messages[-1]["message"] == "/talk_to_human"
    assert _relayed(handoff) == []
    chat.say("thank you, that helps")
    assert _relayed(handoff) == ["thank you, that helps"]


def test_telegram_commands_are_acted_on_and_never_relayed(
    client: TestClient, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    state = services(client).conversations.for_telegram_chat(21, "en")
    handoff.active.add(state.id)
    router = services(client).router
    for typed, payload in [("/help", "/help"), ("/human", "/talk_to_human")]:
        inbound = Inbound("telegram", state.id, kind="payload", payload=payload, text=typed)
        client.portal.call(router.take, inbound)  # type: ignore[union-attr]
    assert [m["message"] for m in rasa.messages] == ["/help", "/talk_to_human"]
    assert _relayed(handoff) == []


def test_rasa_down_during_a_handoff_a_request_for_a_person_still_reaches_the_handoff(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    handoff.active.add(chat.id)
    rasa.down = True
    chat.tap("/talk_to_human")
    assert ("request", chat.id, "talk_to_human", False) in handoff.calls
    assert _relayed(handoff) == []


def test_the_delete_button_during_a_handoff_ends_it_and_erases(
    chat: Chat, handoff: RecordingHandoff
) -> None:
    handoff.active.add(chat.id)
    chat.say("hello mentor")
    deleted = chat.client.delete(f"/api/sessions/{chat.id}", headers=chat.headers)
    assert deleted.json() == {"erased": True}
    assert ("forget", chat.id) in handoff.calls
    assert services(chat.client).conversations.get(chat.id) is None
