"""The safety net: the phrase screen and the learned detector, read together.

- A listed phrase, or the detector at high confidence: the crisis reply and an urgent alert.
- The detector unsure: the gentle check ("are you safe right now?").
- The assistant's own crisis intent may also ask the gentle check, but only on a message the
  detector does not call clearly everyday (`nlu_may_check`): on its own, the intent caught too
  many ordinary questions ("how do I cut my baby's nails").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from bot.safety.detector import Detector, Score, load
from bot.safety.screen import CrisisMatch, Screen, phrase_screen

log = logging.getLogger(__name__)

THRESHOLDS_PATH = Path(__file__).with_name("thresholds.yml")


class Level(StrEnum):
    """What the safety net asks the gateway to do with a message."""

    CRISIS = "crisis"  # the crisis reply and an urgent alert
    CHECK = "check"  # the gentle check
    CLEAR = "clear"  # nothing: the message goes on as usual


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on the detector's crisis score (and on its "someone else" score)."""

    crisis: float
    check: float
    nlu_check: float
    other: float

    @classmethod
    def read(cls, path: Path = THRESHOLDS_PATH) -> Thresholds:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = cls(
            **{name: float(data[name]) for name in ("crisis", "check", "nlu_check", "other")}
        )
        if not 0 <= found.nlu_check <= found.check <= found.crisis <= 1:
            raise ValueError(f"{path}: needs 0 <= nlu_check <= check <= crisis <= 1")
        return found


@dataclass(frozen=True)
class Assessment:
    """The safety net's verdict on one message."""

    level: Level
    kind: str | None = None
    subject: str = "self"  # "other": the writer describes someone else in danger
    phrase: str | None = None  # the listed phrase, when a list matched
    language: str | None = None  # the language of that list
    score: float = 0.0  # the detector's crisis score
    nlu_may_check: bool = True  # whether the assistant's crisis intent may ask the gentle check

    @property
    def crisis(self) -> bool:
        return self.level is Level.CRISIS

    def after_intent(self, intent: str | None) -> Level:
        """The level once the assistant's intent is known: its crisis intent may ask gently."""
        if self.level is Level.CLEAR and intent == "crisis" and self.nlu_may_check:
            return Level.CHECK
        return self.level


CLEAR = Assessment(Level.CLEAR)


class SafetyNet:
    """Both detectors; `detector` None means the phrase screen alone."""

    def __init__(
        self, screen: Screen, detector: Detector | None, thresholds: Thresholds | None = None
    ) -> None:
        self.screen = screen
        self.detector = detector
        self.thresholds = thresholds or Thresholds.read()

    def assess(self, text: str) -> Assessment:
        match = self.screen(text)
        score = self.detector.score(text) if self.detector else None
        return self.combine(match, score)

    def combine(self, match: CrisisMatch | None, score: Score | None) -> Assessment:
        """The verdict from a phrase match and a detector score (either may be missing)."""
        limits = self.thresholds
        crisis = score.crisis if score else 0.0
        subject = "other" if score and score.other >= limits.other else "self"
        if match is not None:
            return Assessment(
                Level.CRISIS, match.kind, subject, match.phrase, match.language, crisis
            )
        if score is None:
            return CLEAR
        if crisis >= limits.crisis:
            return Assessment(Level.CRISIS, score.kind, subject, score=crisis)
        if crisis >= limits.check:
            return Assessment(Level.CHECK, score.kind, subject, score=crisis)
        return Assessment(
            Level.CLEAR, subject=subject, score=crisis, nlu_may_check=crisis >= limits.nlu_check
        )


def safety_net(model_dir: Path | None) -> SafetyNet:
    """The phrase lists, and the learned detector trained into `model_dir` (`familyhub train`).

    Without a trained detector the lists screen alone, and the error says how to train one: a
    missing model must not stop the crisis screen.
    """
    detector = load(model_dir) if model_dir is not None else None
    if model_dir is not None and detector is None:
        log.error("no learned crisis detector in %s: run `familyhub train`", model_dir)
    return SafetyNet(phrase_screen(), detector)


__all__ = ["CLEAR", "Assessment", "Level", "SafetyNet", "Thresholds", "safety_net"]
