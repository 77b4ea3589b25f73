"""Section 5: requests for a person, what became of them and how long they waited."""

from __future__ import annotations

from collections import Counter

from bot.analytics import IN_DUTY, OUT_OF_DUTY, Event
from bot.reports.counts import FIELDS as F
from bot.reports.counts import Counts
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER
from bot.reports.sections.section import (
    ALL_LANGUAGES,
    Section,
    language_count,
    minutes_waited,
)
from bot.reports.tables import Table
from bot.reports.waits import median_and_p90


def handoffs(counts: Counts) -> Section:
    requested = counts.sum(Event.HANDOFF_REQUESTED, lambda key: (F.duty(key), F.language(key)))
    duty = Table(
        "handoffs-duty",
        "Requests for a person, in and out of duty hours, by language",
        "Language",
        ["In duty hours", "Out of duty hours"],
        row_total="Requests",
        column_total=ALL_LANGUAGES,
        chart=None,
    )
    for code in LANGUAGE_ORDER:
        duty.add(
            LANGUAGE_NAMES[code],
            [int(requested.get((IN_DUTY, code), 0)), int(requested.get((OUT_OF_DUTY, code), 0))],
        )
    outcomes = Table(
        "handoffs-outcomes",
        "What became of the requests, by language",
        "Language",
        ["Accepted", "Cancelled by the parent", "Abandoned", "Escalated"],
        column_total=ALL_LANGUAGES,
        note="Abandoned: closed before any mentor accepted, not by the parent's own cancel "
        "(the parent deleted their data). Escalated: nobody accepted in time, so more mentors "
        "were alerted.",
    )
    events = (
        Event.HANDOFF_ACCEPTED,
        Event.HANDOFF_CANCELLED,
        Event.HANDOFF_ABANDONED,
        Event.HANDOFF_ESCALATED,
    )
    sums = [counts.sum(event, F.language) for event in events]
    for code in LANGUAGE_ORDER:
        outcomes.add(LANGUAGE_NAMES[code], [language_count(found, code) for found in sums])
    accepted = counts.sum(Event.HANDOFF_ACCEPTED, lambda key: (F.organisation(key), F.duty(key)))
    organisations = Table(
        "handoffs-organisations",
        "Requests accepted, by the mentor's organisation, in and out of duty hours",
        "Organisation",
        ["In duty hours", "Out of duty hours"],
        row_total="Accepted",
        column_total="All organisations",
        chart=None,
    )
    for organisation in sorted({str(org) for org, _duty in accepted}):
        organisations.add(
            organisation or "Not recorded",
            [
                int(accepted.get((organisation, IN_DUTY), 0)),
                int(accepted.get((organisation, OUT_OF_DUTY), 0)),
            ],
        )
    shown_outcomes, shown_organisations = outcomes.protected(), organisations.protected()
    waits = minutes_waited(counts, Event.HANDOFF_ACCEPTED)
    times = Table(
        "handoffs-time",
        "Time from request to a mentor accepting",
        "Requests",
        [],
        texts=["Median", "90th percentile"],
        chart=None,
        note="From the minutes waited, kept in bands (under 1, 1 to 2, 2 to 5 minutes …): each "
        "figure is the band it falls in.",
    )
    overall = shown_outcomes.get(ALL_LANGUAGES, "Accepted")
    times.add(
        "All requests",
        [],
        median_and_p90(waits.get("", Counter()), bool(overall and overall.shown)),
    )
    for code in LANGUAGE_ORDER:
        cell = shown_outcomes.get(LANGUAGE_NAMES[code], "Accepted")
        times.add(
            f"In {LANGUAGE_NAMES[code]}",
            [],
            median_and_p90(waits.get(code, Counter()), bool(cell and cell.shown)),
        )
    for row in organisations.rows:
        organisation = "" if row == "Not recorded" else row
        cell = shown_organisations.get(row, "Accepted")
        times.add(
            f"By {row}",
            [],
            median_and_p90(waits.get("org:" + organisation, Counter()), bool(cell and cell.shown)),
        )
    return Section(
        5,
        "handoffs",
        "Handoffs to a person",
        "Requests for a person by the parent's language and the mentor's organisation: what "
        "became of them, how long they waited, in and out of duty hours.",
        [duty.protected(), shown_outcomes, shown_organisations, times.protected()],
    )
