"""GET /healthz reports on every part."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.gateway.fake_rasa import FakeRasa


def test_health_reports_each_part(client: TestClient, rasa: FakeRasa) -> None:
    body = client.get("/healthz").json()
    assert body["rasa"]["ok"] is True and body["database"]["ok"] is True
    assert body["telegram"] == {"ok": True, "enabled": False}
    assert body["action_server"]["ok"] is True
    rasa.actions_down = True
    assert client.get("/healthz").json()["action_server"]["ok"] is False
    assert client.get("/healthz").json()["status"] == "degraded"
    rasa.down = True
    down = client.get("/healthz")
    assert down.status_code == 200 and down.json()["rasa"]["ok"] is False
