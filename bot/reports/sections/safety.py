"""Section 6: crisis responses, gentle checks and urgent requests for a person."""

from __future__ import annotations

from collections import Counter

from bot.analytics import URGENT, Event
from bot.core import CRISIS_KINDS
from bot.reports import labels
from bot.reports.counts import FIELDS as F
from bot.reports.counts import Counts
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER
from bot.reports.sections.section import (
    ALL_LANGUAGES,
    LANGUAGE_COLUMNS,
    Section,
    language_count,
    minutes_waited,
)
from bot.reports.tables import Table
from bot.reports.waits import median_and_p90


def safety(counts: Counts) -> Section:
    crises = counts.sum(Event.CRISIS, lambda key: (F.detail(key), F.language(key)))
    kinds = Table(
        "safety-crisis",
        "Crisis responses, by kind and language",
        "Kind",
        LANGUAGE_COLUMNS,
        row_total=ALL_LANGUAGES,
        column_total="All kinds",
    )
    others = [k for k in labels.OTHER_CRISES if any(detail == k for detail, _l in crises)]
    for kind in [*CRISIS_KINDS, *others]:
        name = labels.CRISIS_NAMES.get(kind) or labels.OTHER_CRISES[kind]
        kinds.add(name, [int(crises.get((kind, code), 0)) for code in LANGUAGE_ORDER])
    asked = counts.sum(Event.GENTLE_CHECK, lambda key: (F.detail(key), F.language(key)))
    checks = Table(
        "safety-checks",
        'Gentle checks ("are you safe right now?"), by language',
        "Asked about",
        LANGUAGE_COLUMNS,
        row_total=ALL_LANGUAGES,
        column_total="All checks",
    )
    for subject, label in (("self", "The parent"), ("other", "Someone they wrote about")):
        checks.add(label, [int(asked.get((subject, code), 0)) for code in LANGUAGE_ORDER])
    said = counts.sum(Event.CHECK_ANSWER, lambda key: (F.detail(key), F.language(key)))
    answers = Table(
        "safety-answers",
        "Answers to the gentle check, by language",
        "Answer",
        LANGUAGE_COLUMNS,
        row_total=ALL_LANGUAGES,
        column_total="All answers",
        chart=None,
        note='"Not safe" gets the crisis reply and an urgent alert to the mentors.',
    )
    for answer, label in (("safe", "Safe"), ("not_safe", "Not safe")):
        answers.add(label, [int(said.get((answer, code), 0)) for code in LANGUAGE_ORDER])
    urgent_asked = counts.sum(Event.HANDOFF_REQUESTED, F.language, flag=URGENT)
    urgent_accepted = counts.sum(Event.HANDOFF_ACCEPTED, F.language, flag=URGENT)
    urgent = Table(
        "safety-urgent",
        "Urgent requests for a person, and how long they waited",
        "Language",
        ["Urgent requests", "Accepted"],
        column_total=ALL_LANGUAGES,
        texts=["Median time to accept", "90th percentile"],
        chart=None,
    )
    for code in LANGUAGE_ORDER:
        urgent.add(
            LANGUAGE_NAMES[code],
            [language_count(urgent_asked, code), language_count(urgent_accepted, code)],
        )
    protected = urgent.protected()
    waits = minutes_waited(counts, Event.HANDOFF_ACCEPTED, flag=URGENT)
    for r, code in enumerate(LANGUAGE_ORDER):
        cell = protected.get(LANGUAGE_NAMES[code], "Accepted")
        urgent.text_cells[r] = median_and_p90(waits.get(code, Counter()), bool(cell and cell.shown))
    return Section(
        6,
        "safety",
        "Safety",
        "Crisis responses by kind, gentle checks and their answers, and urgent requests for a "
        "person with their time to accept.",
        [kinds.protected(), checks.protected(), answers.protected(), protected],
    )
