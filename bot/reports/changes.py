"""Section 8, what changed: this period against the last, with the largest changes in a
sentence each. Both numbers come from the periods' protected tables, and the difference
follows the same rule, so nothing hidden in either report shows here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reports.disclosure import Shown, Status, change
from bot.reports.labels import LANGUAGE_NAMES, LANGUAGE_ORDER
from bot.reports.sections import ALL_LANGUAGES, Section
from bot.reports.tables import Protected

# How many changes are called out in a sentence.
MOST_CALLED_OUT = 5
NOTHING = Shown(Status.SMALL, None)


@dataclass(frozen=True)
class Metric:
    label: str  # "Somali requests for a mentor"
    table: str
    row: str
    column: str


def metrics() -> list[Metric]:
    found = []
    for code in LANGUAGE_ORDER:
        name = LANGUAGE_NAMES[code]
        found += [
            Metric(f"{name} new conversations", "reach-population", name, "New conversations"),
            Metric(f"{name} requests for a mentor", "needs", "A maternity mentor", name),
            Metric(f"{name} requests for a person", "handoffs-duty", name, "Requests"),
            Metric(f"{name} messages not understood", "gaps-understood", name, "Not understood"),
            Metric(
                f"{name} searches with no service in {name}",
                "gaps-language",
                "All service types",
                name,
            ),
        ]
    found.append(Metric("Crisis responses", "safety-crisis", "All kinds", ALL_LANGUAGES))
    found.append(
        Metric("Urgent requests for a person", "safety-urgent", ALL_LANGUAGES, "Urgent requests")
    )
    return found


def _find(tables: dict[str, Protected], metric: Metric) -> Shown:
    table = tables.get(metric.table)
    found = table.get(metric.row, metric.column) if table is not None else None
    return found or NOTHING  # a row left out had nothing: fewer than 5


def _signed(shown: Shown) -> str:
    if not shown.shown or shown.value is None:
        return shown.text
    return f"{shown.value:+,}"


@dataclass(frozen=True)
class Change:
    label: str
    before: Shown
    after: Shown
    difference: Shown

    @property
    def sentence(self) -> str:
        assert self.before.value is not None and self.after.value is not None
        verb = "rose" if self.after.value > self.before.value else "fell"
        return f"{self.label} {verb} from {self.before.text} to {self.after.text}."


def compare(
    now: dict[str, Protected], before: dict[str, Protected], this_label: str, last_label: str
) -> tuple[Section, list[Change]]:
    changes = [
        Change(m.label, _find(before, m), _find(now, m), change(_find(before, m), _find(now, m)))
        for m in metrics()
    ]
    called = sorted(
        (c for c in changes if c.difference.shown and c.difference.value),
        key=lambda c: -abs(c.difference.value or 0),
    )[:MOST_CALLED_OUT]
    sentences = [c.sentence for c in called] or [
        "No change was large enough to report without giving small numbers away."
    ]
    section = Section(
        8,
        "changes",
        "What changed",
        f"{this_label} against {last_label}. A number hidden in either report stays hidden "
        'here, and a change of fewer than 5 shows as "fewer than 5".',
        sentences=sentences,
    )
    section.notes = [this_label, last_label]
    return section, changes


def change_rows(changes: list[Change]) -> list[list[str]]:
    return [[c.label, c.before.text, c.after.text, _signed(c.difference)] for c in changes]
