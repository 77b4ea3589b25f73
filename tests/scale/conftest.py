"""Two gateways and two Rasa servers, real processes, on a throwaway PostgreSQL and Redis,
started once for this folder's tests (Rasa's start, about a minute, is paid once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from tests.fakes.telegram_api import FakeTelegram
from tests.scale.cluster import Cluster, start_cluster
from tests.servers import PostgresServer


@pytest.fixture(scope="session")
def scale_api() -> Iterator[FakeTelegram]:
    """The fake Bot API every gateway of the cluster polls and sends through."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="session")
def cluster(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: PostgresServer,
    redis_url: str,
    scale_api: FakeTelegram,
) -> Iterator[Cluster]:
    name = postgres_server.create_database()
    running = start_cluster(
        tmp_path_factory.mktemp("cluster"),
        database_url=postgres_server.url(name),
        redis_url=redis_url,
        rasa=2,
        gateways=2,
        telegram_bot_token=SecretStr(scale_api.token),
        telegram_api_base_url=scale_api.base_url,
        # Mentors on duty whenever the tests run.
        duty_hours="Mon-Sun 00:00-23:59",
    )
    yield running
    running.stop()
    postgres_server.drop_database(name)
