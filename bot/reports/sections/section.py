"""What every section is made of: a numbered list of protected tables, and the helpers
the sections share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from bot.analytics import Event
from bot.reports.counts import FIELDS as F
from bot.reports.counts import Counts
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER
from bot.reports.tables import Protected

ALL_LANGUAGES = "All languages"
LANGUAGE_COLUMNS = [LANGUAGE_NAMES[code] for code in LANGUAGE_ORDER]
# How many services a table lists by name; the rest are summed in one row.
MOST_LISTED = 15


@dataclass
class Section:
    number: int
    key: str
    title: str
    intro: str
    tables: list[Protected] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def language_count(found: Counter[str], code: str) -> int:
    """How many of `found` are in the language `code` (0 when none)."""
    return int(found.get(code, 0))


def week_label(first: date, last: date) -> str:
    if first == last:
        return f"{first.day} {first:%b}"
    return f"{first.day} {first:%b} to {last.day} {last:%b}"


def minutes_waited(counts: Counts, event: Event, **where: str) -> dict[str, Counter[str]]:
    """Buckets of minutes waited, by language and by organisation (and "" for all)."""
    found: dict[str, Counter[str]] = {}
    for key, count in counts.events(event):
        if any(getattr(F, name)(key) != value for name, value in where.items()):
            continue
        for group in ("", F.language(key), "org:" + F.organisation(key)):
            found.setdefault(group, Counter())[F.waited(key)] += count
    return found
