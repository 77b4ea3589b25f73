"""Security headers: the chat page's policy (built in bot/gateway/security.py), the staff's own."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.security import STAFF_POLICY
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.gateway.conftest import RecordingHandoff
from tests.gateway.fake_rasa import FakeRasa


def directives(policy: str) -> dict[str, str]:
    found = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        found[name] = value
    return found


def test_the_page_has_a_strict_policy_nosniff_and_no_referrer(client: TestClient) -> None:
    for path in ("/", "/static/chat.js", "/api/strings", "/healthz"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "no-referrer", path
        policy = directives(response.headers["content-security-policy"])
        assert policy["default-src"] == "'none'"
        assert policy["script-src"] == "'self'" and "unsafe-inline" not in str(policy)
        # Voice notes and photos the page records are played and shown from blob: URLs.
        assert policy["media-src"] == "'self' blob:"
        assert policy["img-src"] == "'self' blob: data:"
        assert policy["frame-ancestors"] == "'none'"
        assert response.headers["x-frame-options"] == "DENY"


def test_api_answers_are_never_cached(client: TestClient) -> None:
    created = client.post("/api/sessions", json={})
    assert created.headers["cache-control"] == "no-store"
    refused = client.post("/api/sessions/x/messages", json={"text": "hi"})
    assert refused.headers["cache-control"] == "no-store"


def test_councils_in_the_allow_list_may_frame_the_chat(settings: Settings, rasa: FakeRasa) -> None:
    origins = ["https://www.council.gov.uk", "https://hub.example.org:8443"]
    app = create_app(
        settings.model_copy(update={"frame_ancestors": origins}),
        Options(rasa_transport=rasa.transport(), handoff=RecordingHandoff()),
    )
    with TestClient(app) as client:
        page = client.get("/")
        policy = directives(page.headers["content-security-policy"])
        assert policy["frame-ancestors"] == " ".join(origins)
        assert "x-frame-options" not in page.headers  # it would forbid every frame


def test_a_frame_ancestor_must_be_an_origin() -> None:
    for bad in ["https://x.org; script-src *", "javascript:alert(1)", "https://x.org/path", "*"]:
        try:
            Settings(_env_file=None, frame_ancestors=[bad])  # type: ignore[call-arg]
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")


def test_the_staff_pages_keep_their_own_stricter_policy(client: TestClient) -> None:
    login = client.get("/staff/login")
    assert login.headers["content-security-policy"] == STAFF_POLICY
    assert directives(STAFF_POLICY)["default-src"] == "'none'"
    assert login.headers["x-content-type-options"] == "nosniff"
