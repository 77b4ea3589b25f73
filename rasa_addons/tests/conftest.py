"""A throwaway PostgreSQL cluster for the tests that run our tracker store on PostgreSQL.

The servers are the project's own test servers (tests/servers.py, standard library only),
loaded by their path: this package never imports `bot` or the project's tests package.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SERVERS = Path(__file__).resolve().parents[2] / "tests" / "servers.py"


def _servers() -> Any:
    spec = importlib.util.spec_from_file_location("familyhub_test_servers", SERVERS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    with _servers().PostgresServer() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: Any) -> Iterator[str]:
    """A new empty database for one test, as Rasa's side reaches it (psycopg2)."""
    name = postgres_server.create_database()
    yield postgres_server.url(name, driver="psycopg2")
    postgres_server.drop_database(name)
