"""Shared helpers for the language tests: the evaluation data sets."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).with_name("data")


def messages(name: str) -> list[str]:
    """The messages of one evaluation file (comments and blank lines skipped)."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
