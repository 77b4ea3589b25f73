"""Two gateway processes on one PostgreSQL database wake each other: a conversation's event
stream held by one, the outbox worker of the other (LISTEN/NOTIFY, bot/store/notifications.py).

Each app here is a whole gateway with its own engine, connections and event loop, as a
second process would have; Rasa is the stand-in (tests/gateway/fake_rasa.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.startup import Options
from tests.conftest import make_settings
from tests.gateway.conftest import services
from tests.gateway.fake_rasa import FakeRasa


def until(check: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not woken"
        time.sleep(0.02)


@pytest.fixture
def gateways(tmp_path: Path, fresh_postgres_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    settings = make_settings(
        tmp_path, database_url=fresh_postgres_url, rasa_tracker_store_url=fresh_postgres_url
    )
    rasa = FakeRasa()
    apps = [
        create_app(settings, Options(rasa_transport=rasa.transport(), telegram=False))
        for _ in range(2)
    ]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as other:
        for client in (one, other):
            found = services(client).notifications
            assert found is not None, "on PostgreSQL every gateway listens"
            until(found.listening.is_set)
        yield one, other


def test_a_turn_in_one_gateway_wakes_the_stream_held_by_the_other(
    gateways: tuple[TestClient, TestClient],
) -> None:
    one, other = gateways
    conversation = services(one).conversations.create_web_session("en")
    stream = services(other).notifier.subscribe(conversation.id)
    elsewhere = services(other).notifier.subscribe("someone-else")
    services(one).notifier.notify(conversation.id)  # what a turn does once written
    until(stream.is_set)
    assert not elsewhere.is_set()


def test_an_item_queued_in_one_gateway_wakes_the_other_gateways_outbox(
    gateways: tuple[TestClient, TestClient],
) -> None:
    one, other = gateways
    woken: list[bool] = []
    outbox = services(other).mentors.outbox  # type: ignore[union-attr]
    outbox.notify = lambda: woken.append(True)  # type: ignore[method-assign]
    services(one).mentors.service.outbox_notify()  # type: ignore[union-attr]
    until(lambda: bool(woken))
