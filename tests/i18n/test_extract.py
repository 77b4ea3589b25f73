"""The babel extractor for Rasa domain responses."""

from __future__ import annotations

from io import BytesIO

import pytest

from bot.i18n.extract import extract_responses
from tests.i18n.conftest import DATA


def run(text: str) -> list[tuple[int, str | None, str, list[str]]]:
    return list(extract_responses(BytesIO(text.encode("utf-8")), {}, [], {}))


def test_texts_and_button_titles_with_the_response_name() -> None:
    with (DATA / "domain" / "test.yml").open("rb") as handle:
        found = list(extract_responses(handle, {}, [], {}))
    messages = [(text, comments) for _, _, text, comments in found]
    assert ("Hello {name}, welcome!", ["response: utter_hello"]) in messages
    assert ("Groups near me", ["response: utter_hello, button"]) in messages
    assert ("Second way", ["response: utter_two"]) in messages
    assert ("Quiet mode", ["response: utter_mode"]) in messages
    assert all(line > 0 for line, _, _, _ in found)


def test_line_numbers() -> None:
    found = run(
        'responses:\n  utter_a:\n    - text: "A"\n      buttons:\n        - title: "B"\n          payload: /b\n'
    )
    assert [(line, text) for line, _, text, _ in found] == [(3, "A"), (5, "B")]


def test_files_without_responses_and_odd_shapes_give_nothing() -> None:
    assert run("intents:\n  - greet\n") == []
    assert (
        run("responses:\n  utter_a: just a string\n  utter_b:\n    - 3\n    - {custom: {x: 1}}\n")
        == []
    )
    assert run("") == []


def test_a_broken_file_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="cannot read responses"):
        run("responses: [\n")


def test_responses_built_from_the_directory_are_skipped() -> None:
    found = run(
        'responses:\n  utter_service_card:\n    - text: "(from the directory)"\n  utter_a:\n    - text: "A"\n'
    )
    assert [text for _, _, text, _ in found] == ["A"]
