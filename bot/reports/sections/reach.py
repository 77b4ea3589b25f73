"""Sections 1 and 2: who the assistant reached, and what they asked about."""

from __future__ import annotations

from collections import Counter

from bot.analytics import Event
from bot.reports import labels
from bot.reports.counts import FIELDS as F
from bot.reports.counts import Counts
from bot.reports.disclosure import share
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER
from bot.reports.population import Population
from bot.reports.sections.section import (
    ALL_LANGUAGES,
    LANGUAGE_COLUMNS,
    Section,
    language_count,
    week_label,
)
from bot.reports.tables import Table


def reach(counts: Counts, population: Population) -> Section:
    weeks = counts.period.weeks()
    by_language = Table(
        "reach-language",
        "New conversations per week, by language",
        "Week",
        LANGUAGE_COLUMNS,
        row_total=ALL_LANGUAGES,
        column_total="Whole period",
        chart="weeks",
    )
    by_channel = Table(
        "reach-channel",
        "New conversations per week, by channel",
        "Week",
        list(labels.CHANNEL_NAMES.values()),
        row_total="All channels",
        column_total="Whole period",
        chart="weeks",
    )
    for first, last in weeks:
        days = Counter[tuple[str, str]]()
        for (day, channel, language), count in counts.conversations_by_day.items():
            if first <= day <= last:
                days[(channel, language)] += count
        by_language.add(
            week_label(first, last),
            [sum(n for (_c, lang), n in days.items() if lang == code) for code in LANGUAGE_ORDER],
        )
        by_channel.add(
            week_label(first, last),
            [sum(n for (ch, _l), n in days.items() if ch == code) for code in labels.CHANNELS],
        )
    totals = counts.sum(Event.CONVERSATION, F.language)
    shares = Table(
        "reach-population",
        "Somali and Turkish conversations against the borough's population",
        "Language",
        ["New conversations"],
        column_total=ALL_LANGUAGES,
        texts=["Share of new conversations", "Share of the borough's population"],
        chart=None,
        note=f"Population figures: {population.source}"
        + (f" ({population.measure})" if population.measure else ""),
    )
    for code in LANGUAGE_ORDER:
        shares.add(LANGUAGE_NAMES[code], [language_count(totals, code)])
    protected = shares.protected()
    whole = protected.get(ALL_LANGUAGES, "New conversations")
    for r, code in enumerate(LANGUAGE_ORDER):
        part = protected.get(LANGUAGE_NAMES[code], "New conversations")
        assert part is not None and whole is not None
        known = population.shares.get(code)
        shares.text_cells[r] = [
            share(part, whole),
            f"{known:g}%" if known is not None else "not given",
        ]
    return Section(
        1,
        "reach",
        "Reach",
        "New conversations each week, by the parent's language and by channel, and the share "
        "in Somali and Turkish against the borough's population.",
        [by_language.protected(), by_channel.protected(), protected],
    )


def needs(counts: Counts) -> Section:
    found = counts.sum(Event.INTENT, lambda key: (F.detail(key), F.language(key)))
    table = Table(
        "needs",
        "What parents asked about, by language",
        "Asked about",
        LANGUAGE_COLUMNS,
        row_total=ALL_LANGUAGES,
        column_total="All needs",
    )
    rows = [
        (label, [int(found.get((intent, code), 0)) for code in LANGUAGE_ORDER])
        for intent, label in labels.NEEDS.items()
    ]
    for label, cells in sorted(rows, key=lambda row: -sum(row[1])):
        if sum(cells):
            table.add(label, cells)
    return Section(
        2,
        "needs",
        "Needs",
        "What parents asked about, as the assistant understood their words or buttons.",
        [table.protected()],
    )
