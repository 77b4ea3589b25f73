"""Section 7: the one-tap answer parents gave after a conversation with a mentor."""

from __future__ import annotations

from collections.abc import Callable

from bot.analytics import Event
from bot.reports import labels
from bot.reports.counts import FIELDS as F
from bot.reports.counts import Counts, Key
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER
from bot.reports.sections.section import (
    Section,
)
from bot.reports.tables import Table


def _pair(by: Callable[[Key], str]) -> Callable[[Key], tuple[str, str]]:
    return lambda key: (by(key), F.detail(key))


def feedback(counts: Counts) -> Section:
    tables = []
    for key, header, by, rows in (
        ("feedback-organisation", "Organisation", F.organisation, None),
        ("feedback-language", "Language", F.language, LANGUAGE_ORDER),
    ):
        found = counts.sum(Event.FEEDBACK, _pair(by))
        table = Table(
            key,
            f"Feedback after a conversation with a mentor, by {header.lower()}",
            header,
            list(labels.FEEDBACK.values()),
            row_total="All answers",
            column_total=f"All {'organisations' if rows is None else 'languages'}",
            chart="bars" if rows is None else None,
        )
        for row in rows or sorted({str(group) for group, _score in found}):
            name = LANGUAGE_NAMES.get(row, row) if rows else (row or "Not recorded")
            table.add(name, [int(found.get((row, score), 0)) for score in labels.FEEDBACK])
        tables.append(table.protected())
    return Section(
        7,
        "feedback",
        "Feedback",
        "The one-tap answer parents gave after a conversation with a mentor.",
        tables,
    )
