"""Shared helpers for the safety tests: the dev split of crisis and everyday look-alike messages.

The test splits (tests/safety/data/test and test2) are read only by `make eval`'s reporting,
never by a test that could steer a change: they measure generalisation only while nothing is
tuned on them.
"""

from __future__ import annotations

from pathlib import Path

from bot.safety.examples import Example, crisis_examples, everyday_examples

DATA = Path(__file__).with_name("data")
DEV = DATA / "dev"
TEST = DATA / "test"
TEST2 = DATA / "test2"
LANGUAGES = ("en", "so", "tr")


def crisis_messages(language: str) -> list[tuple[str, str]]:
    """(kind, message) pairs of a language's dev crisis set."""
    return [(str(e.kind), e.text) for e in crisis_examples(DEV, language)]


def dev_crisis(language: str) -> list[Example]:
    return crisis_examples(DEV, language)


def everyday_messages(language: str) -> list[str]:
    """A language's dev everyday look-alike messages."""
    return [e.text for e in everyday_examples(DEV, language)]
