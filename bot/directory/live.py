"""The process-wide directory, reloaded when the file changes; a broken file never replaces a good one."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.directory.directory import Directory
from bot.directory.loader import check_bytes
from bot.directory.problems import DirectoryError, Problem

log = logging.getLogger(__name__)


class LiveDirectory:
    """A directory file watched by a cheap stat at most every `reload_seconds`, on access."""

    def __init__(self, path: str | Path, zone: ZoneInfo, reload_seconds: float = 2.0) -> None:
        self.path = Path(path)
        self.zone = zone
        self.reload_seconds = reload_seconds
        self._lock = threading.Lock()
        self._directory: Directory | None = None
        self._stat: tuple[int, int] | None = None
        self._digest: str | None = None
        self._checked = float("-inf")
        self.last_problems: list[Problem] = []

    def get(self) -> Directory:
        """The live directory; raises DirectoryError if no good version has ever loaded."""
        if self._directory is None:
            with self._lock:
                if self._directory is None:
                    self._refresh()
        # While one caller reloads, the others carry on with the current directory.
        elif self._due() and self._lock.acquire(blocking=False):
            try:
                if self._due():
                    self._refresh()
            finally:
                self._lock.release()
        if self._directory is None:
            raise DirectoryError(self.path.name, self.last_problems)
        return self._directory

    def _due(self) -> bool:
        return time.monotonic() - self._checked >= self.reload_seconds

    def _refresh(self) -> None:
        self._checked = time.monotonic()
        try:
            info = self.path.stat()
        except OSError as error:
            self._refused([Problem(1, 1, f"the file cannot be opened ({error.strerror})")])
            return
        stat = (info.st_mtime_ns, info.st_size)
        if stat == self._stat and self._directory is not None:
            return
        try:
            data = self.path.read_bytes()
        except OSError as error:
            self._refused([Problem(1, 1, f"the file cannot be opened ({error.strerror})")])
            return
        digest = hashlib.sha256(data).hexdigest()
        self._stat = stat
        if digest == self._digest:
            return
        self._digest = digest
        directory, problems = check_bytes(data, self.zone)
        if directory is None:
            self._refused(problems)
            return
        directory.index()  # now, not on a parent's first search
        self._directory = directory
        self.last_problems = []
        log.info("services directory loaded: %d services from %s", len(directory), self.path)

    def _refused(self, problems: list[Problem]) -> None:
        self.last_problems = problems
        keeping = "keeping the last good version" if self._directory else "no directory is loaded"
        log.error(
            "services directory %s refused (%d problems); %s", self.path, len(problems), keeping
        )
        for problem in problems:
            log.error("%s", problem.format(self.path.name))


_live: LiveDirectory | None = None


def set_directory_path(path: str | Path, zone: ZoneInfo, reload_seconds: float) -> LiveDirectory:
    """Make the file at `path` the process-wide directory.

    Each process that needs it does so as it starts, from its settings (SERVICES_DIRECTORY,
    TIMEZONE, DIRECTORY_RELOAD_SECONDS): the gateway and the action server. Tests point it at
    their own files.
    """
    global _live
    _live = LiveDirectory(path, zone, reload_seconds)
    return _live


def get_directory() -> Directory:
    """The process-wide live directory (see `set_directory_path`)."""
    live = _live
    if live is None:
        raise RuntimeError("no services directory was set for this process (set_directory_path)")
    return live.get()


async def watch_forever(interval_seconds: float) -> None:
    """Check the file every interval, so a broken save is logged at once, not on the next search."""
    while True:
        try:
            await asyncio.to_thread(get_directory)
        except DirectoryError:
            pass  # already logged, with every problem, by _refused
        except Exception as error:
            log.error("services directory check failed: %s", type(error).__name__)
        await asyncio.sleep(interval_seconds)
