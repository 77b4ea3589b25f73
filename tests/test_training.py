"""`familyhub train` skips training when nothing it depends on changed (no real training here)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from bot import training


class FakeRasa:
    """Stands in for `rasa train`: records each call and writes a model file."""

    def __init__(self, code: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.code = code

    def __call__(self, command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> int:
        self.calls.append(list(command))
        self.env = dict(env)
        self.cwd = cwd
        if self.code == 0:
            out = Path(command[command.index("--out") + 1])
            (out / "familyhub.tar.gz").write_bytes(b"model")
        return self.code


@pytest.fixture
def project(tmp_path: Path) -> Path:
    bot = tmp_path / "bot"
    (bot / "domain").mkdir(parents=True)
    (bot / "data" / "nlu" / "en").mkdir(parents=True)
    (bot / "config.yml").write_text("recipe: default.v1\n")
    (bot / "domain" / "intents.yml").write_text("intents: [greet]\n")
    (bot / "data" / "nlu" / "en" / "smalltalk.yml").write_text("nlu: []\n")
    (bot / "data" / "notes.txt").write_text("not an input")
    return bot


def train(project: Path, rasa: FakeRasa, force: bool = False) -> training.TrainingResult:
    return training.train_model(
        force,
        runner=rasa,
        bot_dir=project,
        model_dir=project / "models",
        lock_path=project.parent / "train.lock",
        echo=lambda _line: None,
    )


def test_trains_the_first_time_then_skips(project: Path) -> None:
    rasa = FakeRasa()
    first = train(project, rasa)
    second = train(project, rasa)
    assert first.trained and not second.trained
    assert len(rasa.calls) == 1
    assert rasa.cwd == project
    assert rasa.calls[0][1:2] == ["train"]
    assert rasa.env["TF_DETERMINISTIC_OPS"] == "1" and rasa.env["PYTHONHASHSEED"] == "0"
    assert "--fixed-model-name" in rasa.calls[0] and "--force" not in rasa.calls[0]
    assert training.read_record(project / "models")["fingerprint"] == first.fingerprint


@pytest.mark.parametrize(
    "change",
    [
        lambda bot: (bot / "config.yml").write_text("recipe: default.v1\n# tuned\n"),
        lambda bot: (bot / "domain" / "intents.yml").write_text("intents: [greet, bye]\n"),
        lambda bot: (bot / "data" / "nlu" / "en" / "new.yml").write_text("nlu: []\n"),
        lambda bot: (bot / "data" / "nlu" / "en" / "smalltalk.yml").rename(
            bot / "data" / "nlu" / "en" / "moved.yml"
        ),
    ],
)
def test_retrains_after_a_change(project: Path, change) -> None:
    rasa = FakeRasa()
    train(project, rasa)
    change(project)
    assert train(project, rasa).trained
    assert len(rasa.calls) == 2


def test_files_that_are_not_inputs_do_not_matter(project: Path) -> None:
    rasa = FakeRasa()
    train(project, rasa)
    (project / "data" / "notes.txt").write_text("edited")
    (project / "models" / "other.txt").write_text("x")
    assert not train(project, rasa).trained


def test_retrains_when_the_model_is_gone(project: Path) -> None:
    rasa = FakeRasa()
    train(project, rasa)
    (project / "models" / "familyhub.tar.gz").unlink()
    assert train(project, rasa).trained


def test_force_always_trains(project: Path) -> None:
    rasa = FakeRasa()
    train(project, rasa)
    assert train(project, rasa, force=True).trained
    assert rasa.calls[-1][-1] == "--force"


def test_a_failed_training_is_not_recorded(project: Path) -> None:
    with pytest.raises(training.TrainingError):
        train(project, FakeRasa(code=1))
    assert training.read_record(project / "models") == {}
    rasa = FakeRasa()
    assert train(project, rasa).trained


def test_rasa_gets_defaults_for_the_endpoint_variables(project: Path) -> None:
    rasa = FakeRasa()
    train(project, rasa)
    for name in ("ACTION_ENDPOINT_URL", "NLG_URL", "RASA_TRACKER_URL"):
        assert rasa.env[name]


def test_rasa_env_keeps_values_already_set() -> None:
    env = training.rasa_env({"NLG_URL": "http://gateway/nlg"})
    assert env["NLG_URL"] == "http://gateway/nlg"
    assert env["ACTION_ENDPOINT_URL"].startswith("http://127.0.0.1")


def test_the_real_inputs_include_config_domain_and_data() -> None:
    files = [Path(os.path.relpath(p, training.BOT_DIR)).as_posix() for p in training.input_files()]
    assert "config.yml" in files and "../requirements/rasa.txt" in files
    assert any(f.startswith("domain/") for f in files)
    assert any(f.startswith("data/nlu/") for f in files)
    assert not any(f.startswith("tests/") or f.startswith("models/") for f in files)


def test_a_new_rasa_version_retrains(project: Path) -> None:
    pins = project.parent / "requirements" / "rasa.txt"
    pins.parent.mkdir()
    pins.write_text("rasa==3.6.20\n")
    rasa = FakeRasa()
    train(project, rasa)
    pins.write_text("rasa==3.6.21\n")
    assert train(project, rasa).trained
    assert len(rasa.calls) == 2
