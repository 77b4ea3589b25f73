"""Small directory files written inline, so each test shows exactly what it checks."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.directory import Directory, Problem, check_bytes

# The sample borough's clock (TIMEZONE's default).
LONDON = ZoneInfo("Europe/London")

HEADER = """\
version: 1
locations:
  - id: hub-north
    name: {en: North Hub, so: Xarunta Waqooyi, tr: Kuzey Merkezi}
    address: 1 High Street, London
    postcode: N7 6AA
    area: Holloway
  - id: hub-south
    name: {en: South Hub}
    address: 2 Low Street, London
    postcode: N1 7ZZ
    area: Angel
services:
"""

SERVICE = """\
  - id: {id}
    name: {{en: "{name}"{extra_names}}}
    description: {{en: "{description}"}}
    category: {category}
    tags: [{tags}]
    languages: [{languages}]
    locations: [{location}]
    schedule:
{schedule}
    access: [drop_in]
    last_reviewed: 2026-11-01
"""


def service(
    id: str,
    name: str = "A group",
    *,
    extra_names: str = "",
    description: str = "Play and songs",
    category: str = "group",
    tags: str = "",
    languages: str = "en",
    location: str = "hub-north",
    sessions: tuple[str, ...] = ('{day: monday, start: "10:00", end: "11:30"}',),
) -> str:
    """One service entry in YAML, with sensible defaults."""
    schedule = "\n".join(f"      - {s}" for s in sessions)
    return SERVICE.format(
        id=id,
        name=name,
        extra_names=extra_names,
        description=description,
        category=category,
        tags=tags,
        languages=languages,
        location=location,
        schedule=schedule,
    )


def problems_of(text: str) -> list[Problem]:
    """The problems found in a YAML text (dedented)."""
    directory, problems = check_bytes(textwrap.dedent(text).encode(), LONDON)
    assert (directory is None) == bool(problems)
    return problems


def load_text(text: str) -> Directory:
    """A directory from YAML text that must be valid."""
    directory, problems = check_bytes(text.encode(), LONDON)
    assert not problems, [p.format("test.yaml") for p in problems]
    assert directory is not None
    return directory


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    """Writes YAML text to services_directory.yaml in a temporary folder."""

    def _write(text: str) -> Path:
        path = tmp_path / "services_directory.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write
