"""The example sets: big enough, every kind, well formed, and no message in two of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety import CRISIS_KINDS
from bot.safety.examples import TRAINING_DIR, crisis_examples, everyday_examples, examples
from bot.safety.normalisation import keyed
from tests.safety.conftest import DEV, LANGUAGES, TEST, TEST2

SPLITS = {"training": TRAINING_DIR, "dev": DEV, "test": TEST, "test2": TEST2}
HELD_OUT = [split for split in SPLITS if split != "training"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("split", HELD_OUT)
def test_each_split_has_120_of_each_and_every_kind(split: str, language: str) -> None:
    crisis = crisis_examples(SPLITS[split], language)
    assert len(crisis) >= 120 and len(everyday_examples(SPLITS[split], language)) >= 120
    assert {e.kind for e in crisis} == set(CRISIS_KINDS)
    assert any(e.subject == "other" for e in crisis)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_is_in_two_sets(language: str) -> None:
    """Training on a dev or test message, or a message in both halves of a split, would make
    the figures lie. Compared in matching form, so a copy with other accents or case counts."""
    seen: dict[str, str] = {}
    clashes = []
    for name, folder in SPLITS.items():
        for example in examples(folder, language):
            key = f"{keyed(example.text)}"
            where = f"{name}:{'crisis' if example.crisis else 'everyday'}"
            if key in seen and seen[key] != where and seen[key].split(":")[0] != name:
                clashes.append((seen[key], where, example.text))
            seen.setdefault(key, where)
    assert clashes == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("split", HELD_OUT)
def test_no_message_is_both_crisis_and_everyday(split: str, language: str) -> None:
    crisis = {keyed(e.text) for e in crisis_examples(SPLITS[split], language)}
    assert not crisis & {keyed(e.text) for e in everyday_examples(SPLITS[split], language)}


def test_a_malformed_line_names_its_file_and_line(tmp_path: Path) -> None:
    from bot.safety.examples import ExampleError

    (tmp_path / "en_crisis.txt").write_text("# header\nsuicide_self_harm\tI want to die\n")
    with pytest.raises(ExampleError, match=r"en_crisis.txt:2: expected kind<TAB>who<TAB>message"):
        crisis_examples(tmp_path, "en")
    (tmp_path / "en_crisis.txt").write_text("sadness\tself\tI am sad\n")
    with pytest.raises(ExampleError, match="unknown kind 'sadness'"):
        crisis_examples(tmp_path, "en")
