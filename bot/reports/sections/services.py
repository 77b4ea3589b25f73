"""Sections 3 and 4: the gaps in the directory and the NLU, and which services were shown."""

from __future__ import annotations

from collections import Counter

from bot.analytics import SAME_LANGUAGE, Event
from bot.directory import Directory
from bot.directory.schema import SERVICE_TEXT_FIELDS
from bot.reports import labels
from bot.reports.counts import FIELDS as F
from bot.reports.counts import Counts
from bot.reports.disclosure import share
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER, plain
from bot.reports.sections.section import (
    ALL_LANGUAGES,
    LANGUAGE_COLUMNS,
    MOST_LISTED,
    Section,
)
from bot.reports.tables import Table


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
