"""Fixtures for the i18n tests: a small directory, a small domain and small catalogs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.directory import live
from bot.i18n import catalogs, render
from bot.i18n.responses import ResponseBook
from bot.settings import Settings

DATA = Path(__file__).parent / "data"
# Monday 30 November 2026, 08:00 in London (GMT): the Somali group meets next on Tuesday at 10:30.
MONDAY_MORNING = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def directory(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> live.LiveDirectory:
    """The process-wide directory pointed at tests/i18n/data/directory.yaml."""
    monkeypatch.setattr(live, "_live", None)
    return live.set_directory_path(DATA / "directory.yaml", settings.zone, reload_seconds=0)


@pytest.fixture
def broken_directory(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> live.LiveDirectory:
    """A directory file that cannot be parsed, with no good version ever loaded."""
    path = tmp_path / "services_directory.yaml"
    path.write_text("version: 1\nservices: [\n  - id: broken\n", encoding="utf-8")
    monkeypatch.setattr(live, "_live", None)
    return live.set_directory_path(path, settings.zone, reload_seconds=0)


@pytest.fixture
def test_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Responses from tests/i18n/data/domain instead of bot/domain."""
    monkeypatch.setattr(render, "_book", ResponseBook(DATA))


@pytest.fixture
def test_catalogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Catalogs from tests/i18n/data/locales (.po only, so compiled in memory)."""
    monkeypatch.setattr(catalogs, "LOCALES_DIR", DATA / "locales")
    catalogs.clear_cache()
    yield
    catalogs.clear_cache()


@pytest.fixture(autouse=True)
def fresh_catalogs() -> Iterator[None]:
    """Every test starts and ends with no cached catalog."""
    catalogs.clear_cache()
    yield
    catalogs.clear_cache()
