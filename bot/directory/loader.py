"""Loads a directory file: read, validate, build; every problem reported at once."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.directory.directory import Directory
from bot.directory.problems import DirectoryError, Problem
from bot.directory.reader import read_nodes
from bot.directory.validation import build_directory


def check_bytes(
    data: bytes, zone: ZoneInfo, today: date | None = None
) -> tuple[Directory | None, list[Problem]]:
    """The directory in `data` (its schedules on `zone`'s clock), or None and every problem found."""
    # Loading allocates millions of small objects; the cycle collector would rescan them all, repeatedly.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        root, problems = read_nodes(data)
        if root is None:
            return None, problems
        return build_directory(root, zone, today)
    finally:
        if was_enabled:
            gc.enable()


def load_directory(path: str | Path, zone: ZoneInfo) -> Directory:
    """The directory at `path`; raises DirectoryError listing every problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DirectoryError(
            path.name, [Problem(1, 1, f"the file cannot be opened ({error.strerror})")]
        ) from None
    directory, problems = check_bytes(data, zone)
    if directory is None:
        raise DirectoryError(path.name, problems)
    return directory
