"""The gateway's start: what it takes from the settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from starlette.testclient import TestClient

from bot.directory import live
from bot.gateway.app import create_app
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.gateway.conftest import RecordingHandoff
from tests.gateway.fake_rasa import FakeRasa


def test_the_services_directory_and_its_clock_come_from_the_settings(
    settings: Settings, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    istanbul = settings.model_copy(update={"timezone": "Europe/Istanbul"})
    app = create_app(istanbul, Options(rasa_transport=rasa.transport(), handoff=handoff))
    with TestClient(app):
        directory = live.get_directory()
        assert directory.zone == ZoneInfo("Europe/Istanbul")
        assert directory.get("samaritans") is not None  # SERVICES_DIRECTORY, the sample file
