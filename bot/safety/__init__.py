"""Crisis safety screen: deterministic phrase matching in English, Somali and Turkish."""

from bot.safety.lists import CRISIS_KINDS
from bot.safety.screen import CrisisMatch, Screen, screen

__all__ = ["CRISIS_KINDS", "CrisisMatch", "Screen", "screen"]
