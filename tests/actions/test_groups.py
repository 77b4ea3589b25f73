from pathlib import Path
from typing import Any

import pytest

from bot.actions.groups import ActionFindGroups
from bot.actions.signposting import ActionFindHub
from bot.directory import SearchResult
from bot.directory.directory import Directory
from bot.settings import Settings
from tests.actions.conftest import Run, cards, make_tracker, responses


def test_asks_what_kind_when_nothing_is_named(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindGroups(), make_tracker("find_groups"))
    assert responses(messages) == ["utter_ask_group_type"]
    buttons_come_from_the_domain = all("service_id" not in m for m in messages)
    assert buttons_come_from_the_domain


def test_lists_three_of_the_kind_then_a_more_button(directory_file: Path, run: Run) -> None:
    messages, events = run(
        ActionFindGroups(), make_tracker("find_groups", {"group_type": "stay_and_play"})
    )
    assert responses(messages)[0] == "utter_groups_found"
    shown = cards(messages)
    assert len(shown) == 3 and all(s.startswith("play-") for s in shown)
    # Soonest first: it is Tuesday 09:00, so Tuesday's group comes before Monday's.
    assert shown == ["play-2", "play-3", "play-4"]
    more = messages[-1]
    assert more["response"] == "utter_more_services"
    assert more["payload"] == '/find_groups{"group_type": "stay_and_play", "page": "2"}'
    assert {"event": "slot", "name": "page", "value": None} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events
    ]


def test_the_more_button_shows_the_rest_without_repeating(directory_file: Path, run: Run) -> None:
    tracker = make_tracker("find_groups", {"group_type": "stay_and_play", "page": "2"})
    messages, _ = run(ActionFindGroups(), tracker)
    assert responses(messages) == ["utter_service_card", "utter_service_card"]
    assert cards(messages) == ["play-5", "play-1"]


def test_day_filter(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindGroups(), make_tracker("find_groups", {"day": "thursday"}))
    assert set(cards(messages)) == {"play-4", "massage"}


def test_group_in_a_named_language(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindGroups(), make_tracker("find_groups", {"language": "so"}))
    assert cards(messages) == ["somali-parents"]


def test_parents_language_first(directory_file: Path, run: Run) -> None:
    tracker = make_tracker("find_groups", {"group_type": "parenting"}, language="tr")
    messages, _ = run(ActionFindGroups(), tracker)
    assert cards(messages) == ["turkish-parents", "somali-parents"]
    assert "utter_no_match_in_language" not in responses(messages)


def test_says_so_when_nothing_is_in_the_parents_language(directory_file: Path, run: Run) -> None:
    tracker = make_tracker("find_groups", {"group_type": "baby_massage"}, language="so")
    messages, _ = run(ActionFindGroups(), tracker)
    assert responses(messages) == [
        "utter_groups_found",
        "utter_no_match_in_language",
        "utter_service_card",
    ]
    assert messages[1]["language_name"] == "Soomaali"
    assert cards(messages) == ["massage"]


def test_nearest_alternatives_when_nothing_matches(directory_file: Path, run: Run) -> None:
    tracker = make_tracker("find_groups", {"group_type": "baby_massage", "day": "sunday"})
    messages, _ = run(ActionFindGroups(), tracker)
    assert responses(messages)[0] == "utter_no_groups_found"
    assert cards(messages) == ["massage"]


def test_unknown_kind_falls_back_to_all_groups(directory_file: Path, run: Run) -> None:
    messages, _ = run(ActionFindGroups(), make_tracker("find_groups", {"group_type": "rhyme_time"}))
    assert responses(messages)[0] == "utter_no_groups_found"
    assert len(cards(messages)) == 3
    assert '"group_type": "any"' in messages[-1]["payload"]


def test_no_directory_loaded(tmp_path: Path, settings: Settings, run: Run, monkeypatch) -> None:
    from bot.directory import live

    monkeypatch.setattr(live, "_live", None)
    live.set_directory_path(tmp_path / "missing.yaml", settings.zone, reload_seconds=0)
    messages, _ = run(
        ActionFindGroups(), make_tracker("find_groups", {"group_type": "baby_massage"})
    )
    assert responses(messages) == ["utter_no_services"]


def test_a_stale_more_button_past_the_end(directory_file: Path, run: Run) -> None:
    tracker = make_tracker("find_groups", {"group_type": "baby_massage", "page": "5"})
    messages, _ = run(ActionFindGroups(), tracker)
    assert responses(messages) == ["utter_no_services"]


def test_the_search_stops_after_the_page_shown(
    directory_file: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A whole borough's directory must not be sorted to show three cards.
    limits: list[int | None] = []
    search = Directory.search

    def recording(self: Directory, *args: object, **kwargs: Any) -> list[SearchResult]:
        limits.append(kwargs.get("limit"))
        return search(self, *args, **kwargs)

    monkeypatch.setattr(Directory, "search", recording)
    tracker = make_tracker("find_groups", {"group_type": "stay_and_play", "page": "2"})
    run(ActionFindGroups(), tracker)
    run(ActionFindHub(), make_tracker("find_hub"))
    assert limits == [7, 4]
