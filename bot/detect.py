"""`familyhub detect`: language and safety net for each line of standard input, as JSON.

"crisis" is true when the gateway would give the crisis reply and alert mentors (a listed phrase,
or the learned detector sure of it); an unsure message, which the gateway answers with the gentle
check, is not a crisis here.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from bot.language import detect
from bot.safety import SafetyNet, safety_net


def describe(text: str, net: SafetyNet | None = None) -> dict[str, Any]:
    """What the gateway decides about a message that arrives with no conversation history."""
    detection = detect(text)
    found = (net or safety_net(None)).assess(text)
    return {
        "text": text,
        "language": detection.language,
        "confidence": detection.confidence,
        "crisis": found.crisis,
        "crisis_kind": found.kind if found.crisis else None,
    }


def detect_lines(
    stdin: TextIO | None = None, stdout: TextIO | None = None, net: SafetyNet | None = None
) -> None:
    """Print one JSON object per input line, flushed at once so the command works in a pipe."""
    source, sink = stdin or sys.stdin, stdout or sys.stdout
    net = net or safety_net(None)
    for line in source:
        sink.write(json.dumps(describe(line.rstrip("\r\n"), net), ensure_ascii=False) + "\n")
        sink.flush()
