"""Shared helpers for the safety tests: the crisis and look-alike data sets."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).with_name("data")


def _lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a data file."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def crisis_messages(language: str) -> list[tuple[str, str]]:
    """(kind, message) pairs of a language's crisis set."""
    pairs = [line.split("\t", 1) for line in _lines(f"{language}_crisis.txt")]
    assert all(len(pair) == 2 for pair in pairs), "each crisis line is kind<TAB>message"
    return [(kind.strip(), text.strip()) for kind, text in pairs]


def everyday_messages(language: str) -> list[str]:
    """A language's everyday look-alike messages."""
    return [line.strip() for line in _lines(f"{language}_everyday.txt")]
