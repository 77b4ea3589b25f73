"""The per-client budget: keyed by address (an IPv6 /64) as seen through TRUSTED_PROXIES only,
shared by all of a client's sessions, never refusing a crisis message, in bounded memory."""

from __future__ import annotations

import httpx
import pytest
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.clients import client_key
from bot.gateway.ratelimit import MAX_KEYS, MemoryCounters, RateLimiter
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.gateway.conftest import Chat, RecordingHandoff
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.served import serve


def test_a_client_is_its_ipv4_address_or_its_ipv6_64() -> None:
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9")
    assert client_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_key(None) == "unknown" and client_key("testclient") == "testclient"


def budget_app(settings: Settings, rasa: FakeRasa, **changes: object) -> object:
    chosen = settings.model_copy(update=changes)
    return create_app(chosen, Options(rasa_transport=rasa.transport(), handoff=RecordingHandoff()))


def new_sessions(url: str, forwarded_for: str, count: int) -> list[int]:
    with httpx.Client(base_url=url) as http:
        return [
            http.post(
                "/api/sessions", json={}, headers={"X-Forwarded-For": forwarded_for}
            ).status_code
            for _ in range(count)
        ]


@pytest.mark.parametrize("environment", [None, "*"])
def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(
    settings: Settings, rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch, environment: str | None
) -> None:
    # uvicorn reads FORWARDED_ALLOW_IPS from the environment when it is given no list: the
    # review's "*" there let a forged header pass. Only TRUSTED_PROXIES counts.
    if environment is None:
        monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    else:
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", environment)
    app = budget_app(settings, rasa, client_sessions_per_minute=2, trusted_proxies=[])
    with serve(app, settings.model_copy(update={"trusted_proxies": []})) as url:
        assert new_sessions(url, "198.51.100.1", 2) == [201, 201]
        # Another forged address is still the same connection's address: no new budget.
        assert new_sessions(url, "198.51.100.2", 1) == [429]


@pytest.mark.parametrize("everyone", ["*", "0.0.0.0/0", "::/0", "0.0.0.0/1"])
def test_trusted_proxies_cannot_be_everyone(everyone: str) -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings(_env_file=None, trusted_proxies=[everyone])  # type: ignore[call-arg]


def test_through_a_trusted_proxy_each_visitor_has_their_own_budget(
    settings: Settings, rasa: FakeRasa
) -> None:
    proxied = settings.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    app = budget_app(proxied, rasa, client_sessions_per_minute=2)
    with serve(app, proxied) as url:
        assert new_sessions(url, "198.51.100.1", 3) == [201, 201, 429]
        # Before, behind a same-host proxy, every visitor shared the proxy's one bucket.
        assert new_sessions(url, "198.51.100.2", 2) == [201, 201]
        # One IPv6 household (a /64) is one client, whichever of its addresses it uses.
        assert new_sessions(url, "2001:db8:5:6::1", 2) == [201, 201]
        assert new_sessions(url, "2001:db8:5:6::ffff", 1) == [429]


def test_the_message_budget_is_shared_by_all_of_a_clients_sessions(
    settings: Settings, rasa: FakeRasa
) -> None:
    app = budget_app(settings, rasa, client_messages_per_minute=3)
    with TestClient(app, client=("198.51.100.7", 5000)) as one:
        first, second = Chat(one), Chat(one)
        first.say("one")
        second.say("two")
        first.say("three")
        refused = second.post("messages", {"text": "four"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"] == "rate_limited" and refused.json()["message"]
        # A crisis message is never refused, by any budget.
        crisis = second.post("messages", {"text": "I want to kill myself"})
        assert crisis.status_code == 200
        assert any("999" in m["text"] for m in crisis.json()["messages"])
        assert len(rasa.messages) == 3
    with TestClient(app, client=("198.51.100.8", 5000)) as other:
        assert Chat(other).say("hello")["messages"]  # another client is not held back


def test_the_budgets_are_generous_by_default() -> None:
    defaults = Settings.model_fields
    per_session = defaults["rate_limit_per_minute"].default
    # A hub's Wi-Fi: many families behind one address.
    assert defaults["client_messages_per_minute"].default >= 10 * per_session
    assert defaults["client_sessions_per_minute"].default >= 30


def test_memory_stays_bounded_past_50000_keys() -> None:
    limiter = RateLimiter(5)
    for number in range(MAX_KEYS + 5_000):
        limiter.hit(f"client-{number}")
    assert len(limiter.counters) <= MAX_KEYS  # type: ignore[arg-type]
    # The count of the most recent clients is kept.
    for _ in range(4):
        limiter.hit(f"client-{MAX_KEYS + 4_999}")
    assert limiter.hit(f"client-{MAX_KEYS + 4_999}") is not None


def test_stale_keys_go_a_few_at_a_time_as_new_hits_come() -> None:
    now = [0.0]
    counters = MemoryCounters(max_keys=1_000_000, clock=lambda: now[0])
    for number in range(1_000):
        counters.hit(f"old-{number}", 5, 60)
    now[0] = 120  # every key has left its window
    for number in range(300):
        counters.hit(f"new-{number}", 5, 60)
    # Each hit dropped a few stale keys: no sweep of all of them, and no key kept for ever.
    assert len(counters) < 1_000
    for number in range(300, 1_000):
        counters.hit(f"new-{number}", 5, 60)
    assert len(counters) <= 1_000 + 10


@pytest.mark.parametrize("limit", [1, 3])
def test_a_window_slides_for_each_key(limit: int) -> None:
    now = [0.0]
    counters = MemoryCounters(clock=lambda: now[0])
    for _ in range(limit):
        assert counters.hit("a", limit, 60) is None
    assert counters.hit("a", limit, 60) == 60
    now[0] = 30
    assert counters.hit("a", limit, 60) == 30
    now[0] = 60.5
    assert counters.hit("a", limit, 60) is None
    counters.forget("a")
    assert "a" not in counters._hits
