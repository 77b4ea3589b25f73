"""Standalone accuracy (no conversation history) on messages written apart from the NLU data."""

from __future__ import annotations

import pytest

from bot.language import LANGUAGES, detect
from tests.language.conftest import messages

TARGETS = {"short": 0.98, "long": 0.995}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", ["short", "long"])
def test_standalone_accuracy(language: str, size: str) -> None:
    texts = messages(f"{language}_{size}")
    wrong = [text for text in texts if detect(text).language != language]
    accuracy = 1 - len(wrong) / len(texts)
    print(f"{language} {size}: {accuracy:.3%} of {len(texts)} (wrong: {wrong})")
    assert accuracy >= TARGETS[size], wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_sets_are_big_enough_and_short_means_short(language: str) -> None:
    short, long = messages(f"{language}_short"), messages(f"{language}_long")
    assert len(short) >= 120 and len(long) >= 120
    assert all(1 <= len(text.split()) <= 3 for text in short), [
        t for t in short if len(t.split()) > 3
    ]
    assert len(set(short)) == len(short) and len(set(long)) == len(long)
