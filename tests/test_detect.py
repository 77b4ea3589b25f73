"""`familyhub detect`: one JSON object per input line."""

from __future__ import annotations

import io
import json

from click.testing import CliRunner

from bot.cli import main
from bot.detect import describe, detect_lines

KEYS = ["text", "language", "confidence", "crisis", "crisis_kind"]


def _run(text: str) -> list[dict[str, object]]:
    out = io.StringIO()
    detect_lines(io.StringIO(text), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_object_per_line_with_the_contract_keys() -> None:
    rows = _run("hello, where is the family hub?\nbebegim icin grup var mi\r\n\nhaa\n")
    assert len(rows) == 4
    assert all(list(row) == KEYS for row in rows)
    assert [row["language"] for row in rows] == ["en", "tr", "en", "so"]
    assert rows[1]["text"] == "bebegim icin grup var mi"
    assert rows[2] == {
        "text": "",
        "language": "en",
        "confidence": 0.0,
        "crisis": False,
        "crisis_kind": None,
    }
    assert all(isinstance(row["confidence"], float) for row in rows)


def test_crisis_fields_come_from_the_safety_screen() -> None:
    rows = _run("I want to kill myself\nbu sıcak beni öldürüyor\nbebeğim nefes almıyor\n")
    assert [(r["crisis"], r["crisis_kind"]) for r in rows] == [
        (True, "suicide_self_harm"),
        (False, None),
        (True, "medical_emergency"),
    ]
    assert rows[2]["language"] == "tr"


def test_unicode_is_kept_readable() -> None:
    out = io.StringIO()
    detect_lines(io.StringIO("Türkçe\n"), out)
    assert '"Türkçe"' in out.getvalue()


def test_describe_matches_the_cli_output() -> None:
    text = "waxaan rabaa mentor af soomaali ku hadla"
    assert _run(text + "\n") == [describe(text)]


def test_the_familyhub_detect_command() -> None:
    result = CliRunner().invoke(main, ["detect"], input="my baby is not breathing\nhaa\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows[0]["crisis_kind"] == "medical_emergency" and rows[1]["language"] == "so"
