"""The safety net reads the lists and the learned detector together."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety.assessment import Level, SafetyNet, Thresholds
from bot.safety.detector import Score
from bot.safety.screen import CrisisMatch

LIMITS = Thresholds(crisis=0.9, check=0.6, nlu_check=0.2, other=0.5)
LIST_MATCH = CrisisMatch("domestic_abuse", "(he|husband) .. hit* me", "en")


class FixedScreen:
    def __init__(self, match: CrisisMatch | None) -> None:
        self.match = match

    def __call__(self, text: str) -> CrisisMatch | None:
        return self.match


class FixedDetector:
    def __init__(self, score: Score) -> None:
        self.fixed = score

    def score(self, text: str) -> Score:
        return self.fixed


def net(match: CrisisMatch | None, score: Score | None) -> SafetyNet:
    detector = FixedDetector(score) if score else None
    return SafetyNet(FixedScreen(match), detector, LIMITS)  # type: ignore[arg-type]


def test_a_listed_phrase_is_a_crisis_whatever_the_detector_says() -> None:
    found = net(LIST_MATCH, Score(0.01, "harm_to_baby", 0.9)).assess("x")
    assert (found.level, found.kind, found.phrase, found.subject) == (
        Level.CRISIS,
        "domestic_abuse",
        LIST_MATCH.phrase,
        "other",
    )


@pytest.mark.parametrize(
    ("crisis", "level", "nlu_may_check"),
    [
        (0.95, Level.CRISIS, True),
        (0.9, Level.CRISIS, True),
        (0.7, Level.CHECK, True),
        (0.6, Level.CHECK, True),
        (0.3, Level.CLEAR, True),
        (0.1, Level.CLEAR, False),
    ],
)
def test_the_detectors_score_sets_the_level(
    crisis: float, level: Level, nlu_may_check: bool
) -> None:
    found = net(None, Score(crisis, "postpartum_psychosis", 0.1)).assess("x")
    assert found.level is level and found.nlu_may_check is nlu_may_check
    assert found.kind == ("postpartum_psychosis" if level is not Level.CLEAR else None)


def test_the_nlus_crisis_intent_asks_gently_only_above_the_floor() -> None:
    unsure = net(None, Score(0.3, "suicide_self_harm", 0.1)).assess("x")
    everyday = net(None, Score(0.05, "suicide_self_harm", 0.1)).assess("x")
    assert unsure.after_intent("crisis") is Level.CHECK
    assert everyday.after_intent("crisis") is Level.CLEAR
    assert unsure.after_intent("greet") is Level.CLEAR
    assert net(LIST_MATCH, None).assess("x").after_intent("greet") is Level.CRISIS


def test_without_a_detector_the_lists_alone_decide() -> None:
    assert net(None, None).assess("x").level is Level.CLEAR
    assert net(LIST_MATCH, None).assess("x").level is Level.CRISIS


def test_the_thresholds_file_is_read_and_checked(tmp_path: Path) -> None:
    assert Thresholds.read().check <= Thresholds.read().crisis
    path = tmp_path / "thresholds.yml"
    path.write_text("crisis: 0.5\ncheck: 0.8\nnlu_check: 0.1\nother: 0.5\n")
    with pytest.raises(ValueError, match="nlu_check <= check <= crisis"):
        Thresholds.read(path)
