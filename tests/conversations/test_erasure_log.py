"""The erased-ids log: appended before the rows go, read back once per id, torn lines skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversations import ErasureLog, logged_ids


def test_ids_are_read_back_in_order_once_each_across_logs(tmp_path: Path) -> None:
    one, two = ErasureLog(tmp_path / "a" / "erased.log"), ErasureLog(tmp_path / "b.log")
    for conversation_id in ("c1", "c2", "c1"):
        one.record(conversation_id)
    two.record("c3")
    two.record("c2")
    assert list(one.ids()) == ["c1", "c2"]
    assert list(logged_ids([one.path, two.path, tmp_path / "none.log"])) == ["c1", "c2", "c3"]
    assert (one.path.stat().st_mode & 0o777) == 0o600, "only the service reads it"


def test_a_line_cut_short_by_a_crash_is_skipped(tmp_path: Path) -> None:
    log = ErasureLog(tmp_path / "erased.log")
    log.record("c1")
    with log.path.open("a") as raw:
        raw.write("2026-12-04T00:00:00+00:00\tc2")  # no newline: the write never finished
    assert list(log.ids()) == ["c1"]


def test_an_id_is_one_word(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        ErasureLog(tmp_path / "erased.log").record("c1\nc2")
