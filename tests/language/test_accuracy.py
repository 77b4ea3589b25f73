"""Standalone accuracy (no conversation history) of language identification, per language.

`independent/test` is the measure of the targets: written by someone who saw neither the
detector nor our training data, and never used to tune anything. `independent/dev` (same
provenance) is the set to tune on; `own` was written alongside the detector.
"""

from __future__ import annotations

import pytest

from bot.core import LANGUAGES
from bot.language import detect
from tests.language.conftest import messages

TARGETS = {"short": 0.98, "long": 0.995}
SETS = ("independent/test", "independent/dev", "own")


@pytest.mark.parametrize("data_set", SETS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", ["short", "long"])
def test_standalone_accuracy(data_set: str, language: str, size: str) -> None:
    texts = messages(f"{data_set}/{language}_{size}")
    wrong = [text for text in texts if detect(text).language != language]
    accuracy = 1 - len(wrong) / len(texts)
    print(f"{data_set} {language} {size}: {accuracy:.3%} of {len(texts)} (wrong: {wrong})")
    assert accuracy >= TARGETS[size], wrong


@pytest.mark.parametrize("data_set", SETS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_sets_are_big_enough_and_short_means_short(data_set: str, language: str) -> None:
    short = messages(f"{data_set}/{language}_short")
    long = messages(f"{data_set}/{language}_long")
    assert len(short) >= 120 and len(long) >= 120
    assert all(1 <= len(text.split()) <= 3 for text in short), [
        t for t in short if len(t.split()) > 3
    ]
    assert all(len(text.split()) >= 4 for text in long)
    assert len(set(short)) == len(short) and len(set(long)) == len(long)


def test_the_independent_splits_share_no_message() -> None:
    for language in LANGUAGES:
        for size in ("short", "long"):
            dev = set(messages(f"independent/dev/{language}_{size}"))
            test = set(messages(f"independent/test/{language}_{size}"))
            assert not dev & test
