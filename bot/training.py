"""Training the Rasa model with `.venv-rasa`, only when its config, domain or training data changed."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.core import LANGUAGES
from bot.safety import detector as safety_detector
from bot.safety.examples import TRAINING_DIR, Example, examples
from bot.safety.learn import fingerprint as examples_fingerprint
from bot.safety.learn import fit
from bot.settings import BOT_DIR, PROJECT_ROOT

log = logging.getLogger(__name__)

MODEL_NAME = "familyhub"
RECORD_NAME = "training.json"
LOCK_PATH = Path("/tmp/rasa-train.lock")
RASA = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"

# Rasa expands every ${...} in endpoints.yml when it reads it and fails on an unset one; these
# defaults keep commands that do not talk to the servers working. `familyhub run` sets real values.
RASA_ENV_DEFAULTS = {
    "ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
    "NLG_URL": "http://127.0.0.1:8000/nlg",
    "RASA_TRACKER_URL": f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa_tracker.db'}",
    "RASA_TELEMETRY_ENABLED": "false",
}

# With DIET's random_seed, these make two trainings from scratch give the same predictions
# (checked: identical intents and confidences on every held-out message, tests/nlu_eval).
DETERMINISM = {"TF_DETERMINISTIC_OPS": "1", "PYTHONHASHSEED": "0"}

Runner = Callable[[Sequence[str], Path, Mapping[str, str]], int]


# [text](entity), [text]{"entity": …}, and [text](entity:value) annotations keep only the text.
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def plain_text(example: str) -> str:
    """An NLU example without its entity annotations."""
    return _ANNOTATION.sub(r"\1", example)


def read_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example as written) for every intent example in a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: list[tuple[str, str]] = []
    for block in data.get("nlu") or []:
        if not isinstance(block, dict) or "intent" not in block:
            continue
        examples = block.get("examples") or ""
        for line in str(examples).splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((str(block["intent"]), line[2:].strip()))
    return found


@dataclass(frozen=True)
class TrainingResult:
    """What `train_model` did: trained or skipped, the model file and the inputs' fingerprint."""

    trained: bool
    model: Path
    fingerprint: str
    seconds: float | None = None


class TrainingError(RuntimeError):
    """Rasa training failed."""


def input_files(bot_dir: Path = BOT_DIR) -> list[Path]:
    """Every file the model depends on: config.yml, domain, training data and Rasa's pinned versions."""
    files = [bot_dir / "config.yml", bot_dir.parent / "requirements" / "rasa.txt"]
    for folder in ("domain", "data"):
        files.extend(p for p in (bot_dir / folder).rglob("*") if p.suffix in (".yml", ".yaml"))
    single = bot_dir / "domain.yml"
    if single.is_file():
        files.append(single)
    return sorted(p for p in files if p.is_file())


def fingerprint(files: Sequence[Path], root: Path = BOT_DIR) -> str:
    """sha256 over each file's path (relative to root) and bytes: a rename or an edit changes it."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(Path(os.path.relpath(path, root)).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def model_file(model_dir: Path) -> Path:
    """The trained model (Rasa's --fixed-model-name)."""
    return model_dir / f"{MODEL_NAME}.tar.gz"


def read_record(model_dir: Path) -> dict[str, object]:
    """The last successful training's record (fingerprint, seconds, finish time), or {}."""
    try:
        data = json.loads((model_dir / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_current(model_dir: Path, digest: str) -> bool:
    """Whether a model exists that was trained from exactly these inputs."""
    return model_file(model_dir).is_file() and read_record(model_dir).get("fingerprint") == digest


def rasa_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a Rasa command: ours, with the endpoints.yml defaults filled in."""
    env = dict(os.environ if base is None else base)
    for key, value in RASA_ENV_DEFAULTS.items():
        env.setdefault(key, value)
    return env


def run_streaming(command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> int:
    """Run a command with its output going straight to ours, so training progress shows."""
    return subprocess.run(list(command), cwd=cwd, env=dict(env), check=False).returncode


@contextmanager
def training_lock(path: Path = LOCK_PATH) -> Iterator[None]:
    """One Rasa training at a time on this machine (the same lock as `flock /tmp/rasa-train.lock`)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def train_command(model_dir: Path, force: bool, rasa: Path = RASA) -> list[str]:
    """The `rasa train` command line, run in bot/."""
    command = [
        str(rasa), "train",
        "--domain", "domain", "--data", "data", "--config", "config.yml",
        "--fixed-model-name", MODEL_NAME, "--out", str(model_dir),
    ]  # fmt: skip
    return [*command, "--force"] if force else command


def train_model(
    force: bool = False,
    *,
    model_dir: Path,
    runner: Runner = run_streaming,
    bot_dir: Path = BOT_DIR,
    lock_path: Path = LOCK_PATH,
    echo: Callable[[str], None] = print,
) -> TrainingResult:
    """Train into the model directory unless a model from the same inputs is already there."""
    with training_lock(lock_path):
        # Fingerprint inside the lock: another process may have just trained these same inputs.
        digest = fingerprint(input_files(bot_dir), bot_dir)
        if not force and is_current(model_dir, digest):
            echo(f"Model is up to date ({model_file(model_dir)}); nothing to train.")
            return TrainingResult(False, model_file(model_dir), digest)
        model_dir.mkdir(parents=True, exist_ok=True)
        echo("Training the Rasa model (config, domain or data changed)…")
        started = time.monotonic()
        code = runner(train_command(model_dir, force), bot_dir, {**rasa_env(), **DETERMINISM})
        seconds = time.monotonic() - started
        if code != 0 or not model_file(model_dir).is_file():
            raise TrainingError(f"rasa train failed with exit code {code}")
        record = {
            "fingerprint": digest,
            "seconds": round(seconds, 1),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "model": model_file(model_dir).name,
        }
        (model_dir / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        echo(f"Trained {model_file(model_dir)} in {seconds:.0f} s.")
        return TrainingResult(True, model_file(model_dir), digest, seconds)


def nlu_examples(bot_dir: Path = BOT_DIR) -> list[Example]:
    """The NLU training data as detector examples: the crisis intent is a crisis (kind unknown)."""
    found = []
    for language in LANGUAGES:
        for path in sorted((bot_dir / "data" / "nlu" / language).glob("*.yml")):
            for intent, text in read_examples(path):
                found.append(Example(plain_text(text), language, crisis=intent == "crisis"))
    return found


def detector_examples(bot_dir: Path = BOT_DIR) -> list[Example]:
    """What the learned crisis detector learns from: its own examples and the NLU data."""
    own = [e for language in LANGUAGES for e in examples(TRAINING_DIR, language)]
    return own + nlu_examples(bot_dir)


def train_detector(
    model_dir: Path, *, force: bool = False, echo: Callable[[str], None] = print
) -> safety_detector.Detector:
    """Train the learned crisis detector unless one from the same examples is already saved."""
    found = detector_examples()
    saved = safety_detector.load(model_dir)
    if not force and saved is not None and saved.fingerprint == examples_fingerprint(found):
        echo("Crisis detector is up to date; nothing to train.")
        return saved
    started = time.monotonic()
    trained = fit(found)
    trained.save(model_dir)
    echo(
        f"Trained the crisis detector on {len(found)} examples in {time.monotonic() - started:.0f} s."
    )
    return trained
