"""The action server sets the services directory from the settings; the actions never read them."""

from __future__ import annotations

import importlib

import pytest

from bot.directory import live
from bot.settings import Settings


def test_the_directory_comes_from_the_settings(
    command_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "_live", None)
    import bot.serve_actions

    importlib.reload(bot.serve_actions)
    assert live._live is not None
    assert live._live.path == command_settings.services_directory
    assert live._live.zone == command_settings.zone
    assert live._live.reload_seconds == command_settings.directory_reload_seconds
