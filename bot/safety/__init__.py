"""The safety net: crisis phrase lists (a clinician can read them) and a learned detector.

`screen(text)` is the phrase screen alone; `safety_net(model_dir)` builds both layers, and its
`assess(text)` is what the gateway does with every parent message (see assessment.py).
"""

from bot.safety.assessment import CLEAR, Assessment, Level, SafetyNet, Thresholds, safety_net
from bot.safety.lists import CRISIS_KINDS
from bot.safety.screen import CrisisMatch, Screen, screen

__all__ = [
    "CLEAR",
    "CRISIS_KINDS",
    "Assessment",
    "CrisisMatch",
    "Level",
    "SafetyNet",
    "Screen",
    "Thresholds",
    "safety_net",
    "screen",
]
