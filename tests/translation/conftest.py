"""The texts every translation test reads: the real catalogs and services directory."""

from __future__ import annotations

from functools import cache

from bot.settings import PROJECT_ROOT
from bot.translation.entries import Entry, Sources, collect

REAL = Sources(directory=PROJECT_ROOT / "services_directory.yaml")


@cache
def real_entries(language: str) -> tuple[Entry, ...]:
    """Every catalog entry and directory text of the project, in one language."""
    return tuple(collect(language, REAL))
