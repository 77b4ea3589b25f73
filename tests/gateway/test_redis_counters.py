"""The rate limits' counts in a real redis-server, shared by gateway processes."""

from __future__ import annotations

import threading
import time

import redis
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.redis_counters import KEY_PREFIX, RedisCounters
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.gateway.conftest import Chat, RecordingHandoff
from tests.gateway.fake_rasa import FakeRasa
from tests.servers import free_port


def test_a_key_is_refused_past_its_limit_and_told_how_long_to_wait(redis_url: str) -> None:
    counters = RedisCounters(redis_url)
    key = f"limit-{time.time_ns()}"
    assert [counters.hit(key, 3, 60) for _ in range(3)] == [None, None, None]
    wait = counters.hit(key, 3, 60)
    assert wait is not None and 58 <= wait <= 60
    # The refused hit is not counted: the key still holds three.
    assert redis.Redis.from_url(redis_url).zcard(KEY_PREFIX + key) == 3


def test_two_gateways_share_one_count(redis_url: str) -> None:
    first, second = RedisCounters(redis_url), RedisCounters(redis_url)
    key = f"shared-{time.time_ns()}"
    assert first.hit(key, 3, 60) is None
    assert second.hit(key, 3, 60) is None
    assert first.hit(key, 3, 60) is None
    assert second.hit(key, 3, 60) is not None
    assert first.hit(key, 3, 60) is not None


def test_hits_at_the_same_moment_from_many_gateways_let_exactly_the_limit_through(
    redis_url: str,
) -> None:
    gateways = [RedisCounters(redis_url) for _ in range(4)]
    key = f"race-{time.time_ns()}"
    allowed: list[bool] = []
    start = threading.Barrier(40)

    def hit(counters: RedisCounters) -> None:
        start.wait()
        allowed.append(counters.hit(key, 10, 60) is None)

    threads = [threading.Thread(target=hit, args=(gateways[i % 4],)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 10


def test_the_window_slides_and_a_key_lasts_no_longer_than_it(redis_url: str) -> None:
    counters = RedisCounters(redis_url)
    key = f"slide-{time.time_ns()}"
    assert counters.hit(key, 1, 1) is None
    assert counters.hit(key, 1, 1) is not None
    assert 0 < redis.Redis.from_url(redis_url).pttl(KEY_PREFIX + key) <= 1000
    time.sleep(1.1)
    assert counters.hit(key, 1, 1) is None


def test_forget_drops_a_key(redis_url: str) -> None:
    counters = RedisCounters(redis_url)
    key = f"forget-{time.time_ns()}"
    counters.hit(key, 1, 60)
    counters.forget(key)
    assert counters.hit(key, 1, 60) is None


def test_without_redis_hits_are_allowed_and_a_warning_logged(caplog) -> None:  # type: ignore[no-untyped-def]
    counters = RedisCounters(f"redis://127.0.0.1:{free_port()}/0")
    with caplog.at_level("WARNING"):
        assert [counters.hit("k", 1, 60) for _ in range(3)] == [None, None, None]
        counters.forget("k")
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1


def test_with_redis_url_two_gateways_share_a_clients_budget_and_a_sessions(
    settings: Settings, rasa: FakeRasa, redis_url: str
) -> None:
    """Behind a load balancer one client's requests reach several gateways: with REDIS_URL
    they count against one budget, not one each."""
    shared = settings.model_copy(
        update={"redis_url": redis_url, "client_sessions_per_minute": 3, "rate_limit_per_minute": 2}
    )
    address = (f"198.51.100.{time.time_ns() % 200 + 20}", 5000)

    def gateway() -> TestClient:
        app = create_app(
            shared, Options(rasa_transport=rasa.transport(), handoff=RecordingHandoff())
        )
        return TestClient(app, client=address)

    with gateway() as first, gateway() as second:
        chat = Chat(first)
        assert first.app.state.services.shared_counters is not None  # type: ignore[attr-defined]
        second_chat = Chat(second)
        assert Chat(first).id  # the third new session of this client, on either gateway
        refused = second.post("/api/sessions", json={})
        assert refused.status_code == 429
        # One session's messages, over both gateways: its limit of 2 holds across them.
        assert chat.say("one")["messages"]
        on_second = second.post(
            f"/api/sessions/{chat.id}/messages", json={"text": "two"}, headers=chat.headers
        )
        assert on_second.status_code == 200
        third = chat.post("messages", {"text": "three"})
        assert third.status_code == 429
        assert second_chat.say("hello")["messages"]  # another session is not held back
