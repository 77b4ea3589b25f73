"""GET /healthz: up or down to anyone, each part's state to those allowed; GET /readyz."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.conftest import HEALTH_DETAILS
from tests.gateway.conftest import RecordingHandoff
from tests.gateway.fake_rasa import FakeRasa


def test_health_reports_each_part_with_the_health_token(client: TestClient, rasa: FakeRasa) -> None:
    body = client.get("/healthz", headers=HEALTH_DETAILS).json()
    assert body["rasa"]["ok"] is True and body["database"]["ok"] is True
    assert body["telegram"] == {"ok": True, "enabled": False}
    assert body["action_server"]["ok"] is True
    rasa.actions_down = True
    assert client.get("/healthz", headers=HEALTH_DETAILS).json()["action_server"]["ok"] is False
    assert client.get("/healthz", headers=HEALTH_DETAILS).json()["status"] == "degraded"
    rasa.down = True
    down = client.get("/healthz", headers=HEALTH_DETAILS)
    assert down.status_code == 200 and down.json()["rasa"]["ok"] is False


def test_anyone_else_hears_only_up(client: TestClient, rasa: FakeRasa) -> None:
    rasa.down = True
    public = client.get("/healthz")
    assert public.status_code == 200 and public.json() == {"status": "up"}
    wrong = client.get("/healthz", headers={"Authorization": "Bearer guess"})
    assert wrong.json() == {"status": "up"}


def test_this_machine_sees_the_details_unless_a_proxy_forwarded_the_call(
    settings: Settings, rasa: FakeRasa
) -> None:
    app = create_app(
        settings.model_copy(update={"health_token": None}),
        Options(rasa_transport=rasa.transport(), handoff=RecordingHandoff()),
    )
    with TestClient(app, client=("127.0.0.1", 40000)) as local:
        assert "rasa" in local.get("/healthz").json()
        # A proxy on this machine forwards a visitor: their call is not a local one.
        forwarded = local.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
        assert forwarded.json() == {"status": "up"}
        assert local.get("/healthz", headers={"Forwarded": "for=203.0.113.9"}).json() == {
            "status": "up"
        }
    with TestClient(app, client=("203.0.113.9", 40000)) as remote:
        assert remote.get("/healthz").json() == {"status": "up"}


def test_ready_only_once_rasa_has_its_model(client: TestClient, rasa: FakeRasa) -> None:
    assert client.get("/readyz").status_code == 200
    assert client.get("/readyz").json() == {"status": "ready"}
    rasa.model_loaded = False  # still loading
    loading = client.get("/readyz")
    assert loading.status_code == 503 and loading.json() == {"status": "not_ready"}
    rasa.model_loaded = True
    rasa.down = True
    assert client.get("/readyz").status_code == 503
    # The gateway itself is alive all the while.
    assert client.get("/healthz").status_code == 200
