"""`familyhub detect`: language and crisis screen for each line of standard input, as JSON."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from bot.language import detect
from bot.safety import screen


def describe(text: str) -> dict[str, Any]:
    """What the gateway decides about a message that arrives with no conversation history."""
    detection = detect(text)
    match = screen(text, detection.language)
    return {
        "text": text,
        "language": detection.language,
        "confidence": detection.confidence,
        "crisis": match is not None,
        "crisis_kind": match.kind if match else None,
    }


def detect_lines(stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
    """Print one JSON object per input line, flushed at once so the command works in a pipe."""
    source, sink = stdin or sys.stdin, stdout or sys.stdout
    for line in source:
        sink.write(json.dumps(describe(line.rstrip("\r\n")), ensure_ascii=False) + "\n")
        sink.flush()
