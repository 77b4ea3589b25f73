"""The throwaway PostgreSQL and Redis servers of tests/servers.py really run, and go away."""

from __future__ import annotations

import os
import socket

from tests.servers import PostgresServer, RedisServer


def test_postgres_runs_unprivileged_on_its_own_port(postgres_server: PostgresServer) -> None:
    assert postgres_server.psql("SELECT 1").strip() == "1"
    owner = postgres_server.psql("SELECT current_setting('data_directory')").strip()
    assert owner.startswith("/tmp/familyhub-pg-")
    assert postgres_server.process is not None
    if os.geteuid() == 0:
        assert os.stat(f"/proc/{postgres_server.process.pid}").st_uid != 0


def test_fresh_databases_are_empty_and_separate(
    postgres_server: PostgresServer, fresh_postgres_url: str
) -> None:
    name = fresh_postgres_url.rsplit("/", 1)[1]
    postgres_server.psql("CREATE TABLE t (x int)", database=name)
    other = postgres_server.create_database()
    try:
        tables = postgres_server.psql(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database=other
        )
        assert tables.strip() == "0"
    finally:
        postgres_server.drop_database(other)


def test_redis_answers(redis_server: RedisServer, redis_url: str) -> None:
    assert redis_url == f"redis://127.0.0.1:{redis_server.port}/0"
    assert redis_server.ping()


def test_a_stopped_server_leaves_nothing_behind() -> None:
    with PostgresServer() as pg, RedisServer() as redis:
        folders = [pg.folder, redis.folder]
        ports = [pg.port, redis.port]
        assert all(folder is not None and folder.exists() for folder in folders)
    assert all(folder is not None and not folder.exists() for folder in folders)
    for port in ports:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0
