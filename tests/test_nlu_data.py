"""The NLU training data and the held-out evaluation sets: normalised, big enough, disjoint."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bot.core import LANGUAGES
from bot.evaluation import EVAL_DIR, plain_text, read_examples
from bot.settings import BOT_DIR
from bot.text import normalise

NLU_DIR = BOT_DIR / "data" / "nlu"
INTENTS = [
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "bot_challenge",
    "help",
    "choose_language",
    "find_groups",
    "find_mentor",
    "mental_health",
    "crisis",
    "talk_to_human",
    "infant_feeding",
    "find_hub",
    "delete_my_data",
    "out_of_scope",
]
MORE_NEEDED = {
    "crisis": 40,
    "mental_health": 40,
    "find_groups": 40,
    "find_mentor": 40,
    "talk_to_human": 40,
}
MINIMUM = 25


def training_files(language: str) -> list[Path]:
    return sorted((NLU_DIR / language).rglob("*.yml"))


def training_examples(language: str) -> list[tuple[str, str]]:
    return [pair for path in training_files(language) for pair in read_examples(path)]


def eval_examples(language: str) -> list[tuple[str, str]]:
    path = EVAL_DIR / f"{language}.yml"
    return read_examples(path) if path.is_file() else []


def test_plain_text_drops_entity_annotations() -> None:
    assert plain_text("[stay and play](group_type) on [tue](day:tuesday)") == "stay and play on tue"
    assert plain_text('[soomaali]{"entity": "language", "value": "so"} fadlan') == "soomaali fadlan"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_example_is_written_normalised(language: str) -> None:
    pairs = training_examples(language) + eval_examples(language)
    wrong = [text for _, text in pairs if plain_text(text) != normalise(plain_text(text), language)]
    assert not wrong, f"not normalised ({len(wrong)}): {wrong[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_has_enough_examples(language: str) -> None:
    counts = Counter(intent for intent, _ in training_examples(language))
    short = {
        intent: counts[intent]
        for intent in INTENTS
        if counts[intent] < MORE_NEEDED.get(intent, MINIMUM)
    }
    assert not short, f"too few {language} examples (have): {short}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_eval_example_is_in_training(language: str) -> None:
    trained = {
        normalise(plain_text(t), language) for lang in LANGUAGES for _, t in training_examples(lang)
    }
    leaked = [
        t for _, t in eval_examples(language) if normalise(plain_text(t), language) in trained
    ]
    assert not leaked, f"held-out messages also in training: {leaked[:10]}"


def test_no_example_is_in_two_intents() -> None:
    intents_of: dict[str, set[str]] = defaultdict(set)
    for language in LANGUAGES:
        for intent, text in training_examples(language):
            intents_of[plain_text(text)].add(intent)
    clashes = {text: sorted(i) for text, i in intents_of.items() if len(i) > 1}
    assert not clashes, f"examples in more than one intent: {dict(list(clashes.items())[:10])}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_a_held_out_set(language: str) -> None:
    intents = {intent for intent, _ in eval_examples(language)}
    assert set(INTENTS) <= intents, (
        f"held-out {language} set lacks {sorted(set(INTENTS) - intents)}"
    )
