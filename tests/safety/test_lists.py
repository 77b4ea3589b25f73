"""The phrase list files clinicians edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety.lists import CRISIS_KINDS, PhraseListError, load_list, load_lists
from bot.safety.patterns import phrase_regex


def test_every_language_has_a_list_with_every_kind() -> None:
    lists = {phrase_list.language: phrase_list for phrase_list in load_lists()}
    assert set(lists) == {"en", "so", "tr"}
    for phrase_list in lists.values():
        assert all(phrase_list.phrases[kind] for kind in CRISIS_KINDS)


def test_every_listed_phrase_compiles() -> None:
    for phrase_list in load_lists():
        for phrase in [p for ps in phrase_list.phrases.values() for p in ps] + phrase_list.guards:
            phrase_regex(phrase, phrase_list.language)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kinds: {}", "language"),
        ("language: en\nkinds:\n  sadness: [sad]", "unknown kinds"),
        ("language: en\nkinds:\n  harm_to_baby: hurt my baby", "list of phrases"),
        ("language: en\nkinds: {}\nguards: [1]", "list of phrases"),
        ("language: en\nkinds:\n  medical_emergency:\n    - 999", "quotes"),
    ],
)
def test_malformed_lists_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "xx.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PhraseListError, match=message):
        load_list(path)
