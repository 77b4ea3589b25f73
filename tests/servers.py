"""Throwaway PostgreSQL and Redis servers on free ports, for the tests.

Nothing here depends on a service the machine happens to run: each server is started from
Debian's binaries (`make system-deps` installs them) in a fresh temporary folder and removed
when it stops. Standard library only, so the tests of `rasa_addons` (in `.venv-rasa`) load
this same file by its path.

PostgreSQL refuses to run as root. When the tests run as root (as they do here and on CI), the
cluster runs as an unprivileged user (`nobody`, or FAMILYHUB_TEST_PG_USER), in a folder under
/tmp that this user owns: never under a root-only path such as /root.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["PostgresServer", "RedisServer", "ServerError", "free_port"]

START_TIMEOUT_SECONDS = 60.0


class ServerError(RuntimeError):
    """A test server could not be started."""


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_bin() -> Path:
    """The newest PostgreSQL server binaries Debian installed (or FAMILYHUB_TEST_PG_BIN)."""
    chosen = os.environ.get("FAMILYHUB_TEST_PG_BIN")
    if chosen:
        return Path(chosen)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name.split(".")[0]),
    )
    if not found:
        raise ServerError("PostgreSQL is not installed: run `make system-deps` (as root)")
    return Path(found[-1]).parent


class _Process:
    """A server process of ours, stopped on `stop()` along with its folder."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.folder: Path | None = None

    def _remove_folder(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _log_tail(self, log: Path) -> str:
        try:
            return log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""


class PostgresServer(_Process):
    """A PostgreSQL cluster of its own, on a free port, with `trust` logins for `postgres`.

    Use it as a context manager, or call `start()` and `stop()`. `url()` gives the SQLAlchemy
    URL of a database on it; `create_database()` a new empty one, for a test of its own.
    """

    superuser = "postgres"

    def __init__(self, user: str | None = None) -> None:
        super().__init__()
        self.bin = _postgres_bin()
        self.port = 0
        self.user = user or os.environ.get("FAMILYHUB_TEST_PG_USER") or "nobody"
        self._names = itertools.count(1)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _as_owner(self) -> dict[str, Any]:
        """subprocess arguments that run a command as the cluster's owner when we are root."""
        if os.geteuid() != 0:
            return {}
        entry = pwd.getpwnam(self.user)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def _run(self, *command: str) -> None:
        result = subprocess.run(  # noqa: S603 - our own fixed commands
            command, capture_output=True, env=self._env(), **self._as_owner(), check=False
        )
        if result.returncode != 0:
            raise ServerError(f"{command[0]} failed: {result.stderr.decode(errors='replace')}")

    def _env(self) -> dict[str, str]:
        assert self.folder is not None
        return {**os.environ, "HOME": str(self.folder), "PGCONNECT_TIMEOUT": "10"}

    def start(self) -> None:
        # /tmp itself is open to every user; the folder is made and then given to the owner.
        self.folder = Path(tempfile.mkdtemp(prefix="familyhub-pg-", dir="/tmp"))
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        data = self.folder / "data"
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(data),
            "-U",
            self.superuser,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        log = self.folder / "server.log"
        for _attempt in range(3):
            self.port = free_port()
            # Durability is no concern for a throwaway cluster: fsync off makes it quick.
            options = {
                "listen_addresses": "127.0.0.1",
                "port": str(self.port),
                "unix_socket_directories": str(self.folder),
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
                "max_connections": "300",
                "shared_buffers": "32MB",
            }
            command = [str(self.bin / "postgres"), "-D", str(data)]
            for name, value in options.items():
                command += ["-c", f"{name}={value}"]
            with log.open("ab") as out:
                self.process = subprocess.Popen(  # noqa: S603
                    command,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=self._env(),
                    **self._as_owner(),
                )
            if self._wait_ready():
                return
            self._kill()
        tail = self._log_tail(log)
        self._remove_folder()
        raise ServerError(f"PostgreSQL did not start:\n{tail}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            ready = subprocess.run(  # noqa: S603
                [str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                check=False,
            )
            if ready.returncode == 0:
                return True
            time.sleep(0.1)
        return False

    def _kill(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            # SIGINT is PostgreSQL's fast shutdown: sessions are ended, nothing is waited for.
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self) -> None:
        self._kill()
        self._remove_folder()

    def url(self, database: str = "postgres", driver: str = "psycopg") -> str:
        """The SQLAlchemy URL of `database`: `psycopg` (3) for our code, `psycopg2` for Rasa's."""
        return f"postgresql+{driver}://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run one SQL statement with psql; its output, unaligned without headers."""
        result = subprocess.run(  # noqa: S603
            [
                str(self.bin / "psql"),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                self.superuser,
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise ServerError(f"psql failed: {result.stderr.decode(errors='replace')}")
        return result.stdout.decode()


class RedisServer(_Process):
    """A `redis-server` of its own on a free port, keeping nothing on disk."""

    def __init__(self) -> None:
        super().__init__()
        self.port = 0

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServerError("redis-server is not installed: run `make system-deps` (as root)")
        self.folder = Path(tempfile.mkdtemp(prefix="familyhub-redis-"))
        log = self.folder / "server.log"
        for _attempt in range(3):
            self.port = free_port()
            with log.open("ab") as out:
                self.process = subprocess.Popen(  # noqa: S603
                    [
                        binary,
                        "--port",
                        str(self.port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        str(self.folder),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no",
                        "--databases",
                        "64",
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            if self._wait_ready():
                return
            self._kill()
        tail = self._log_tail(log)
        self._remove_folder()
        raise ServerError(f"redis-server did not start:\n{tail}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            if self.ping():
                return True
            time.sleep(0.05)
        return False

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _kill(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self) -> None:
        self._kill()
        self._remove_folder()

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"
