"""Sections 1 to 7 of a report as tables, built from one period's counts.

Section 8 (what changed) compares two periods' protected tables: bot.reports.changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.analytics import IN_DUTY, OUT_OF_DUTY, SAME_LANGUAGE, URGENT, Event
from bot.core import CRISIS_KINDS
from bot.directory import Directory
from bot.directory.schema import SERVICE_TEXT_FIELDS
from bot.reports import labels
from bot.reports.counts import FIELDS as F
from bot.reports.counts import Counts, Key
from bot.reports.disclosure import share
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER, plain
from bot.reports.population import Population
from bot.reports.tables import Protected, Table
from bot.reports.waits import median_and_p90

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


def _by_language(found: Counter[str], code: str) -> int:
    return int(found.get(code, 0))


def _week_label(first: date, last: date) -> str:
    if first == last:
        return f"{first.day} {first:%b}"
    return f"{first.day} {first:%b} to {last.day} {last:%b}"


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
            _week_label(first, last),
            [sum(n for (_c, lang), n in days.items() if lang == code) for code in LANGUAGE_ORDER],
        )
        by_channel.add(
            _week_label(first, last),
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
        shares.add(LANGUAGE_NAMES[code], [_by_language(totals, code)])
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


def _missing(directory: Directory | None, service_id: str) -> tuple[str, list[str], list[str]]:
    """A service's name and its text fields without Somali, and without Turkish."""
    service = directory.get(service_id) if directory is not None else None
    if service is None:
        return service_id, [], []
    texts = [(name, getattr(service, name)) for name in SERVICE_TEXT_FIELDS]
    present = [(name, text) for name, text in texts if text is not None]
    return (
        service.name.get("en"),
        [name.replace("_", " ") for name, text in present if not text.has("so")],
        [name.replace("_", " ") for name, text in present if not text.has("tr")],
    )


def gaps(counts: Counts, directory: Directory | None) -> Section:
    asked = counts.sum(Event.NO_SERVICE_IN_LANGUAGE, lambda key: (F.detail(key), F.language(key)))
    none_in_language = Table(
        "gaps-language",
        "Services asked for where none is in the parent's language",
        "Service type",
        LANGUAGE_COLUMNS,
        row_total=ALL_LANGUAGES,
        column_total="All service types",
        note="What a partner could start next: each is a search that found services, none in "
        "the parent's language.",
    )
    # Only the languages that met the gap: a language with every service (English) would
    # only add "fewer than 5" everywhere, and hide the others' counts with it.
    met = [code for code in LANGUAGE_ORDER if any(lang == code for _kind, lang in asked)]
    none_in_language.columns = [LANGUAGE_NAMES[code] for code in met]
    for kind in sorted({detail for detail, _language in asked}):
        none_in_language.add(
            plain(str(kind), labels.SERVICE_TYPES),
            [int(asked.get((kind, code), 0)) for code in met],
        )
    missed = counts.sum(Event.FALLBACK, lambda key: (F.detail(key), F.language(key)))
    understood = Table(
        "gaps-understood",
        "Messages the assistant did not understand, by language",
        "Language",
        ["First time", "Again, straight after"],
        row_total="Not understood",
        column_total=ALL_LANGUAGES,
        note="Counts only: what the NLU should learn next. The messages themselves are never kept "
        "for this.",
    )
    for code in LANGUAGE_ORDER:
        understood.add(
            LANGUAGE_NAMES[code],
            [int(missed.get(("first", code), 0)), int(missed.get(("again", code), 0))],
        )
    shown = counts.sum(Event.SERVICE_SHOWN, F.detail)
    entries = Table(
        "gaps-directory",
        "Directory entries without Somali or Turkish text, by how often they were shown",
        "Directory entry",
        ["Times shown"],
        column_total="All these entries",
        texts=["Fields without Somali", "Fields without Turkish"],
        note="Active services with a text field not translated; the most shown first.",
    )
    lacking = []
    services = directory.services if directory is not None else []
    for service in services:
        if not service.active:
            continue
        name, no_somali, no_turkish = _missing(directory, service.id)
        if no_somali or no_turkish:
            lacking.append((int(shown.get(service.id, 0)), name, no_somali, no_turkish))
    for times, name, no_somali, no_turkish in sorted(lacking, key=lambda e: (-e[0], e[1])):
        entries.add(name, [times], [", ".join(no_somali) or "-", ", ".join(no_turkish) or "-"])
    return Section(
        3,
        "gaps",
        "Gaps",
        "Where parents found nothing in their language, what the assistant did not understand, "
        "and which directory entries most need a Somali or Turkish text.",
        [none_in_language.protected(), understood.protected(), entries.protected()],
    )


def signposting(counts: Counts, directory: Directory | None) -> Section:
    shown = counts.sum(Event.SERVICE_SHOWN, lambda key: (F.detail(key), F.language(key)))
    per_service = Counter[str]()
    for (service_id, _language), count in shown.items():
        per_service[str(service_id)] += count
    services = Table(
        "signposting-services",
        "Services shown, by the parent's language",
        "Service",
        LANGUAGE_COLUMNS,
        row_total=ALL_LANGUAGES,
        column_total="All services shown",
    )
    listed = [service_id for service_id, _n in per_service.most_common(MOST_LISTED)]
    for service_id in listed:
        name = _missing(directory, service_id)[0]
        services.add(name, [int(shown.get((service_id, code), 0)) for code in LANGUAGE_ORDER])
    rest = [
        sum(
            int(count)
            for (service_id, language), count in shown.items()
            if language == code and service_id not in listed
        )
        for code in LANGUAGE_ORDER
    ]
    if sum(rest):
        services.add("Other services", rest)
    same = counts.sum(
        Event.SERVICE_SHOWN, lambda key: (F.flag(key) == SAME_LANGUAGE, F.language(key))
    )
    own = Table(
        "signposting-language",
        "Services shown in the parent's own language",
        "Language",
        ["In the parent's language", "In another language"],
        row_total="Services shown",
        column_total=ALL_LANGUAGES,
        texts=["Share in the parent's language"],
        chart=None,
    )
    for code in LANGUAGE_ORDER:
        own.add(
            LANGUAGE_NAMES[code], [int(same.get((True, code), 0)), int(same.get((False, code), 0))]
        )
    protected = own.protected()
    for r, row in enumerate(own.rows):
        part, whole = protected.get(row, own.columns[0]), protected.get(row, "Services shown")
        assert part is not None and whole is not None
        own.text_cells[r] = [share(part, whole)]
    return Section(
        4,
        "signposting",
        "Signposting",
        "Which services the assistant showed, how often, to parents of which language, and how "
        "many were in the parent's own language.",
        [services.protected(), protected],
    )


def _waits(counts: Counts, event: Event, **where: str) -> dict[str, Counter[str]]:
    """Buckets of minutes waited, by language and by organisation (and "" for all)."""
    found: dict[str, Counter[str]] = {}
    for key, count in counts.events(event):
        if any(getattr(F, name)(key) != value for name, value in where.items()):
            continue
        for group in ("", F.language(key), "org:" + F.organisation(key)):
            found.setdefault(group, Counter())[F.waited(key)] += count
    return found


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
        outcomes.add(LANGUAGE_NAMES[code], [_by_language(found, code) for found in sums])
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
    waits = _waits(counts, Event.HANDOFF_ACCEPTED)
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
            [_by_language(urgent_asked, code), _by_language(urgent_accepted, code)],
        )
    protected = urgent.protected()
    waits = _waits(counts, Event.HANDOFF_ACCEPTED, flag=URGENT)
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
