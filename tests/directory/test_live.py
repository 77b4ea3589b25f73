"""Live reload: a saved change is picked up; a broken file is refused and the last good one stays."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.directory import DirectoryError, live
from bot.directory.live import LiveDirectory
from bot.directory.loader import check_bytes
from tests.directory.conftest import HEADER, LONDON, service


def touch_later(path: Path, seconds: int = 5) -> None:
    """Move the file's mtime on, as a later save would, without sleeping."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def test_picks_up_a_saved_change(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a"))
    watched = LiveDirectory(path, LONDON, reload_seconds=0)
    assert [s.id for s in watched.get()] == ["a"]
    write(HEADER + service("a") + service("b"))
    touch_later(path)
    assert [s.id for s in watched.get()] == ["a", "b"]


def test_checks_at_most_every_interval(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a"))
    watched = LiveDirectory(path, LONDON, reload_seconds=3600)
    first = watched.get()
    write(HEADER + service("a") + service("b"))
    touch_later(path)
    assert watched.get() is first


def test_unchanged_file_keeps_the_same_object(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a"))
    watched = LiveDirectory(path, LONDON, reload_seconds=0)
    first = watched.get()
    touch_later(path)  # saved again with the same content
    assert watched.get() is first


def test_invalid_file_keeps_the_last_good_one_and_logs_every_problem(
    write: Callable[[str], Path], caplog: pytest.LogCaptureFixture
) -> None:
    path = write(HEADER + service("a"))
    watched = LiveDirectory(path, LONDON, reload_seconds=0)
    good = watched.get()
    write(HEADER + service("a", category="grup") + service("b", languages="xq"))
    touch_later(path)
    with caplog.at_level(logging.ERROR, logger="bot.directory.live"):
        assert watched.get() is good
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "keeping the last good version" in logged
    assert "services_directory.yaml:" in logged and "'grup'" in logged and "'xq'" in logged
    assert len(watched.last_problems) == 2
    # Fixing the file brings the change in.
    write(HEADER + service("a") + service("b"))
    touch_later(path, 10)
    assert [s.id for s in watched.get()] == ["a", "b"]
    assert watched.last_problems == []


def test_deleted_file_keeps_the_last_good_one(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a"))
    watched = LiveDirectory(path, LONDON, reload_seconds=0)
    good = watched.get()
    path.unlink()
    assert watched.get() is good


def test_broken_at_first_load_raises_a_clear_error(write: Callable[[str], Path]) -> None:
    path = write("services:\n  - id: a\n    name: en: A\n")
    with pytest.raises(DirectoryError) as raised:
        LiveDirectory(path, LONDON, reload_seconds=0).get()
    assert "services_directory.yaml:3:" in str(raised.value)
    assert raised.value.problems


def test_process_wide_directory(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a"))
    try:
        live.set_directory_path(path, LONDON, reload_seconds=0)
        assert live.get_directory().get("a") is not None
    finally:
        live._live = None


def test_callers_keep_the_current_directory_while_another_reloads(
    write: Callable[[str], Path],
) -> None:
    path = write(HEADER + service("a"))
    watched = LiveDirectory(path, LONDON, reload_seconds=0)
    first = watched.get()
    write(HEADER + service("a") + service("b"))
    touch_later(path)
    with watched._lock:  # another caller is reloading
        assert watched.get() is first
    assert len(watched.get()) == 2


async def test_the_watcher_logs_a_broken_save_without_any_search(
    write: Callable[[str], Path], caplog: pytest.LogCaptureFixture
) -> None:
    path = write(HEADER + service("a"))
    watched = live.set_directory_path(path, LONDON, reload_seconds=0)
    try:
        good = watched.get()
        write(HEADER + service("a", category="grup"))
        touch_later(path)
        with caplog.at_level(logging.ERROR, logger="bot.directory.live"):
            task = asyncio.create_task(live.watch_forever(0.01))
            for _ in range(200):
                if watched.last_problems:
                    break
                await asyncio.sleep(0.01)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        assert "'grup'" in "\n".join(r.getMessage() for r in caplog.records)
        assert watched.get() is good
    finally:
        live._live = None


def test_a_loaded_file_is_indexed_before_any_search(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a") + service("b"))
    checked, problems = check_bytes(path.read_bytes(), LONDON)
    assert checked is not None and not problems
    assert checked._index is None  # validating alone never builds the search index
    loaded = LiveDirectory(path, LONDON, reload_seconds=0).get()
    assert loaded._index is not None  # the service builds it on load, not on a parent's search
    assert {r.service.id for r in loaded.search(limit=5)} == {"a", "b"}
