"""Sections 1 to 7 of a report as tables, built from one period's counts, one module per
section or pair of sections.

Section 8 (what changed) compares two periods' protected tables: bot.reports.changes.
"""

from bot.reports.sections.feedback import feedback
from bot.reports.sections.handoffs import handoffs
from bot.reports.sections.reach import needs, reach
from bot.reports.sections.safety import safety
from bot.reports.sections.section import ALL_LANGUAGES, Section
from bot.reports.sections.services import gaps, signposting

__all__ = [
    "ALL_LANGUAGES",
    "Section",
    "feedback",
    "gaps",
    "handoffs",
    "needs",
    "reach",
    "safety",
    "signposting",
]
