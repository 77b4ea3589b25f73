"""What a turn counts for the reports: a new conversation, a crisis, a button's intent, the
intent Rasa read in words (from its tracker), and the responses the NLG rendered for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from bot.gateway.recording import write_and_purge
from bot.i18n.nlg import create_nlg_app
from bot.store.models import DailyCount
from tests.gateway.conftest import Chat, services
from tests.gateway.fake_rasa import FakeRasa


def written(client: TestClient) -> dict[tuple[str, str, str, str, str], int]:
    found = services(client)
    write_and_purge(found.counting, found.tally, 0, False)
    with found.db.session() as session:
        return {
            (c.event, c.detail, c.flag, c.channel, c.language): c.count
            for c in session.scalars(select(DailyCount))
        }


def test_a_turn_counts_its_intent_and_what_the_nlg_rendered_for_it(
    client: TestClient, rasa: FakeRasa
) -> None:
    chat = Chat(client, "so")
    counting = services(client).counting

    def answer(sender: str, message: str) -> list[dict[str, Any]]:
        # What Rasa's NLG calls would report while it answers this message.
        counting.rendered("utter_service_card", "so", {"service_id": "hub-northside"}, sender)
        counting.rendered("utter_service_card", "so", {"service_id": "hub-central"}, sender)
        counting.rendered("utter_no_match_in_language", "so", {"service_type": "group"}, sender)
        counting.rendered("utter_greet", "so", {}, sender)  # not counted
        return [{"recipient_id": sender, "text": "cards"}]

    rasa.script = answer
    rasa.intent_of = lambda message: "find_groups"
    chat.say("kooxaha carruurta")
    chat.tap("/help")
    found = written(client)
    assert found[("intent", "find_groups", "", "web", "so")] == 1
    assert found[("intent", "help", "", "web", "so")] == 1
    # hub-northside is in Somali in the sample directory; hub-central is English only.
    assert found[("service_shown", "hub-northside", "same", "web", "so")] == 2
    assert found[("service_shown", "hub-central", "other", "web", "so")] == 2
    assert found[("no_service_in_language", "group", "", "web", "so")] == 2
    assert not any(key[0] == "utter_greet" for key in found)


def test_a_new_conversation_and_a_crisis_are_counted(client: TestClient) -> None:
    chat = Chat(client, "en", consent=False)
    chat.say("I want to kill myself")
    chat.say("hello again")
    found = written(client)
    assert found[("conversation", "", "", "web", "en")] == 1
    assert found[("crisis", "suicide_self_harm", "", "web", "en")] == 1


def test_no_intent_is_counted_when_rasa_did_not_answer(client: TestClient, rasa: FakeRasa) -> None:
    chat = Chat(client, "tr")
    rasa.intent_of = lambda message: "find_hub"
    chat.say("merkez nerede")
    rasa.down = True
    chat.say("merkez nerede acaba")
    found = written(client)
    assert found[("intent", "find_hub", "", "web", "tr")] == 1


def test_the_nlg_tells_its_observer_what_it_rendered_and_for_whom() -> None:
    app = create_nlg_app()
    seen: list[tuple[str, str, dict[str, Any], str | None]] = []
    app.state.observer = lambda *args: seen.append(args)
    body = {
        "response": "utter_rephrase",
        "arguments": {},
        "tracker": {"sender_id": "abc123", "slots": {"language": "tr"}},
        "channel": {"name": "rest"},
    }
    assert TestClient(app).post("/", json=body).status_code == 200
    assert seen == [("utter_rephrase", "tr", {}, "abc123")]


def test_the_not_safe_button_and_a_gentle_check_asked_here_are_counted(
    client: TestClient, rasa: FakeRasa
) -> None:
    from tests.gateway.test_safety_step import FixedDetector, use_detector

    use_detector(client, FixedDetector(0.7))  # unsure: the gentle check
    chat = Chat(client, "so")
    rasa.down = True  # so it is asked here, not by Rasa's NLG
    chat.say("ma garanayo inta aan sii adkeysan karo")
    rasa.down = False
    chat.tap("/crisis")  # "No, I am not safe"
    found = written(client)
    assert found[("gentle_check", "self", "", "web", "so")] == 1
    assert found[("check_answer", "not_safe", "", "web", "so")] == 1
    assert found[("crisis", "not_safe_answer", "", "web", "so")] == 1
    assert not any(key[0] == "intent" and key[1] == "crisis" for key in found)


def test_days_older_than_the_report_retention_are_deleted(client: TestClient) -> None:
    from datetime import date

    from bot.analytics import Count, Event

    found = services(client)
    found.tally.add(Count(Event.CONVERSATION, "web", "en"), on=date(2020, 1, 1))
    found.tally.add(Count(Event.CONVERSATION, "web", "en"))
    assert write_and_purge(found.counting, found.tally, 1096, True) == 1
    with found.db.session() as session:
        assert [c.day for c in session.scalars(select(DailyCount))] == [found.tally.day()]
