"""Disclosure control: every count under 5 shows as "fewer than 5", and further counts are
withheld where a total would otherwise give a small one away (secondary suppression).

This follows NHS and ONS practice for small numbers. A table is protected as a whole: its
cells, its row and column totals and its grand total, so that no hidden count can be worked
out from what is shown. Charts and exports are drawn from the protected table, never from the
raw counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SMALLEST_SHOWN = 5
FEWER_THAN_5 = "fewer than 5"
WITHHELD = "withheld"
NOTE = (
    'Counts under 5 show as "fewer than 5". Where a total would let one be worked out, '
    'another count is "withheld" too.'
)


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # under 5: primary suppression
    WITHHELD = "withheld"  # secondary suppression


@dataclass(frozen=True, slots=True)
class Shown:
    """A protected count: its value only when it may be shown."""

    status: Status
    value: int | None

    @property
    def text(self) -> str:
        if self.status is Status.SMALL:
            return FEWER_THAN_5
        if self.status is Status.WITHHELD:
            return WITHHELD
        return f"{self.value:,}"

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN


def shown(value: int, status: Status) -> Shown:
    return Shown(status, value if status is Status.SHOWN else None)


def single(value: int) -> Shown:
    """A count that stands alone (no total to protect it against)."""
    return shown(value, Status.SMALL if value < SMALLEST_SHOWN else Status.SHOWN)


def protect(
    cells: list[list[int]], *, row_totals: bool, column_totals: bool
) -> tuple[list[list[Status]], list[Status], list[Status], Status]:
    """Statuses of the cells, the row totals, the column totals and the grand total.

    Primary: every count under 5, totals too. Secondary: while any line (a row with its
    total, a column with its total, the totals with the grand total) has exactly one hidden
    count, which the rest of the line would give away, the smallest count shown in that line
    is withheld too (a total only when no cell is left).
    """
    rows = len(cells)
    columns = len(cells[0]) if cells else 0
    # The grid with its totals: row totals in column `columns`, column totals in row `rows`.
    grid: dict[tuple[int, int], int] = {
        (r, c): cells[r][c] for r in range(rows) for c in range(columns)
    }
    for r in range(rows):
        grid[(r, columns)] = sum(cells[r])
    for c in range(columns + 1):
        grid[(rows, c)] = sum(grid[(r, c)] for r in range(rows))
    used = {
        (r, c) for (r, c) in grid if (r < rows or column_totals) and (c < columns or row_totals)
    }
    hidden = {key for key in used if grid[key] < SMALLEST_SHOWN}
    small = set(hidden)
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if row_totals:
        for r in range(rows + (1 if column_totals else 0)):
            lines.append(([(r, c) for c in range(columns)], (r, columns)))
    if column_totals:
        for c in range(columns + (1 if row_totals else 0)):
            lines.append(([(r, c) for r in range(rows)], (rows, c)))
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            line = [*members, total]
            if sum(key in hidden for key in line) != 1:
                continue
            candidates = [key for key in members if key not in hidden] or [total]
            choice = min(candidates, key=lambda key: (grid[key], key))
            hidden.add(choice)
            changed = True

    def status(key: tuple[int, int]) -> Status:
        if key in small:
            return Status.SMALL
        return Status.WITHHELD if key in hidden else Status.SHOWN

    return (
        [[status((r, c)) for c in range(columns)] for r in range(rows)],
        [status((r, columns)) for r in range(rows)],
        [status((rows, c)) for c in range(columns)],
        status((rows, columns)),
    )


def share(part: Shown, whole: Shown, complement: int | None = None) -> str:
    """A percentage, only when neither it nor what it leaves out gives a small count away."""
    if not (part.shown and whole.shown) or not whole.value:
        return WITHHELD if part.status is Status.WITHHELD else "not shown (small numbers)"
    assert part.value is not None
    rest = whole.value - part.value if complement is None else complement
    if rest < SMALLEST_SHOWN:
        return "not shown (small numbers)"
    return f"{100 * part.value / whole.value:.0f}%"


def change(before: Shown, after: Shown) -> Shown:
    """The difference between two periods' counts, under the same rule as the counts."""
    if not (before.shown and after.shown):
        return Shown(Status.WITHHELD, None)
    assert before.value is not None and after.value is not None
    difference = after.value - before.value
    if abs(difference) < SMALLEST_SHOWN:
        return Shown(Status.SMALL, None)
    return Shown(Status.SHOWN, difference)
