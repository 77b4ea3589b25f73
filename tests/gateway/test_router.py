"""The router's one path: checks, safety screen, language, handoff, Rasa, directives."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.core import Inbound, Refusal
from bot.gateway import replies
from bot.gateway.app import create_app
from bot.gateway.handoff import NoHandoff
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.gateway.conftest import Chat, RecordingHandoff, services
from tests.gateway.fake_rasa import FakeRasa


def test_text_is_normalised_and_language_goes_in_metadata_and_slot(
    chat: Chat, rasa: FakeRasa
) -> None:
    chat.say("  Hello   THERE ")
    assert rasa.messages[-1] == {
        "sender": chat.id,
        "message": "hello there",
        "metadata": {"language": "en", "safety": {"check": "self"}},
    }
    # Twice on a tracker Rasa has not seen (see RasaClient.set_language), then only on a change.
    assert rasa.slot_events == [(chat.id, {"event": "slot", "name": "language", "value": "en"})] * 2
    chat.say("again")
    assert len(rasa.slot_events) == 2
    chat.tap('/choose_language{"language": "so"}')
    assert len(rasa.slot_events) == 3


def test_language_button_sets_the_slot_before_rasa_answers(chat: Chat, rasa: FakeRasa) -> None:
    chat.say("hi")
    reply = chat.tap('/choose_language{"language": "tr"}')
    assert reply["language"] == "tr"
    assert rasa.slot_events[-1][1]["value"] == "tr"
    assert rasa.messages[-1]["message"] == '/choose_language{"language": "tr"}'
    assert rasa.messages[-1]["metadata"] == {"language": "tr", "safety": {"check": "self"}}


def test_unknown_payloads_get_a_clear_reply_and_never_reach_rasa(
    chat: Chat, rasa: FakeRasa
) -> None:
    for payload in ("/order_pizza", "/greet{bad json", "hello", '/greet["list"]', "/rm -rf"):
        reply = chat.tap(payload)
        assert "did not understand that button" in reply["messages"][0]["text"]
    typed = chat.say("/nonsense")
    assert typed["messages"][0]["text"] == replies.unknown_command("en").text
    assert rasa.messages == []
    assert chat.tap('/find_groups{"topic": "massage"}')["messages"][0]["text"].startswith("echo")


@pytest.mark.parametrize("language", ["so", "tr"])
def test_an_unknown_typed_command_is_refused_in_the_parents_language(
    client: TestClient, rasa: FakeRasa, language: str
) -> None:
    reply = Chat(client, language).say("/nonsense")
    assert reply["language"] == language
    assert reply["messages"][0]["text"] == replies.unknown_command(language).text
    assert reply["messages"][0]["text"] != replies.unknown_command("en").text
    assert rasa.messages == []


def test_empty_message_gets_a_clear_reply(chat: Chat, rasa: FakeRasa) -> None:
    reply = chat.say("   ")
    assert reply["messages"][0]["text"] == "Please write a message."
    assert rasa.messages == []


def test_rasa_down_gives_a_clear_message_in_the_parents_language_then_recovers(
    client: TestClient, rasa: FakeRasa
) -> None:
    chat = Chat(client, "so")
    rasa.down = True
    reply = chat.say("salaan")
    assert reply["language"] == "so"
    assert len(reply["messages"]) == 1 and reply["messages"][0]["sender"] == "system"
    assert "116 123" in reply["messages"][0]["text"]
    assert reply["messages"][0]["buttons"][0]["payload"] == "/talk_to_human"
    rasa.down = False
    assert chat.say("salaan")["messages"][0]["text"] == "echo: salaan"
    assert rasa.slot_events[-1][1]["value"] == "so"


def test_asking_for_a_person_while_rasa_is_down_still_reaches_the_handoff(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    rasa.down = True
    reply = chat.tap("/talk_to_human")
    assert ("request", chat.id, "talk_to_human", False) in handoff.calls
    assert [m["text"] for m in reply["messages"]][-1] == "asked a mentor"


def test_action_server_down_gives_the_clear_message_and_a_person_still_works(
    client: TestClient, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    # Rasa answers, but would swallow the failed action: "Here they are:" and no list.
    rasa.script = lambda sender, message: [{"recipient_id": sender, "text": "here they are:"}]
    chat = Chat(client, "tr")
    rasa.actions_down = True
    reply = chat.say("bebek grupları var mı")
    assert [m["sender"] for m in reply["messages"]] == ["system"]
    assert "116 123" in reply["messages"][0]["text"]
    assert reply["messages"][0]["text"] == replies.unavailable("tr").text
    assert reply["messages"][0]["buttons"][0]["payload"] == "/talk_to_human"
    reply = chat.tap("/talk_to_human")
    assert ("request", chat.id, "talk_to_human", False) in handoff.calls
    rasa.actions_down = False
    assert chat.say("bebek grupları var mı")["messages"][0]["text"] == "here they are:"


def test_empty_rasa_answer_is_never_silence(chat: Chat, rasa: FakeRasa) -> None:
    rasa.script = lambda sender, message: []
    reply = chat.say("hello")
    assert "could not answer" in reply["messages"][0]["text"]


def test_crisis_answers_at_once_and_raises_an_urgent_handoff_even_with_rasa_down(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    rasa.down = True
    reply = chat.say("I want to kill myself")
    texts = " ".join(m["text"] for m in reply["messages"])
    assert "999" in texts and "116 123" in texts
    assert ("request", chat.id, "crisis", True) in handoff.calls
    assert rasa.messages == []


def test_crisis_during_a_handoff_is_relayed_as_urgent(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    handoff.active.add(chat.id)
    chat.say("I want to kill myself")
    assert ("relay", chat.id, "I want to kill myself", True) in handoff.calls


def test_handed_off_messages_go_to_the_mentor_not_rasa(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    handoff.active.add(chat.id)
    reply = chat.say("Are you still there?")
    assert reply["messages"] == []
    assert ("relay", chat.id, "Are you still there?", False) in handoff.calls
    assert rasa.messages == []


def test_handoff_payloads_are_answered_by_the_hook(chat: Chat, handoff: RecordingHandoff) -> None:
    assert chat.tap("/handoff_cancel")["messages"][0]["text"] == "cancelled"


def _directives(*custom: dict[str, Any]) -> Any:
    def script(sender: str, message: str) -> list[dict[str, Any]]:
        return [{"recipient_id": sender, "text": "ok"}] + [
            {"recipient_id": sender, "custom": c} for c in custom
        ]

    return script


def test_handoff_directive_calls_the_hook_and_is_never_shown(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    rasa.script = _directives({"directive": "handoff", "topic": "find_mentor", "urgent": False})
    reply = chat.say("a mentor please")
    assert [m["text"] for m in reply["messages"]] == ["ok", "asked a mentor"]
    assert ("request", chat.id, "find_mentor", False) in handoff.calls


def test_language_directive_switches_and_resyncs_the_slot(chat: Chat, rasa: FakeRasa) -> None:
    chat.say("hi")
    rasa.script = _directives({"directive": "language", "language": "so"})
    assert chat.say("soomaali")["language"] == "so"
    rasa.script = lambda sender, message: [{"text": "haa"}]
    chat.say("nabad")
    assert rasa.slot_events[-1][1]["value"] == "so"
    assert services(chat.client).conversations.get(chat.id).language == "so"  # type: ignore[union-attr]


def test_erase_directive_erases_after_replying(chat: Chat, rasa: FakeRasa) -> None:
    chat.say("hello")
    rasa.script = _directives({"directive": "erase"})
    reply = chat.say("yes delete it")
    assert reply["erased"] is True and reply["messages"][0]["text"] == "ok"
    assert services(chat.client).conversations.get(chat.id) is None


def test_notice_comes_first_for_a_client_that_did_not_show_it(client: TestClient) -> None:
    chat = Chat(client, consent=False)
    reply = chat.say("hello")
    first = reply["messages"][0]
    assert first["sender"] == "system" and "30 days" in first["text"]
    assert [b["payload"] for b in first["buttons"]][0].startswith("/privacy_consent")
    assert services(client).conversations.transcript(chat.id, 0) == []
    chat.tap(first["buttons"][0]["payload"])
    second = chat.say("hello again")
    assert "30 days" not in second["messages"][0]["text"]
    assert services(client).conversations.transcript(chat.id, 0)


def test_unsupported_messages_get_a_kind_reply(client: TestClient) -> None:
    state = services(client).conversations.for_telegram_chat(42, "tr")
    router = services(client).router
    inbound = Inbound("telegram", state.id, kind="unsupported")
    reply = client.portal.call(router.take, inbound)  # type: ignore[union-attr]
    assert reply.messages[0].text == replies.not_text("tr").text
    assert reply.language == "tr" and reply.refused == Refusal.UNREADABLE


def test_telegram_chats_map_to_one_conversation_with_a_hashed_id(client: TestClient) -> None:
    records = services(client).conversations
    first = records.for_telegram_chat(123456789, "so")
    assert records.for_telegram_chat(123456789, None).id == first.id
    assert first.language == "so"
    assert records.for_telegram_chat(987, None).id != first.id


def test_route_rate_limits_with_a_reply(client: TestClient) -> None:
    router = services(client).router
    router.limiter.per_minute = 1
    state = services(client).conversations.for_telegram_chat(5, "en")
    inbound = Inbound("telegram", state.id, text="hi")
    client.portal.call(router.take, inbound)  # type: ignore[union-attr]
    limited = client.portal.call(router.take, inbound)  # type: ignore[union-attr]
    assert "very quickly" in limited.messages[0].text
    assert limited.refused == Refusal.TOO_FAST and limited.retry_after


def test_an_over_long_crisis_message_still_gets_help(chat: Chat, handoff: RecordingHandoff) -> None:
    response = chat.post("messages", {"text": "I want to kill myself. " + "please " * 400})
    assert response.status_code == 200
    assert "999" in " ".join(m["text"] for m in response.json()["messages"])
    assert ("request", chat.id, "crisis", True) in handoff.calls


def test_without_mentors_a_request_for_a_person_is_answered_honestly(
    settings: Settings, rasa: FakeRasa
) -> None:
    app = create_app(settings, Options(rasa_transport=rasa.transport(), handoff=NoHandoff()))
    rasa.script = _directives({"directive": "handoff", "topic": "talk_to_human", "urgent": False})
    with TestClient(app) as client:
        reply = Chat(client, "tr").say("bir insanla konuşmak istiyorum")
    assert reply["messages"][-1]["text"] == replies.no_mentors("tr").text


def test_telegram_commands_typed_in_the_web_chat_do_what_they_do_on_telegram(
    chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    chat.say("/human")
    assert rasa.messages[-1]["message"] == "/talk_to_human"
    chat.say("/HELP")
    assert rasa.messages[-1]["message"] == "/help"
    switched = chat.say("/language so")
    assert rasa.messages[-1]["message"] == '/choose_language{"language": "so"}'
    assert switched["language"] == "so"
    chat.say("/language klingon")  # an unknown code: the language buttons, no switch
    assert rasa.messages[-1]["message"] == "/choose_language"
    cancelled = chat.say("/cancel")
    assert ("payload", chat.id, "handoff_cancel") in handoff.calls
    assert cancelled["messages"][-1]["text"] == "cancelled"
    assert chat.say("/talk_to_human")["messages"]  # a payload typed out works as before
    assert rasa.messages[-1]["message"] == "/talk_to_human"
