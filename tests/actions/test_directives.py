from bot.actions.directives import (
    ActionChooseLanguage,
    ActionCrisisHandoff,
    ActionErase,
    ActionHandoff,
    handoff_topic,
)
from tests.actions.conftest import Run, make_tracker, responses, user


def test_choose_language_switches_and_confirms_in_the_new_language(run: Run) -> None:
    messages, events = run(
        ActionChooseLanguage(), make_tracker("choose_language", {"language": "so"})
    )
    assert responses(messages) == ["directive:language", "utter_language_changed"]
    assert messages[0]["custom"] == {"directive": "language", "language": "so"}
    assert messages[1]["language"] == "so"
    assert [(e["name"], e["value"]) for e in events] == [("language", "so")]


def test_choose_language_asks_when_none_named(run: Run) -> None:
    messages, events = run(ActionChooseLanguage(), make_tracker("choose_language"))
    assert responses(messages) == ["utter_ask_language"]
    assert events == []


def test_choose_language_ignores_an_unknown_language(run: Run) -> None:
    messages, events = run(
        ActionChooseLanguage(), make_tracker("choose_language", {"language": "fr"})
    )
    assert responses(messages) == ["utter_ask_language"]
    assert events == []


def test_handoff_when_asked(run: Run) -> None:
    messages, _ = run(ActionHandoff(), make_tracker("talk_to_human", events=[user("find_mentor")]))
    assert messages[0]["custom"] == {
        "directive": "handoff",
        "topic": "talk_to_human",
        "urgent": False,
    }
    assert messages[0]["text"] is None


def test_handoff_topic_is_what_the_parent_asked_before_yes() -> None:
    assert handoff_topic(make_tracker("affirm", events=[user("find_mentor")])) == "find_mentor"
    assert (
        handoff_topic(make_tracker("affirm", events=[user("mental_health"), user("affirm")]))
        == "mental_health"
    )
    assert (
        handoff_topic(make_tracker("affirm", events=[user("nlu_fallback"), user("nlu_fallback")]))
        == "fallback"
    )
    assert handoff_topic(make_tracker("affirm")) == "talk_to_human"


def test_crisis_handoff_is_urgent(run: Run) -> None:
    messages, _ = run(ActionCrisisHandoff(), make_tracker("crisis"))
    assert [m["custom"] for m in messages] == [
        {"directive": "handoff", "topic": "crisis", "urgent": True}
    ]


def test_erase(run: Run) -> None:
    messages, events = run(ActionErase(), make_tracker("affirm", events=[user("delete_my_data")]))
    assert [m["custom"] for m in messages] == [{"directive": "erase"}]
    assert events == []
