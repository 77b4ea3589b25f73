"""The erased-ids log: every conversation a parent erased, kept outside the database.

A restore from backup brings back what was erased after the backup was taken. The log is
written before the rows go and lives beside the database, not in it (ERASURE_LOG, on storage
the restore does not overwrite), so `familyhub erasure reapply` can erase them all again. It
holds only conversation ids: random identifiers that point at nothing once erased, and no
text, name or Telegram id.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path


class ErasureLog:
    """An append-only file, one `time<TAB>conversation id` line per erasure."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, conversation_id: str) -> None:
        """Append one id and flush it to disk before the erasure goes on.

        One short write with O_APPEND: lines from several processes on one host never mix.
        """
        if not conversation_id or any(c in conversation_id for c in "\t\r\n"):
            raise ValueError("a conversation id is one word")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = f"{datetime.now(UTC).isoformat(timespec='seconds')}\t{conversation_id}\n"
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def ids(self) -> Iterator[str]:
        """The logged ids, oldest first, each once; nothing when there is no log yet."""
        yield from logged_ids([self.path])


def logged_ids(paths: Iterable[Path]) -> Iterator[str]:
    """The ids in several logs (one per host), each once; a torn last line is skipped."""
    seen: set[str] = set()
    for path in paths:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if not line.endswith("\n"):
                    continue  # a write cut short by a crash: its erasure did not start
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and parts[1] and parts[1] not in seen:
                    seen.add(parts[1])
                    yield parts[1]
