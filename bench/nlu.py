"""Benchmark of the NLU model: training time, and parse latency per message (p50/p95).

    .venv/bin/python bench/nlu.py           # training time of the last `familyhub train`
    .venv/bin/python bench/nlu.py --fresh   # retrain into a temporary folder and time that

Latency is measured in one .venv-rasa process that loads the trained model once
(scripts/rasa_eval.py), over the held-out messages of tests/nlu_eval, after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.core import LANGUAGES
from bot.evaluation import EVAL_DIR, parse, plain_text, read_examples
from bot.settings import BOT_DIR, get_settings
from bot.text import normalise
from bot.training import (
    LOCK_PATH,
    model_file,
    rasa_env,
    read_record,
    run_streaming,
    train_command,
    training_lock,
)

WARM_UP = 20


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def fresh_training() -> tuple[float, Path, tempfile.TemporaryDirectory[str]]:
    """Train from scratch into a temporary folder; the seconds it took and the model."""
    folder = tempfile.TemporaryDirectory(prefix="familyhub-bench-")
    out = Path(folder.name)
    env = rasa_env()
    # Rasa reuses components trained before from its cache; a fresh run must not.
    env["RASA_CACHE_DIRECTORY"] = str(out / "cache")
    with training_lock(LOCK_PATH):
        started = time.monotonic()
        code = run_streaming(train_command(out, force=True), BOT_DIR, env)
        seconds = time.monotonic() - started
    if code != 0:
        raise SystemExit(f"rasa train failed with exit code {code}")
    return seconds, model_file(out), folder


def messages() -> list[str]:
    """The held-out messages of every language, normalised as the gateway does."""
    found: list[str] = []
    for language in LANGUAGES:
        path = EVAL_DIR / f"{language}.yml"
        if path.is_file():
            found.extend(normalise(plain_text(text), language) for _, text in read_examples(path))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fresh", action="store_true", help="retrain into a temporary folder and time it"
    )
    args = parser.parse_args()
    model_dir = get_settings().model_dir
    keep = None
    if args.fresh:
        seconds, model, keep = fresh_training()
        print(f"training time (fresh, this run): {seconds:.1f} s")
    else:
        model = model_file(model_dir)
        recorded = read_record(model_dir).get("seconds")
        if recorded is None:
            print("training time: unknown (no record of the last `familyhub train`; try --fresh)")
        else:
            # Rasa restores unchanged components from its cache, so this can be far below a fresh run.
            print(f"training time (last `familyhub train`, Rasa's cache allowed): {recorded} s")
    if not model.is_file():
        print(f"no trained model at {model}: run `familyhub train` first", file=sys.stderr)
        return 2
    texts = messages()
    if not texts:
        print("no held-out messages in tests/nlu_eval", file=sys.stderr)
        return 2
    warm = [texts[i % len(texts)] for i in range(WARM_UP)]
    results = parse(warm + texts, model)[WARM_UP:]
    latencies = [float(r["seconds"]) * 1000 for r in results]  # type: ignore[arg-type]
    print(
        f"parse latency over {len(latencies)} messages (model loaded once, after {WARM_UP} warm-up):"
    )
    print(f"  p50 {percentile(latencies, 0.50):.1f} ms   p95 {percentile(latencies, 0.95):.1f} ms   "
          f"mean {statistics.fmean(latencies):.1f} ms   max {max(latencies):.1f} ms")  # fmt: skip
    if keep is not None:
        keep.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
