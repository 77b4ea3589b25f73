from pathlib import Path

from bot.actions.signposting import (
    ActionFindHub,
    ActionFindMentor,
    ActionInfantFeeding,
    ActionMentalHealthServices,
)
from bot.settings import Settings
from tests.actions.conftest import Run, cards, make_tracker, responses


def test_mentor_in_the_parents_language_first(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindMentor(), make_tracker("find_mentor", language="tr"))
    assert cards(messages)[0] == "mentors-tr"
    assert "utter_no_match_in_language" not in responses(messages)


def test_no_mentor_in_english_only_says_so(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindMentor(), make_tracker("find_mentor", language="en"))
    # Both mentor services are also delivered in English, so no notice.
    assert responses(messages) == ["utter_service_card", "utter_service_card"]


def test_mental_health_signposts_three_direct_routes(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionMentalHealthServices(), make_tracker("mental_health"))
    shown = cards(messages)
    # Health visitor route first, then self-referral; the GP-referred team is left out.
    assert shown[0] == "psychology"
    assert set(shown) == {"psychology", "talking-therapies", "pandas"}
    assert "utter_more_services" not in responses(messages)


def test_mental_health_in_somali_says_the_services_are_in_english(
    directory_file: Path, run: Run
) -> None:
    messages, _ = run(ActionMentalHealthServices(), make_tracker("mental_health", language="so"))
    assert responses(messages)[0] == "utter_no_match_in_language"
    assert messages[0]["language_name"] == "Soomaali"


def test_feeding(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionInfantFeeding(), make_tracker("infant_feeding"))
    assert cards(messages) == ["feeding-team"]


def test_hubs_are_hub_cards_without_a_language_notice(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindHub(), make_tracker("find_hub", language="tr"))
    assert responses(messages) == ["utter_hub_card", "utter_hub_card"]
    # The hub open now (Tuesday 08:00 onwards) comes first.
    assert cards(messages) == ["hub-north-centre", "hub-east-centre"]


def test_at_most_three_cards_in_one_burst(directory_file: Path, run: Run) -> None:
    for action, intent in [
        (ActionFindMentor(), "find_mentor"),
        (ActionMentalHealthServices(), "mental_health"),
        (ActionInfantFeeding(), "infant_feeding"),
        (ActionFindHub(), "find_hub"),
    ]:
        messages, _ = run(action, make_tracker(intent))
        assert len(cards(messages)) <= 3


def test_no_services_found(tmp_path: Path, settings: Settings, run: Run, monkeypatch) -> None:
    from bot.directory import live

    path = tmp_path / "services_directory.yaml"
    path.write_text("version: 1\nservices: []\n", encoding="utf-8")
    monkeypatch.setattr(live, "_live", None)
    live.set_directory_path(path, settings.zone, reload_seconds=0)
    messages, _ = run(ActionFindHub(), make_tracker("find_hub"))
    assert responses(messages) == ["utter_no_services"]


def test_a_stale_more_button_past_the_end(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindHub(), make_tracker("find_hub", {"page": "3"}))
    assert responses(messages) == ["utter_no_services"]
