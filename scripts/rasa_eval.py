"""Parse messages with a trained Rasa model: run by .venv-rasa's python, imports rasa only (never `bot`).

Usage: .venv-rasa/bin/python scripts/rasa_eval.py MODEL.tar.gz < texts.json > parses.json

Input: a JSON list of texts (already normalised). Output: a JSON list, in the same order, of
{"text", "intent", "confidence", "entities": [{"entity", "value"}], "ranking": [[intent,
confidence] x3], "seconds"}, where seconds
is the time parsing that one message took. The model is loaded once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


async def parse_all(model: str, texts: list[str]) -> list[dict[str, object]]:
    """Load the model once, then parse each text in turn, timing each."""
    from rasa.core.agent import Agent

    agent = Agent.load(model_path=model)
    results: list[dict[str, object]] = []
    for text in texts:
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        seconds = time.perf_counter() - started
        intent = parsed.get("intent") or {}
        results.append(
            {
                "text": text,
                "intent": intent.get("name"),
                "confidence": float(intent.get("confidence") or 0.0),
                "entities": [
                    {"entity": e.get("entity"), "value": e.get("value")}
                    for e in parsed.get("entities") or []
                ],
                "ranking": [
                    [r.get("name"), float(r.get("confidence") or 0.0)]
                    for r in (parsed.get("intent_ranking") or [])[:3]
                ],
                "seconds": seconds,
            }
        )
    return results


def main() -> int:
    """Read texts from stdin, write the parses to stdout."""
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    texts = json.load(sys.stdin)
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        print("stdin must be a JSON list of strings", file=sys.stderr)
        return 2
    # Rasa prints notices to stdout; only our JSON may go there.
    with contextlib.redirect_stdout(sys.stderr):
        results = asyncio.run(parse_all(sys.argv[1], texts))
    json.dump(results, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
