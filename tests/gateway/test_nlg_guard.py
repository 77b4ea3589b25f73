"""/nlg answers Rasa only, which proves itself with the NLG secret in a header, not its address."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.conftest import NLG_SECRET
from tests.gateway.conftest import RecordingHandoff
from tests.gateway.fake_rasa import FakeRasa

REQUEST = {"response": "utter_greet", "arguments": {}, "tracker": {"slots": {"language": "en"}}}


@pytest.fixture
def local(settings: Settings, rasa: FakeRasa) -> TestClient:
    """A client on this machine: what every visitor looked like behind a same-host proxy."""
    app = create_app(settings, Options(rasa_transport=rasa.transport(), handoff=RecordingHandoff()))
    return TestClient(app, client=("127.0.0.1", 40000))


def test_rasa_with_the_secret_is_answered(local: TestClient) -> None:
    with local:
        for path in ("/nlg", "/nlg/"):
            answer = local.post(path, json=REQUEST, headers={"X-NLG-Secret": NLG_SECRET})
            assert answer.status_code == 200 and answer.json()["text"]


def test_a_loopback_caller_without_the_secret_is_refused(local: TestClient) -> None:
    with local:
        for headers in ({}, {"X-NLG-Secret": "guess"}, {"X-Forwarded-For": "127.0.0.1"}):
            refused = local.post("/nlg", json=REQUEST, headers=headers)
            assert refused.status_code == 403, headers
            assert refused.json()["error"] == "forbidden" and refused.json()["message"]
        # Not in the query string either (Rasa's `token:` would put it there, and into logs).
        assert local.post(f"/nlg?token={NLG_SECRET}", json=REQUEST).status_code == 403


def test_without_a_secret_set_nlg_refuses_everyone(settings: Settings, rasa: FakeRasa) -> None:
    app = create_app(
        settings.model_copy(update={"nlg_secret": None}),
        Options(rasa_transport=rasa.transport(), handoff=RecordingHandoff()),
    )
    with TestClient(app, client=("127.0.0.1", 40000)) as local:
        headers = {"X-NLG-Secret": ""}
        assert local.post("/nlg", json=REQUEST, headers=headers).status_code == 403
