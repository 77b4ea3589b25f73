"""The learned detector: trained from examples, saved as plain arrays, scored without sklearn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.safety import detector
from bot.safety.examples import Example
from bot.safety.learn import fingerprint, fit

CRISIS = {
    "suicide_self_harm": ["i want to end my life", "i wish i was dead", "i took all my pills"],
    "harm_to_baby": [
        "i am scared i will hurt my baby",
        "i shook the baby hard",
        "i want to hurt him",
    ],
    "domestic_abuse": ["my husband hits me", "he choked me last night", "he said he will kill me"],
}
EVERYDAY = [
    "where is the baby group",
    "how do i cut my baby's nails",
    "this heat is killing me",
    "can i take paracetamol when breastfeeding",
    "my husband helps with the baby at night",
    "when does the hub open",
]


def examples() -> list[Example]:
    found = [
        Example(text, "en", True, kind, "other" if "husband" in text else "self")
        for kind, texts in CRISIS.items()
        for text in texts
    ]
    return found + [Example(text, "en") for text in EVERYDAY]


@pytest.fixture(scope="module")
def trained() -> detector.Detector:
    return fit(examples())


def test_it_learns_crisis_from_everyday(trained: detector.Detector) -> None:
    assert trained.score("i want to end my life").crisis > 0.5
    assert trained.score("where is the baby group").crisis < 0.5
    assert trained.score("my husband hits me").kind == "domestic_abuse"


def test_saved_and_loaded_it_scores_the_same(trained: detector.Detector, tmp_path: Path) -> None:
    trained.save(tmp_path)
    loaded = detector.load(tmp_path)
    assert loaded is not None and loaded.fingerprint == trained.fingerprint
    for text in ["i shook the baby hard", "he choked me", "hello", ""]:
        assert loaded.score(text) == trained.score(text)


def test_training_is_deterministic() -> None:
    assert fit(examples()).score("he said he will kill me") == fit(examples()).score(
        "he said he will kill me"
    )


def test_the_fingerprint_follows_the_examples() -> None:
    changed = [*examples(), Example("another everyday message", "en")]
    assert fingerprint(examples()) == fingerprint(examples()) != fingerprint(changed)


def test_no_file_or_an_old_format_loads_as_none(tmp_path: Path) -> None:
    assert detector.load(tmp_path) is None
    (tmp_path / detector.FILE_NAME).write_bytes(b"not an npz file at all")
    with pytest.raises(Exception):  # noqa: B017 (a broken file must not pass silently)
        detector.load(tmp_path)


def test_training_needs_both_sides() -> None:
    with pytest.raises(ValueError, match="both crisis and everyday"):
        fit([Example(text, "en") for text in EVERYDAY])


def test_a_long_message_is_scored_by_its_worst_window(trained: detector.Detector) -> None:
    filler = "we went to the baby group and it was lovely " * 40
    alone = trained.score("i want to end my life").crisis
    buried = trained.score(filler + "i want to end my life " + filler).crisis
    assert buried > 0.5 and abs(buried - alone) < 0.35
    assert len(detector.windows(detector.prepared(filler * 3))) > 10


def test_windows_cover_every_word_with_bounded_length() -> None:
    words = [f"w{i}" for i in range(1000)]
    found = detector.windows(" ".join(words))
    assert all(len(w.split()) <= detector.WINDOW_WORDS for w in found)
    assert {word for w in found for word in w.split()} == set(words)


def test_scoring_does_not_import_scikit_learn(tmp_path: Path, trained: detector.Detector) -> None:
    trained.save(tmp_path)
    code = (
        "import sys; from pathlib import Path; from bot.safety import detector; "
        f"detector.load(Path({str(tmp_path)!r})).score('hello'); "
        "sys.exit(1 if 'sklearn' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
